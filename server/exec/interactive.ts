/**
 * An interactive shell on a terminal (`kubectl exec -it POD -- sh`): the terminal's line discipline
 * (echo, backspace, ^C, ^D, CR/LF translation) and the shell's read–eval loop with the prompt the
 * image's shell prints: busybox/alpine `sh` shows `\w # `, Debian's `sh` (dash) `# ` and bash
 * `root@HOST:\w# `.
 */
import type { Clock } from '../clock.js';
import { ShellSyntaxError, parseScript, runScript, type ShellHost } from '../kubelet/shell.js';
import { driveShell } from './driver.js';

/** Exit status of a command interrupted by ^C (128 + SIGINT). */
const EXIT_SIGINT = 130;

/** What the loop needs: the host, the shell's name, the clock, the terminal output and the end. */
export interface InteractiveOptions {
  host: ShellHost;
  /** `sh`, `bash`, `ash` or `dash`, as argv[0] named it. */
  shell: string;
  clock: Clock;
  /** Raw terminal output (already CR/LF translated). */
  out(text: string): void;
  /** The shell exited with `code`. */
  done(code: number): void;
}

/**
 * The prompt of the image's shell for root.
 * @example promptFor({ flavor: 'gnu', cwd: '/tmp', env }, 'bash') // 'root@web:/tmp# '
 */
export function promptFor(host: Pick<ShellHost, 'flavor' | 'cwd' | 'env'>, shell: string): string {
  const cwd = host.cwd ?? '/';
  if (host.flavor === 'busybox') return `${cwd} # `;
  if (shell !== 'bash') return '# ';
  const home = host.env.get('HOME');
  const shown = home && cwd === home ? '~' : home && cwd.startsWith(`${home}/`) ? `~${cwd.slice(home.length)}` : cwd;
  return `root@${host.env.get('HOSTNAME') ?? 'localhost'}:${shown}# `;
}

/** One interactive shell session; feed it terminal input with input(). */
export class InteractiveShell {
  private line = '';
  private pending: string[] = [];
  private cancelRun: (() => void) | undefined;
  private status = 0;
  private ended = false;
  private escape = '';

  constructor(private readonly opts: InteractiveOptions) {
    const { host } = opts;
    host.tty = true;
    host.interactive = true;
    host.write = (_stream, text) => opts.out(text.replace(/\r?\n/g, '\r\n'));
  }

  /** Prints the first prompt. */
  start(): void {
    this.prompt();
  }

  /** Terminal input from the client. */
  input(text: string): void {
    for (const c of text) {
      if (this.ended) return;
      this.key(c);
    }
  }

  /** The client went away: stop whatever runs. */
  abort(): void {
    this.ended = true;
    this.cancelRun?.();
  }

  private key(c: string): void {
    if (this.escape || c === '\x1b') {
      // Cursor keys and other escape sequences: no line editing beyond backspace.
      this.escape += c;
      if (this.escape.length > 1 && /[A-Za-z~]/.test(c)) this.escape = '';
      return;
    }
    if (c === '\r' || c === '\n') {
      this.opts.out('\r\n');
      this.pending.push(this.line);
      this.line = '';
      if (!this.cancelRun) this.next();
    } else if (c === '\x7f' || c === '\b') {
      if (this.line) (this.line = this.line.slice(0, -1), this.opts.out('\b \b'));
    } else if (c === '\x03') {
      this.opts.out('^C\r\n');
      this.line = '';
      this.pending = [];
      if (this.cancelRun) {
        this.cancelRun();
        this.cancelRun = undefined;
        this.status = EXIT_SIGINT;
      }
      this.prompt();
    } else if (c === '\x04') {
      if (this.line === '' && !this.cancelRun) this.exit(this.status);
    } else if (c >= ' ' || c === '\t') {
      this.line += c;
      this.opts.out(c);
    }
  }

  private prompt(): void {
    if (!this.ended) this.opts.out(promptFor(this.opts.host, this.opts.shell));
  }

  /** Runs the next queued line; prompts when the queue is empty. */
  private next(): void {
    const line = this.pending.shift();
    if (line === undefined) return;
    let script;
    try {
      script = parseScript(line);
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      this.opts.host.write('stderr', `${this.opts.shell}: ${e.message}\n`);
      this.status = 2;
      return this.afterCommand();
    }
    const { host, clock } = this.opts;
    const run = runScript(script, host, { argv0: this.opts.shell, status: this.status });
    let finished = false;
    const cancel = driveShell(run, host, clock, (code, exited) => {
      finished = true;
      this.cancelRun = undefined;
      this.status = code;
      if (exited) this.exit(code);
      else this.afterCommand();
    });
    if (!finished) this.cancelRun = cancel;
  }

  private afterCommand(): void {
    if (this.ended) return;
    this.prompt();
    if (this.pending.length > 0) this.next();
  }

  private exit(code: number): void {
    if (this.opts.shell === 'bash') this.opts.out('exit\r\n');
    this.ended = true;
    this.opts.done(code);
  }

}
