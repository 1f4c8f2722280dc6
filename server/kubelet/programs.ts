/**
 * Simulated container programs (DESIGN.md decision 5). A container's command and args, with the
 * image's ENTRYPOINT and CMD as defaults, become a step-wise program: shell scripts and utilities run
 * in the shell.ts interpreter, servers (nginx, httpd, redis, …) print their real start-up lines and run
 * forever, and anything the image does not contain fails to start as runc reports it.
 *
 * Time is a parameter (style.md §9.4): the program starts at `now` and moves only when advance(toMs)
 * is called, so the same inputs always give the same log lines, files and exit.
 */
import { GenerationMap } from '../generation-map.js';
import { lookupImage, type ImageLookup } from './images.js';
import { stressProgram } from './stress.js';
import { ShellExit, isShellUtility, runArgv, type ShellHost, type ShellRun, type Stream } from './shell.js';
import { SHELLS, StdinBuffer, basename, shellProgram, stdinShell } from './shell-programs.js';
import { SERVERS, runForever, type ServerTraits } from './server-programs.js';
import type { ContainerFilesystem } from './container-fs.js';
import type { ShellNetwork } from './net-utils.js';

/** Input of startProgram: the container as the kubelet sees it. */
export interface ProgramSpec {
  image: string;
  command?: string[];
  args?: string[];
  /** Container env after resolution (`HOSTNAME` is the pod name, as the runtime sets it). */
  env?: Record<string, string> | Array<{ name: string; value?: string }>;
  /** Start time in ms (virtual clock). */
  now: number;
  /** Pod IP, used by servers that print their address (httpd). */
  podIP?: string;
  /** The container's memory limit: a program that uses more is OOM-killed. */
  memoryLimitBytes?: number;
  /** The container's files (image, kubelet-managed, volumes); an empty tree when omitted. */
  fs?: ContainerFilesystem;
  /** The container keeps stdin open (spec.stdin): a shell without -c reads commands from it. */
  stdin?: boolean;
  /** The pod network (wget, curl). */
  network?: ShellNetwork;
}

/** One line a container wrote, with the virtual time it was written. */
export interface LogLine {
  at: number;
  stream: Stream;
  text: string;
}

/** How a program ended: exit code, and for start failures the runtime's reason and message. */
export interface ProgramExit {
  at: number;
  exitCode: number;
  reason?: 'StartError' | 'OOMKilled';
  message?: string;
}

/** Output of one advance(): log lines written since the previous call, and the exit if it happened. */
export interface ProgramStep {
  logs: LogLine[];
  exit?: ProgramExit;
}

/** Result of running a command inside the container, as an exec probe does. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A started container program. */
export interface Program {
  readonly startedAt: number;
  /** Runs the program up to and including `toMs`; never moves backwards. */
  advance(toMs: number): ProgramStep;
  /** When the program next does something (a log line or exit); undefined when it only waits forever. */
  nextEventAt(): number | undefined;
  readonly exit: ProgramExit | undefined;
  /** Regular files the program created (path → content), e.g. for `cat /tmp/healthy` probes. */
  readonly files: ReadonlyMap<string, string>;
  /** Runs argv in the container (sharing its files) at `now`; sleeps count against timeoutMs. */
  exec(argv: string[], opts: { now: number; timeoutMs?: number }): ExecResult;
  /** The server the program runs, if any: what probes and clients can connect to. */
  readonly server: ServerInfo | undefined;
  /** SIGTERM at `now`: servers stop at once; sh or sleep as PID 1 has no handler and runs on. */
  terminate(now: number): void;
  /** SIGKILL at `now`: the program ends with exit code 137. */
  kill(now: number): void;
  /** Input from an attached client at `now`, and its end (stdinOnce); advance() runs what it causes. */
  writeStdin(text: string, now: number): void;
  closeStdin(now: number): void;
  /** Shells the image contains (`sh`, `bash`, …). */
  readonly shells: readonly string[];
  /** A shell host for a process started in the container at `now` (exec): same files, own env copy and output. */
  execHost(opts: { now: number; write(stream: Stream, text: string): void; tty?: boolean }): ShellHost;
}

