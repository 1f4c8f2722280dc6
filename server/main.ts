/**
 * The kubedojo daemon (`node bin/kd-daemon.js [--port P] [--host H] [--data-dir DIR]
 * [--insecure-http] [--speed N]`); `kd serve` runs it in the foreground. It prepares the data
 * directory (TLS, token), builds the app, listens, writes the kubeconfig and prints one ready line
 * on stdout; main() resolves with the exit code once the daemon has shut down.
 */
import type { FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir, hostname, networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from './api/app.js';
import { seededRandom } from './random.js';
import { RealClock } from './clock.js';
import { loadVirtualTime, saveVirtualTime } from './clock-file.js';
import { ConfigError, defaultClusterConfig, loadClusterConfig, type ClusterConfig } from './config.js';
import { writeKubeconfig } from './kubeconfig.js';
import { assertDataDirFree, writeDaemonInfo } from './daemon-file.js';
import { defaultDataDir } from '../schemas/daemon-info.js';
import { ensureTls } from './tls.js';
import { ensureToken } from './token.js';
import { deprioritizeHelperThreads } from './thread-priority.js';

/** The daemon's command-line settings after parsing and validation. */
export interface ServeOptions {
  port: number;
  host: string;
  dataDir: string;
  insecureHttp: boolean;
  speed: number;
  /** Seed for every random choice (uids, generated names, IPs); unset means crypto randomness. */
  randomSeed?: number;
  /** Revisions kept in the watch log before compaction. */
  compactionRetain?: number;
  /** The simulated cluster: nodes and their shape (`--config FILE`, else the default lab). */
  cluster: ClusterConfig;
}

const DEFAULT_PORT = 6443;
const DEFAULT_HOST = '127.0.0.1';
/** How long in-flight requests get after a signal before open connections (watches, logs -f) are cut. */
const CLOSE_GRACE_MS = 1_000;
/** If closing still has not finished by then, something is stuck: give up loudly. */
const SHUTDOWN_DEADLINE_MS = 10_000;

const USAGE = `Usage: node bin/kd-daemon.js [options]

Runs the kubedojo API server in the foreground.

Options:
  --port <port>       port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})
  --host <host>       address to listen on (default: ${DEFAULT_HOST})
  --data-dir <dir>    state directory: database, pki/, token, kubeconfig (default: ~/.kubedojo)
  --insecure-http     serve plain HTTP without TLS or authentication (debugging only)
  --speed <n>         run the cluster clock n times faster than real time (default: 1)
  --random-seed <n>   make uids, generated names and IPs repeatable (for tests and demos)
  --compaction-retain <n>  revisions of watch history kept for resuming watches (default: 1000)
  --config <file>     cluster config (YAML): nodes, capacities, labels, taints
                      (default: controlplane, node01, node02)
  -h, --help          show this help
`;

/** A command-line mistake: reported as `error: <message>` with exit code 1. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses and validates the daemon's arguments (without the leading `node main.js`).
 * Returns undefined when `--help` was asked for.
 *
 * @throws {UsageError} on unknown options or invalid values
 */
export function parseServeArgs(argv: string[]): ServeOptions | undefined {
  const { values } = parseArgsOrThrow(argv);
  if (values.help) return undefined;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || values.port?.trim() === '') {
    throw new UsageError(`Cannot listen as '--port' must be an integer from 0 to 65535: current value is ${values.port}`);
  }
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!Number.isFinite(speed) || speed <= 0 || values.speed?.trim() === '') {
    throw new UsageError(`Cannot start the clock as '--speed' must be a positive number: current value is ${values.speed}`);
  }
  const host = (values.host ?? DEFAULT_HOST).replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new UsageError(`Cannot listen as '--host' must not be empty`);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(homedir()));
  const cluster = values.config === undefined ? defaultClusterConfig() : clusterConfig(values.config);
  const opts: ServeOptions = { port, host, dataDir, insecureHttp: values['insecure-http'] ?? false, speed, cluster };
  const seed = integerOption(values['random-seed'], '--random-seed', 'Cannot seed randomness');
  if (seed !== undefined) opts.randomSeed = seed;
  const retain = integerOption(values['compaction-retain'], '--compaction-retain', 'Cannot compact');
  if (retain !== undefined) opts.compactionRetain = retain;
  return opts;
}

