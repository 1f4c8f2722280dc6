/**
 * The servers of the catalog images as simulated programs: the start-up lines nginx, httpd, redis,
 * postgres, mysql and agnhost really print (at their offsets from the start), the ports they
 * listen on and how they react to SIGTERM. Split from programs.ts, which starts them.
 */
import type { CatalogImage, ImageLookup } from './images.js';
import type { ProgramSpec } from './programs.js';
import { SYSTEM_SERVERS } from './system-servers.js';
import { GenerationMap } from '../generation-map.js';
import { formatDate, type ShellHost, type ShellRun, type Stream } from './shell.js';

/** A server's start-up output: lines at offsets from the start, then it runs forever or exits. */
interface TimedLine { afterMs: number; stream: Stream; text: string }
/** What a server program reads: its host, the image hit and the container spec. */
export interface ServerCtx { host: ShellHost; hit: ImageLookup | undefined; spec: ProgramSpec }

/** Prints timed lines, then runs forever (or exits with exitCode when given). */
export function* runForever(lines: TimedLine[], host?: ShellHost, exitCode?: number): ShellRun {
  let elapsed = 0;
  for (const line of lines) {
    if (line.afterMs > elapsed) (yield line.afterMs - elapsed, (elapsed = line.afterMs));
    if (host?.writeLine) host.writeLine(line.stream, line.text);
    else host?.write(line.stream, `${line.text}\n`);
  }
  if (exitCode !== undefined) return exitCode;
  // A server waits here for good: its printed lines must not stay alive with the suspended frame.
  lines = [];
  yield Infinity;
  return 0;
}

const at = (afterMs: number, stream: Stream, ...texts: string[]): TimedLine[] => texts.map((text) => ({ afterMs, stream, text }));
const versionOf = (c: ServerCtx, image: CatalogImage | undefined = c.hit?.image): string => c.hit?.version ?? image?.latestVersion ?? '';

/**
 * nginx's start-up lines depend on its version and flavour and on the second it starts in, so the
 * replicas started in one second share one list (and, through ShellHost.writeLine, their log
 * lines): ten thousand replicas made seventeen strings each, and the log store hashed them all.
 */
function nginxLines(c: ServerCtx): TimedLine[] {
  const stampAt = c.spec.now + 40;
  const version = versionOf(c);
  const alpine = c.hit?.tag.includes('alpine') ?? false;
  // The stamp shows whole seconds: the second is the key, and the date is formatted once per list.
  const key = `${version} ${alpine} ${Math.floor(stampAt / 1000)}`;
  return sharedNginxLines.remember(key, () => makeNginxLines(version, alpine, formatDate(stampAt, '%Y/%m/%d %H:%M:%S')));
}

const sharedNginxLines = new GenerationMap<string, TimedLine[]>(64);

function makeNginxLines(version: string, alpine: boolean, stamp: string): TimedLine[] {
  const d = '/docker-entrypoint.sh';
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
      'using the "epoll" event method', `nginx/${version}`,
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
export interface ServerTraits { ports: number[]; http?: boolean; listenAfterMs?: number; termExitCode?: number; paths?: string[] }
const lines = (f: (c: ServerCtx) => TimedLine[]): ServerRun => (_argv, c) => runForever(f(c), c.host);

/** Server binaries by executable name, with the repository that ships them. */
export const SERVERS: Record<string, { repo: string; run: ServerRun } & ServerTraits> = {
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
  ...SYSTEM_SERVERS,
};