/** A listening server: name, TCP ports, whether it speaks HTTP, when it starts listening. */
export interface ServerInfo {
  name: string;
  ports: readonly number[];
  http: boolean;
  listeningAt: number;
  /** Paths besides `/` that answer 200. */
  paths?: readonly string[];
}

/** Exit code of a process killed by SIGKILL (128 + 9). */
export const EXIT_SIGKILL = 137;
const EXIT_START_ERROR = 128;
const DEFAULT_EXEC_TIMEOUT_MS = 1_000;
const ENTRYPOINT_WRAPPERS = new Set(['docker-entrypoint.sh']);
const INTERPRETERS: Record<string, string> = { python: 'python', python3: 'python', node: 'node', go: 'golang' };

/**
 * The runc error for an executable missing from the image; the kubelet shows it as the terminated
 * message with reason StartError and exit code 128.
 */
export function executableNotFoundMessage(name: string): string {
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown`;
}

/**
 * Starts a container program at spec.now.
 * @example startProgram({ image: 'busybox', command: ['sh', '-c', 'echo start; sleep 5; exit 3'], now: 0 }).advance(5000)
 * // { logs: [{ at: 0, stream: 'stdout', text: 'start' }], exit: { at: 5000, exitCode: 3 } }
 */
export function startProgram(spec: ProgramSpec): Program {
  const hit = lookupImage(spec.image);
  const env = containerEnv(Array.isArray(spec.env) ? spec.env.map((e) => [e.name, e.value ?? ''] as const) : Object.entries(spec.env ?? {}));
  const busybox = !!hit && (/\/(busybox|alpine)$/.test(hit.image.repository) || hit.tag.includes('alpine'));
  const program = new SimProgram(spec.now, env, busybox ? 'busybox' : 'gnu', { fs: spec.fs, shells: hit?.image.shells ?? ['sh', 'bash'], network: spec.network });
  program.begin(resolveProgram(spec, hit, program.host, program.stdin));
  return program;
}

/**
 * A container's environment until something reads it. The replicas of a Deployment differ only in
 * HOSTNAME, so they share one list of the other variables (HOSTNAME's place kept, its value left
 * out); the Map a shell needs is made on first read. One Map per running container was half a
 * kilobyte each at 10,000 pods, and most are never read.
 */
class ContainerEnv {
  private map: Map<string, string> | undefined;

  constructor(private readonly shared: readonly string[], private readonly hostname: string) {}

  get(): Map<string, string> {
    if (this.map) return this.map;
    const map = new Map<string, string>();
    for (let i = 0; i < this.shared.length; i += 2) map.set(this.shared[i]!, this.shared[i] === 'HOSTNAME' ? this.hostname : this.shared[i + 1]!);
    return (this.map = map);
  }
}

function containerEnv(vars: ReadonlyArray<readonly [string, string]>): ContainerEnv {
  const flat: string[] = [];
  let hostname = '';
  for (const [name, value] of vars) {
    if (name === 'HOSTNAME') hostname = value;
    flat.push(name, name === 'HOSTNAME' ? '' : value);
  }
  // NUL never occurs in a variable's name or value (execve takes C strings): the key is unambiguous.
  return new ContainerEnv(sharedEnvs.intern(flat.join('\0'), flat), hostname);
}

const sharedEnvs = new GenerationMap<string, readonly string[]>(256);

type Resolved = { run: ShellRun; server?: { name: string } & ServerTraits } | { startError: string };

/** Kubernetes semantics: command replaces ENTRYPOINT, args replace CMD, command alone drops CMD. */
function resolveProgram(spec: ProgramSpec, hit: ImageLookup | undefined, host: ShellHost, stdin: StdinBuffer): Resolved {
  const image = hit?.image;
  const entrypoint = spec.command ?? image?.entrypoint ?? [];
  let argv = [...entrypoint, ...(spec.args ?? (spec.command ? [] : (image?.cmd ?? [])))];
  if (argv.length > 0 && ENTRYPOINT_WRAPPERS.has(basename(argv[0]!))) {
    // docker-entrypoint.sh runs the server for flags or no arguments, and execs anything else.
    argv = argv.length === 1 || argv[1]!.startsWith('-') ? [...(image?.cmd ?? []), ...argv.slice(1)] : argv.slice(1);
  }
  if (argv.length === 0) return { run: exitWith(0) };
  const name = basename(argv[0]!);
  const shells = image?.shells ?? ['sh', 'bash'];
  if (SHELLS.has(name) && !shells.includes(name)) return { startError: argv[0]! };
  if (SHELLS.has(name)) return { run: spec.stdin && !argv.includes('-c') ? stdinShell(name, host, stdin) : shellProgram(argv, host) };
  const server = SERVERS[name];
  if (server && (!image || image.repository.endsWith(`/${server.repo}`))) return { run: server.run(argv, { host, hit, spec }), server: { name, ...server } };
  const interpreter = INTERPRETERS[name];
  if (interpreter && (!image || image.repository.endsWith(`/${interpreter}`))) {
    // Without a TTY a REPL reads a closed stdin and exits; `-c`/`-e` one-liners are not interpreted.
    return { run: argv.length === 1 || /^-[ce]$/.test(argv[1]!) ? exitWith(0) : runForever([]) };
  }
  if (name === 'stress' && image?.repository.endsWith('/stress')) return { run: stressProgram(argv, host, spec) };
  if (isShellUtility(name) && shells.length > 0) return { run: runArgv(argv, host) };
  return { startError: argv[0]! };
}

function* exitWith(code: number): ShellRun {
  return code;
}

/**
 * The host a container's main process runs on. A class, not an object literal: there is one per
 * running container, and a literal with getters is a dictionary-mode object about 1 KB larger.
 * The filesystem is read through on each access, so one built on first use stays unbuilt until a
 * command touches it.
 */
class ProgramHost implements ShellHost {
  cwd?: string;
  oomKilled?: boolean;
  network?: ShellNetwork;

  constructor(
    public now: number,
    private readonly fs: ContainerFilesystem,
    private readonly vars: ContainerEnv,
    readonly flavor: ShellHost['flavor'],
    network: ShellNetwork | undefined,
    private readonly program: SimProgram,
  ) {
    if (network) this.network = network;
  }

  get env(): Map<string, string> {
    return this.vars.get();
  }

  get files(): Map<string, string> {
    return this.fs.files;
  }

  get dirs(): Set<string> {
    return this.fs.dirs;
  }

  write(stream: Stream, text: string): void {
    this.program.output(stream, text);
  }

  writeLine(stream: Stream, text: string): void {
    this.program.outputLine(stream, text);
  }
}

class SimProgram implements Program {
  readonly host: ProgramHost;
  private run: ShellRun | undefined;
  private wakeAt = Infinity;
  private logs: LogLine[] = [];
  private partial: Record<Stream, string> = { stdout: '', stderr: '' };
  exit: ProgramExit | undefined;
  server: ServerInfo | undefined;
  private termExitCode: number | undefined;

  readonly shells: readonly string[];
  readonly stdin = new StdinBuffer();

  constructor(readonly startedAt: number, env: ContainerEnv, flavor: ShellHost['flavor'], opts: { fs: ContainerFilesystem | undefined; shells: readonly string[]; network: ShellNetwork | undefined }) {
    const fs = opts.fs ?? { files: new Map<string, string>(), dirs: new Set(['/tmp']) };
    this.host = new ProgramHost(startedAt, fs, env, flavor, opts.network, this);
    this.shells = opts.shells;
  }

  writeStdin(text: string, now: number): void {
    this.stdin.push(text);
    if (this.stdin.waiting && !this.exit) this.wakeAt = Math.max(this.host.now, now);
  }

  closeStdin(now: number): void {
    this.stdin.close();
    if (this.stdin.waiting && !this.exit) this.wakeAt = Math.max(this.host.now, now);
  }

  execHost(opts: { now: number; write(stream: Stream, text: string): void; tty?: boolean }): ShellHost {
    const { files, dirs, flavor, network } = this.host;
    return { now: opts.now, files, dirs, flavor, env: new Map(this.host.env), write: opts.write, cwd: '/', ...(opts.tty ? { tty: true } : {}), ...(network ? { network } : {}) };
  }

  get files(): ReadonlyMap<string, string> {
    return this.host.files;
  }

  begin(resolved: Resolved): void {
    if ('startError' in resolved) {
      this.exit = { at: this.startedAt, exitCode: EXIT_START_ERROR, reason: 'StartError', message: executableNotFoundMessage(resolved.startError) };
      return;
    }
    this.run = resolved.run;
    if (resolved.server) {
      const { name, ports, http = false, listenAfterMs = 0, termExitCode = 0, paths } = resolved.server;
      this.server = { name, ports, http, listeningAt: this.startedAt + listenAfterMs, ...(paths ? { paths } : {}) };
      this.termExitCode = termExitCode;
    }
    this.step();
  }

  // Callers advance() to `now` first so that nothing before the signal is lost.
  terminate(now: number): void {
    if (this.exit || this.termExitCode === undefined) return;
    this.host.now = Math.max(this.host.now, now);
    this.finish(this.termExitCode);
  }

  kill(now: number): void {
    if (this.exit) return;
    this.host.now = Math.max(this.host.now, now);
    this.finish(EXIT_SIGKILL);
  }

  advance(toMs: number): ProgramStep {
    while (!this.exit && this.wakeAt <= toMs) {
      this.host.now = this.wakeAt;
      this.step();
    }
    const logs = this.logs;
    this.logs = [];
    return this.exit && this.exit.at <= toMs ? { logs, exit: this.exit } : { logs };
  }

  nextEventAt(): number | undefined {
    return !this.exit && Number.isFinite(this.wakeAt) ? this.wakeAt : undefined;
  }

  exec(argv: string[], opts: { now: number; timeoutMs?: number }): ExecResult {
    const out = { stdout: '', stderr: '' };
    const { files, dirs, flavor, cwd, network } = this.host;
    const host: ShellHost = { now: opts.now, files, dirs, flavor, env: new Map(this.host.env), write: (s, t) => void (out[s] += t), ...(cwd ? { cwd } : {}), ...(network ? { network } : {}) };
    const name = basename(argv[0] ?? '');
    const run = SHELLS.has(name) ? shellProgram(argv, host) : isShellUtility(name) ? runArgv(argv, host) : undefined;
    if (!run) return { exitCode: 127, stdout: '', stderr: executableNotFoundMessage(argv[0] ?? ''), timedOut: false };
    const budget = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    let slept = 0;
    try {
      for (let r = run.next(); ; r = run.next()) {
        if (r.done) return { exitCode: r.value, ...out, timedOut: false };
        slept += r.value;
        host.now += r.value;
        if (slept > budget) return { exitCode: -1, ...out, timedOut: true };
      }
    } catch (e) {
      if (e instanceof ShellExit) return { exitCode: e.code, ...out, timedOut: false };
      throw e;
    }
  }

  /** What the main process prints, cut into log lines. */
  output(stream: Stream, text: string): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop()!;
    for (const line of parts) this.logs.push({ at: this.host.now, stream, text: line });
  }

  outputLine(stream: Stream, text: string): void {
    if (this.partial[stream]) this.output(stream, `${text}\n`);
    else this.logs.push({ at: this.host.now, stream, text });
  }

  /** Resumes the program at host.now until it sleeps again or ends. */
  private step(): void {
    try {
      const r = this.run!.next();
      if (r.done) return this.finish(r.value);
      this.wakeAt = this.host.now + r.value;
      // Only input wakes a program that sleeps for good (a server, `sleep infinity`); without a
      // reader waiting, its suspended frame is dead weight, kept by every running replica.
      if (this.wakeAt === Infinity && !this.stdin.waiting) this.run = undefined;
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      this.finish(e.code);
    }
  }

  private finish(exitCode: number): void {
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream]) this.output(stream, '\n');
    this.exit = { at: this.host.now, exitCode, ...(this.host.oomKilled ? { reason: 'OOMKilled' as const } : {}) };
    this.wakeAt = Infinity;
  }
}
