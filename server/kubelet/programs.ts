/**
 * Simulated container programs (DESIGN.md decision 5). A container's command and args, with the
 * image's ENTRYPOINT and CMD as defaults, become a step-wise program: shell scripts and utilities run
 * in the shell.ts interpreter, servers (nginx, httpd, redis, …) print their real start-up lines and run
 * forever, and anything the image does not contain fails to start as runc reports it.
 *
 * Time is a parameter (style.md §9.4): the program starts at `now` and moves only when advance(toMs)
 * is called, so the same inputs always give the same log lines, files and exit.
 */
import { lookupImage, type CatalogImage, type ImageLookup } from './images.js';
import { stressProgram } from './stress.js';
import { ShellExit, formatDate, isShellUtility, parseScript, runArgv, runScript, type ShellHost, type ShellRun, type Stream } from './shell.js';
import type { ContainerFilesystem } from './container-fs.js';

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
}

/** Exit code of a process killed by SIGKILL (128 + 9). */
export const EXIT_SIGKILL = 137;
const EXIT_START_ERROR = 128;
const DEFAULT_EXEC_TIMEOUT_MS = 1_000;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
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
  const env = new Map(Array.isArray(spec.env) ? spec.env.map((e) => [e.name, e.value ?? ''] as const) : Object.entries(spec.env ?? {}));
  const busybox = !!hit && (/\/(busybox|alpine)$/.test(hit.image.repository) || hit.tag.includes('alpine'));
  const program = new SimProgram(spec.now, env, busybox ? 'busybox' : 'gnu', { fs: spec.fs, shells: hit?.image.shells ?? ['sh', 'bash'] });
  program.begin(resolveProgram(spec, hit, program.host));
  return program;
}

type Resolved = { run: ShellRun; server?: { name: string } & ServerTraits } | { startError: string };

