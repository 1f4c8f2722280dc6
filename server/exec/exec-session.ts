/**
 * One `kubectl exec` process inside a simulated container: resolves the command as the runtime
 * would (executable lookup in the image), feeds it stdin, runs it on the virtual clock and reports
 * its exit as the stream status. Without a terminal, stdin is collected until the client closes it,
 * then the command runs with all of it (what a pipe delivers); with a terminal, a shell without
 * `-c` becomes an interactive session (interactive.ts).
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Program } from '../kubelet/programs.js';
import { execCommand } from '../kubelet/shell-programs.js';
import type { ShellHost, Stream } from '../kubelet/shell.js';
import { driveShell } from './driver.js';
import { InteractiveShell } from './interactive.js';
import { exitCodeStatus, internalErrorStatus, successStatus, type StreamStatus } from './protocol.js';

/** Where a session's output goes. */
export interface SessionSink {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The process ended: the status frame, then the connection closes. */
  finish(status: StreamStatus): void;
}

/** The parsed PodExecOptions. */
export interface ExecOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** The container an exec runs in. */
export interface ExecContainer {
  program: Program;
  containerID: string;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
/** Exit status of a process killed with its container (128 + SIGKILL). */
const EXIT_SIGKILL = 137;

/**
 * containerd's wording for an executable the image does not have, as kubectl shows it through the
 * apiserver's stream translator (which wraps the kubelet's InternalError once more).
 */
export function executableNotFoundDetail(argv0: string, execID: string): string {
  const why = argv0.includes('/') ? `stat ${argv0}: no such file or directory` : `executable file not found in $PATH`;
  return `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${execID}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv0}": ${why}: unknown`;
}

/** A running exec; feed it the client's frames. */
export class ExecSession {
  private stdinText = '';
  private started = false;
  private cancel: (() => void) | undefined;
  private interactive: InteractiveShell | undefined;
  private done = false;
  private readonly host: ShellHost;

  constructor(private readonly target: ExecContainer, private readonly opts: ExecOptions, private readonly clock: Clock, private readonly sink: SessionSink) {
    this.host = target.program.execHost({ now: clock.now(), write: (s, t) => this.write(s, t), tty: opts.tty });
  }

  /** Starts at once unless the command waits for all of its stdin. */
  start(): void {
    const name = (this.opts.command[0] ?? '').replace(/^.*\//, '');
    if (this.opts.tty && this.opts.stdin && SHELLS.has(name) && !this.opts.command.includes('-c') && this.target.program.shells.includes(name)) {
      this.interactive = new InteractiveShell({ host: this.host, shell: name, clock: this.clock, out: (t) => this.sink.stdout(t), done: (code) => this.end(code) });
      this.interactive.start();
      return;
    }
    if (!this.opts.stdin || this.opts.tty) this.run();
  }

  /** Bytes on the stdin channel. */
  input(data: Buffer): void {
    if (this.interactive) return this.interactive.input(data.toString('utf8'));
    if (!this.started) this.stdinText += data.toString('utf8');
  }

  /** The client closed its stdin (v5 close signal). */
  closeStdin(): void {
    if (!this.started && !this.interactive) this.run();
  }

  /** The container stopped: the process dies with it (SIGKILL). */
  kill(): void {
    this.cancel?.();
    this.interactive?.abort();
    this.end(EXIT_SIGKILL);
  }

  /** The client went away. */
  abort(): void {
    this.done = true;
    this.cancel?.();
    this.interactive?.abort();
  }

  private write(stream: Stream, text: string): void {
    if (this.done) return;
    if (this.opts.tty) return this.sink.stdout(text.replace(/\r?\n/g, '\r\n'));
    if (stream === 'stdout' && this.opts.stdout) this.sink.stdout(text);
    if (stream === 'stderr' && this.opts.stderr) this.sink.stderr(text);
  }

  private run(): void {
    this.started = true;
    const argv = this.opts.command;
    const run = execCommand(argv, this.host, { shells: this.target.program.shells, stdin: this.stdinText });
    if (!run) {
      const execID = createHash('sha256').update(`${this.target.containerID}/${this.clock.now()}/${argv.join(' ')}`).digest('hex');
      this.done = true;
      return this.sink.finish(internalErrorStatus(executableNotFoundDetail(argv[0] ?? '', execID)));
    }
    let finished = false;
    const cancel = driveShell(run, this.host, this.clock, (code) => {
      finished = true;
      this.end(code);
    });
    if (!finished) this.cancel = cancel;
  }

  private end(code: number): void {
    if (this.done) return;
    this.done = true;
    this.sink.finish(code === 0 ? successStatus() : exitCodeStatus(code));
  }
}