function clusterConfig(path: string): ClusterConfig {
  try {
    return loadClusterConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

function integerOption(value: string | undefined, flag: string, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || value.trim() === '') throw new UsageError(`${what} as '${flag}' must be a non-negative integer: current value is ${value}`);
  return n;
}

function parseArgsOrThrow(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'insecure-http': { type: 'boolean' },
        speed: { type: 'string' },
        'random-seed': { type: 'string' },
        'compaction-retain': { type: 'string' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    // node's messages are long and mention positionals; keep the first sentence, kubectl-style.
    const message = err instanceof Error ? err.message.split(/\. /)[0]! : String(err);
    throw new UsageError(message.charAt(0).toLowerCase() + message.slice(1));
  }
}

/**
 * Starts the daemon: data directory, TLS, token, app, listen, kubeconfig, ready line.
 * Resolves with the listening app once the ready line has been printed; `onListening` runs just
 * before that line (the entry installs its signal handlers there).
 */
export async function serve(opts: ServeOptions, onListening: (app: FastifyInstance) => void = () => {}): Promise<FastifyInstance> {
  if (!isLoopback(opts.host)) {
    process.stderr.write(`warning: --host ${opts.host} is not a loopback address: the API server is reachable from other machines\n`);
  }
  if (opts.insecureHttp) {
    process.stderr.write('warning: --insecure-http serves the API without TLS and without authentication\n');
  }
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  assertDataDirFree(opts.dataDir);
  // The token is created even in http mode, so a later https start finds the same credentials.
  const token = ensureToken(opts.dataDir);
  const tls = opts.insecureHttp ? undefined : await ensureTls(opts.dataDir, sanHosts(opts.host), new RealClock());
  const clock = new RealClock(opts.speed, loadVirtualTime(opts.dataDir));
  const app = await buildApp({
    dataDir: opts.dataDir,
    clock,
    ...(opts.randomSeed !== undefined ? { random: seededRandom(opts.randomSeed) } : {}),
    ...(opts.compactionRetain !== undefined ? { compactionRetain: opts.compactionRetain } : {}),
    // Over http kubectl never sends credentials (kubectl-wire.md §1.1), so requiring one would lock it out.
    token: tls ? token : undefined,
    https: tls ? { key: tls.keyPem, cert: tls.certPem } : undefined,
    caPem: tls?.caPem,
    logger: false,
    cluster: opts.cluster,
    writerThread: true,
  });
  const stopSaving = saveVirtualTime(opts.dataDir, clock);
  app.addHook('onClose', async () => stopSaving());
  // Hooks cannot be added once listening, and the URL is only known then.
  let withdraw = (): void => {};
  app.addHook('onClose', async () => withdraw());
  try {
    await app.listen({ port: opts.port, host: opts.host });
  } catch (err) {
    await app.close().catch(() => undefined);
    throw listenError(err, opts);
  }
  const url = `${tls ? 'https' : 'http'}://${urlHost(opts.host)}:${boundPort(app)}`;
  const kubeconfig = join(opts.dataDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, { server: url, caPem: tls?.caPem, token });
  withdraw = writeDaemonInfo(opts.dataDir, { pid: process.pid, url, kubeconfig, speed: opts.speed });
  // Once the storage writer thread runs: it and V8's helpers yield the CPU to the main thread.
  deprioritizeHelperThreads();
  onListening(app);
  process.stdout.write(`kubedojo API server listening on ${url} (kubeconfig: ${kubeconfig})\n`);
  return app;
}

/**
 * Resolves once the app closed after SIGINT/SIGTERM: 0 for a clean close, 1 when closing failed or
 * outlived the deadline. Repeated signals while closing are ignored.
 */
function untilShutdown(app: FastifyInstance): Promise<number> {
  return new Promise((resolve) => {
    let closing = false;
    const shutdown = (): void => {
      // `kd serve` forwards the Ctrl-C that the terminal already sent to this process group.
      if (closing) return;
      closing = true;
      // Shutdown deadlines are wall time, whatever --speed says, hence an unsped clock.
      const wall = new RealClock();
      wall.setTimer(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      wall.setTimer(() => resolve(report(new Error('shutdown timed out; exiting without a clean close'))), SHUTDOWN_DEADLINE_MS);
      app.close().then(() => resolve(0), (err: unknown) => resolve(report(err)));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}

/** Prints an error the CLI way and gives the exit code for it. */
function report(err: unknown): number {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

function listenError(err: unknown, opts: ServeOptions): Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new Error(`Cannot listen on ${opts.host}:${opts.port} as the port is already in use`);
  if (code === 'EADDRNOTAVAIL') return new Error(`Cannot listen on ${opts.host} as it is not an address of this machine`);
  if (code === 'EACCES') return new Error(`Cannot listen on port ${opts.port}: permission denied`);
  return err instanceof Error ? err : new Error(String(err));
}

function boundPort(app: FastifyInstance): number {
  const address = app.server.address();
  if (address && typeof address === 'object') return address.port;
  throw new Error('the server is not listening on a TCP port');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '::0';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The host clients should dial: a wildcard bind is reached through loopback. */
function urlHost(host: string): string {
  if (isWildcard(host)) return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Extra serving-certificate names: the bound address, or every address of this machine for a wildcard. */
function sanHosts(host: string): string[] {
  if (!isWildcard(host)) return [host];
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a.address);
  return [hostname(), ...addresses];
}

/**
 * Runs the daemon with the given arguments and resolves with the process exit code once it has
 * shut down; `bin/kd-daemon.js` is the only caller that ends the process.
 */
export async function main(argv: string[]): Promise<number> {
  let opts: ServeOptions | undefined;
  try {
    opts = parseServeArgs(argv);
  } catch (err) {
    return report(err);
  }
  if (!opts) {
    process.stdout.write(USAGE);
    return 0;
  }
  let stopped: Promise<number> = Promise.resolve(0);
  try {
    // Signal handlers go in before the ready line: a client may stop the daemon as soon as it reads it.
    await serve(opts, (app) => (stopped = untilShutdown(app)));
  } catch (err) {
    return report(err);
  }
  return stopped;
}