/** Kubernetes semantics: command replaces ENTRYPOINT, args replace CMD, command alone drops CMD. */
function resolveProgram(spec: ProgramSpec, hit: ImageLookup | undefined, host: ShellHost): Resolved {
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
  if (SHELLS.has(name)) return shells.includes(name) ? { run: shellProgram(argv, host) } : { startError: argv[0]! };
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

function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

function* exitWith(code: number): ShellRun {
  return code;
}

/**
 * The process `argv` starts in a running container (exec), reading `stdin`; undefined when the image
 * has no such executable (the runtime's `executable file not found`).
 */
export function execCommand(argv: string[], host: ShellHost, opts: { shells: readonly string[]; stdin?: string }): ShellRun | undefined {
  const name = basename(argv[0] ?? '');
  if (SHELLS.has(name)) return opts.shells.includes(name) ? shellProgram(argv, host, opts.stdin) : undefined;
  return isShellUtility(name) && opts.shells.length > 0 ? runArgv(argv, host, opts.stdin) : undefined;
}

function* shellProgram(argv: string[], host: ShellHost, stdin = ''): ShellRun {
  const c = argv.indexOf('-c');
  // Without -c a shell runs its standard input as a script; a closed stdin ends it at once.
  if (c < 0) return stdin ? yield* shellScript(stdin, basename(argv[0]!), [], host) : 0;
  const [script = '', argv0 = basename(argv[0]!), ...params] = argv.slice(c + 1);
  return yield* shellScript(script, argv0, params, host);
}

function* shellScript(script: string, argv0: string, params: string[], host: ShellHost): ShellRun {
  let parsed;
  try {
    parsed = parseScript(script);
  } catch (err) {
    host.write('stderr', `${argv0}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  return yield* runScript(parsed, host, { argv0, params });
}

/** A server's start-up output: lines at offsets from the start, then it runs forever or exits. */
interface TimedLine { afterMs: number; stream: Stream; text: string }
interface ServerCtx { host: ShellHost; hit: ImageLookup | undefined; spec: ProgramSpec }

function* runForever(lines: TimedLine[], host?: ShellHost, exitCode?: number): ShellRun {
  let elapsed = 0;
  for (const line of lines) {
    if (line.afterMs > elapsed) (yield line.afterMs - elapsed, (elapsed = line.afterMs));
    host?.write(line.stream, `${line.text}\n`);
  }
  if (exitCode !== undefined) return exitCode;
  yield Infinity;
  return 0;
}

const at = (afterMs: number, stream: Stream, ...texts: string[]): TimedLine[] => texts.map((text) => ({ afterMs, stream, text }));
const versionOf = (c: ServerCtx, image: CatalogImage | undefined = c.hit?.image): string => c.hit?.version ?? image?.latestVersion ?? '';

function nginxLines(c: ServerCtx): TimedLine[] {
  const d = '/docker-entrypoint.sh';
  const stamp = formatDate(c.spec.now + 40, '%Y/%m/%d %H:%M:%S');
  const alpine = c.hit?.tag.includes('alpine');
  return [
    ...at(0, 'stdout', `${d}: /docker-entrypoint.d/ is not empty, will attempt to perform configuration`,
      `${d}: Looking for shell scripts in /docker-entrypoint.d/`,
      `${d}: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh`,
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      `${d}: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh`,
      `${d}: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh`,
      `${d}: Launching /docker-entrypoint.d/30-tune-worker-processes.sh`,
      `${d}: Configuration complete; ready for start up`),
    ...at(40, 'stderr', ...[
      'using the "epoll" event method', `nginx/${versionOf(c)}`,
      alpine ? 'built by gcc 13.2.1 20240309 (Alpine 13.2.1_git20240309) ' : 'built by gcc 12.2.0 (Debian 12.2.0-14) ',
      'OS: Linux 6.8.0-51-generic', 'getrlimit(RLIMIT_NOFILE): 1048576:1048576', 'start worker processes',
      'start worker process 29', 'start worker process 30',
    ].map((m) => `${stamp} [notice] 1#1: ${m}`)),
  ];
}

function httpdLines(c: ServerCtx): TimedLine[] {
  const ip = c.spec.podIP ?? '127.0.0.1';
  const ah00558 = `AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using ${ip}. Set the 'ServerName' directive globally to suppress this message`;
  const stamp = `${formatDate(c.spec.now + 30, '%a %b %d %H:%M:%S')}.${String(((c.spec.now + 30) % 1000) * 1000).padStart(6, '0')} ${formatDate(c.spec.now, '%Y')}`;
  return [
    ...at(0, 'stderr', ah00558, ah00558),
    ...at(30, 'stderr', `[${stamp}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/${versionOf(c)} (Unix) configured -- resuming normal operations`,
      `[${stamp}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'`),
  ];
}

function redisLines(c: ServerCtx): TimedLine[] {
  const t = (ms: number): string => {
    const n = c.spec.now + ms;
    return `${formatDate(n, '%d %b %Y %H:%M:%S')}.${String(n % 1000).padStart(3, '0')}`;
  };
  return [
    ...at(0, 'stdout', `1:C ${t(0)} # WARNING Memory overcommit must be enabled! Without it, a background save or replication may fail under low memory condition. Being disabled, it can also cause failures without low memory condition, see https://github.com/jemalloc/jemalloc/issues/1328. To fix this issue add 'vm.overcommit_memory = 1' to /etc/sysctl.conf and then reboot or run the command 'sysctl vm.overcommit_memory=1' for this to take effect.`,
      `1:C ${t(0)} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
      `1:C ${t(0)} * Redis version=${versionOf(c)}, bits=64, commit=00000000, modified=0, pid=1, just started`,
      `1:C ${t(0)} # Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf`),
    ...at(2, 'stdout', `1:M ${t(2)} * monotonic clock: POSIX clock_gettime`, `1:M ${t(2)} * Running mode=standalone, port=6379.`),
    ...at(3, 'stdout', `1:M ${t(3)} * Server initialized`, `1:M ${t(3)} * Ready to accept connections tcp`),
  ];
}

const POSTGRES_NO_PASSWORD = [
  'Error: Database is uninitialized and superuser password is not specified.', '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
  '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".', '',
  '       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all', '       connections without a password. This is *not* recommended.', '',
  '       See PostgreSQL documentation about "trust":', '       https://www.postgresql.org/docs/current/auth-trust.html',
];

function* postgresProgram(c: ServerCtx): ShellRun {
  const env = c.host.env;
  if (!env.get('POSTGRES_PASSWORD') && env.get('POSTGRES_HOST_AUTH_METHOD') !== 'trust') {
    return yield* runForever(at(0, 'stderr', ...POSTGRES_NO_PASSWORD), c.host, 1);
  }
  const v = versionOf(c);
  const log = (ms: number, pid: number, msg: string): TimedLine => ({ afterMs: ms, stream: 'stderr', text: `${formatDate(c.spec.now + ms, '%F %T')}.${String((c.spec.now + ms) % 1000).padStart(3, '0')} UTC [${pid}] LOG:  ${msg}` });
  return yield* runForever([
    ...at(0, 'stdout', 'The files belonging to this database system will be owned by user "postgres".', 'This user must also own the server process.', ''),
    ...at(2_000, 'stdout', 'PostgreSQL init process complete; ready for start up.', ''),
    log(2_100, 1, `starting PostgreSQL ${v} (Debian ${v}-1.pgdg120+1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14) 12.2.0, 64-bit`),
    log(2_100, 1, 'listening on IPv4 address "0.0.0.0", port 5432'),
    log(2_100, 1, 'listening on IPv6 address "::", port 5432'),
    log(2_100, 1, 'listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"'),
    log(2_200, 1, 'database system is ready to accept connections'),
  ], c.host);
}

function* mysqlProgram(c: ServerCtx): ShellRun {
  const env = c.host.env;
  const note = (ms: number, level: string, msg: string): TimedLine => ({ afterMs: ms, stream: 'stdout', text: `${formatDate(c.spec.now + ms, '%F %T')}+00:00 [${level}] [Entrypoint]: ${msg}` });
  const started = `Entrypoint script for MySQL Server ${versionOf(c)}-1.el9 started.`;
  const head = [note(0, 'Note', started), note(0, 'Note', "Switching to dedicated user 'mysql'"), note(0, 'Note', started)];
  if (!['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'].some((k) => env.get(k))) {
    const error = note(0, 'ERROR', 'Database is uninitialized and password option is not specified');
    const hint = ['    You need to specify one of the following as an environment variable:', '    - MYSQL_ROOT_PASSWORD', '    - MYSQL_ALLOW_EMPTY_PASSWORD', '    - MYSQL_RANDOM_ROOT_PASSWORD'];
    return yield* runForever([...head, { ...error, stream: 'stderr' }, ...at(0, 'stderr', ...hint)], c.host, 1);
  }
  return yield* runForever([...head, note(0, 'Note', 'Initializing database files'), note(8_000, 'Note', 'MySQL init process done. Ready for start up.'),
    ...at(9_000, 'stderr', `${formatDate(c.spec.now + 9_000, '%FT%T')}.000000Z 0 [System] [MY-010931] [Server] /usr/sbin/mysqld: ready for connections. Version: '${versionOf(c)}'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.`)], c.host);
}

function* agnhostProgram(argv: string[], c: ServerCtx): ShellRun {
  const sub = argv[1];
  if (sub === undefined) return 0; // prints its usage and exits
  if (sub === 'netexec') return yield* runForever(at(0, 'stderr', 'Started HTTP server on port 8080', 'Started UDP server on port  8081'), c.host);
  if (sub === 'pause') return yield* runForever(at(0, 'stdout', 'Paused'), c.host);
  return yield* runForever([]);
}

type ServerRun = (argv: string[], c: ServerCtx) => ShellRun;
/** Ports a server listens on, whether it answers HTTP, when after start it listens, its SIGTERM exit code. */
interface ServerTraits { ports: number[]; http?: boolean; listenAfterMs?: number; termExitCode?: number }
const lines = (f: (c: ServerCtx) => TimedLine[]): ServerRun => (_argv, c) => runForever(f(c), c.host);

/** Server binaries by executable name, with the repository that ships them. */
const SERVERS: Record<string, { repo: string; run: ServerRun } & ServerTraits> = {
  nginx: { repo: 'nginx', run: lines(nginxLines), ports: [80], http: true, listenAfterMs: 40 },
  'nginx-debug': { repo: 'nginx', run: lines(nginxLines), ports: [80], http: true, listenAfterMs: 40 },
  'httpd-foreground': { repo: 'httpd', run: lines(httpdLines), ports: [80], http: true, listenAfterMs: 30 },
  httpd: { repo: 'httpd', run: lines(httpdLines), ports: [80], http: true, listenAfterMs: 30 },
  'redis-server': { repo: 'redis', run: lines(redisLines), ports: [6379], listenAfterMs: 3 },
  memcached: { repo: 'memcached', run: lines(() => []), ports: [11211] },
  postgres: { repo: 'postgres', run: (_a, c) => postgresProgram(c), ports: [5432], listenAfterMs: 2_100 },
  mysqld: { repo: 'mysql', run: (_a, c) => mysqlProgram(c), ports: [3306, 33060], listenAfterMs: 9_000 },
  pause: { repo: 'pause', run: lines(() => []), ports: [] },
  // Go binaries without a SIGTERM handler die of the signal: 128 + 15.
  agnhost: { repo: 'agnhost', run: agnhostProgram, ports: [8080], http: true, termExitCode: 143 },
  'echo-server': { repo: 'echo-server', run: lines(() => at(0, 'stdout', 'Echo server listening on port 8080.')), ports: [8080], http: true, termExitCode: 143 },
};

class SimProgram implements Program {
  readonly host: ShellHost & { oomKilled?: boolean };
  private run: ShellRun | undefined;
  private wakeAt = Infinity;
  private logs: LogLine[] = [];
  private partial: Record<Stream, string> = { stdout: '', stderr: '' };
  exit: ProgramExit | undefined;
  server: ServerInfo | undefined;
  private termExitCode: number | undefined;

  readonly shells: readonly string[];

  constructor(readonly startedAt: number, env: Map<string, string>, flavor: ShellHost['flavor'], opts: { fs: ContainerFilesystem | undefined; shells: readonly string[] }) {
    const files = opts.fs?.files ?? new Map<string, string>();
    const dirs = opts.fs?.dirs ?? new Set(['/tmp']);
    this.host = { now: startedAt, files, dirs, env, flavor, write: (s, t) => this.write(s, t) };
    this.shells = opts.shells;
  }

  execHost(opts: { now: number; write(stream: Stream, text: string): void; tty?: boolean }): ShellHost {
    const { files, dirs, flavor } = this.host;
    return { now: opts.now, files, dirs, flavor, env: new Map(this.host.env), write: opts.write, cwd: '/', ...(opts.tty ? { tty: true } : {}) };
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
      const { name, ports, http = false, listenAfterMs = 0, termExitCode = 0 } = resolved.server;
      this.server = { name, ports, http, listeningAt: this.startedAt + listenAfterMs };
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
    const host: ShellHost = { ...this.host, now: opts.now, env: new Map(this.host.env), write: (s, t) => void (out[s] += t) };
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

  private write(stream: Stream, text: string): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop()!;
    for (const line of parts) this.logs.push({ at: this.host.now, stream, text: line });
  }

  /** Resumes the program at host.now until it sleeps again or ends. */
  private step(): void {
    try {
      const r = this.run!.next();
      if (r.done) return this.finish(r.value);
      this.wakeAt = this.host.now + r.value;
    } catch (e) {
      if (!(e instanceof ShellExit)) throw e;
      this.finish(e.code);
    }
  }

  private finish(exitCode: number): void {
    for (const stream of ['stdout', 'stderr'] as const) if (this.partial[stream]) this.write(stream, '\n');
    this.exit = { at: this.host.now, exitCode, ...(this.host.oomKilled ? { reason: 'OOMKilled' as const } : {}) };
    this.wakeAt = Infinity;
  }
}
