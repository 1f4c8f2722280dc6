/**
 * `kd serve`: runs the daemon in the foreground as a child process (`node bin/kd-daemon.js …`)
 * with inherited stdio. The CLI never imports server code (style.md §7), so the daemon is reached
 * only through its process entry.
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Flags of `kd serve`, as commander hands them over; the daemon validates the values. */
export interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  insecureHttp?: boolean;
  speed?: string;
  randomSeed?: string;
  compactionRetain?: string;
  config?: string;
}

const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Adds the `serve` command to the root program. */
export function registerServe(program: Command): Command {
  return withDaemonOptions(program.command('serve').description('Run the kubedojo API server in the foreground')).action(async (flags: ServeFlags) => {
    process.exitCode = await runServe(flags);
  });
}

/** The daemon's flags, shared by `kd serve` and `kd up`. */
export function withDaemonOptions(cmd: Command): Command {
  return cmd
    .option('--port <port>', 'port to listen on; 0 picks a free one (default: 6443)')
    .option('--host <host>', 'address to listen on (default: 127.0.0.1)')
    .option('--data-dir <dir>', 'state directory: database, pki/, token, kubeconfig (default: ~/.kubedojo)')
    .option('--insecure-http', 'serve plain HTTP without TLS or authentication (debugging only)')
    .option('--speed <n>', 'run the cluster clock n times faster than real time (default: 1)')
    .option('--random-seed <n>', 'make uids, generated names and IPs repeatable (for tests and demos)')
    .option('--compaction-retain <n>', 'revisions of watch history kept for resuming watches (default: 1000)')
    .option('--config <file>', 'cluster config (YAML): nodes, capacities, labels, taints (default: controlplane, node01, node02)');
}

/**
 * Node's flags for the daemon process. Growing the old generation by 30% over what a full
 * collection leaves (V8 grows it up to 4x when collections are cheap) keeps the heap near its live
 * size. Semi-spaces of 8 MB instead of V8's 16 keep 18–21 MB less RSS at 10,000 pods for about 2%
 * more CPU in the burst (more scavenges); 32 MB ones cost 27 MB more RSS and saved no scavenge
 * time, since what a scavenge copies is mostly stored object versions that outlive any young
 * generation (`node dist/test/bench/cluster.bench.js`, `cpu.bench.js pods`). The old generation
 * starts at 160 MB: V8 starts its limit small, and at 30% growth a 10,000-pod burst crossed it 17–20
 * times on the way to its 120 MB of live objects, each crossing a full marking of the heap that the
 * main thread mostly does itself (its helpers run at nice 19, see thread-priority.ts); from 160 MB
 * it takes 7–8 and the burst about 10% less time. The price is garbage kept longer below that
 * size: 205–242 MB of RSS after a 1,000-pod burst instead of 153–170.
 * TurboFan inlines callees of at most 230 bytes of bytecode in all per optimised function instead
 * of 920. Its compile jobs run on the helper threads at nice 19, which on two cores busy with the
 * main thread and the clients waited 1.4–1.5 s each to run during 600 Deployments on a fresh daemon
 * (schedstat), while the main thread ran unoptimised code (a quarter of its `perf` samples, 6% once
 * warm). Smaller graphs compile sooner and cost less CPU: over ten bench pairs, 600 Deployments
 * on a fresh daemon were Available after 2.84–3.11 s (mean 3.01) instead of 2.97–3.23 s (3.15),
 * with 4.1–4.5 s of daemon CPU instead of 4.8–5.1; the 10,000-pod burst, on optimised code, lost
 * nothing measurable (seven pairs, mean 9.37 s against 9.51).
 */
export const DAEMON_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--heap-growing-percent=30', '--initial-old-space-size=160', '--max-inlined-bytecode-size-cumulative=230'];

/**
 * The daemon's environment: the caller's, with glibc's malloc tuned where the caller did not choose.
 * - One arena. By default every thread that allocates (the SQLite writer, V8's helpers) gets an
 *   arena of its own of up to 64 MB that is seldom given back; with one, the daemon at 10,000 pods
 *   keeps about 14 MB less outside the JS heap, in no measurable time.
 * - Fixed mmap and trim thresholds (glibc's default of 128 KB). Left dynamic, the first large
 *   block freed raises them up to 32 MB, so the write batches posted to the SQLite writer during a
 *   burst, a few hundred KB each, come from the heap and leave it fragmented and held: fixed, the
 *   daemon settles about 25 MB lower at 10,000 pods, again in no measurable time.
 * Other C libraries ignore these variables.
 */
export function daemonEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '1', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072', ...env };
}

/** Turns `kd serve` flags into the daemon's arguments; unset flags are left to the daemon's defaults. */
export function daemonArgs(flags: ServeFlags): string[] {
  const args: string[] = [];
  if (flags.port !== undefined) args.push('--port', flags.port);
  if (flags.host !== undefined) args.push('--host', flags.host);
  if (flags.dataDir !== undefined) args.push('--data-dir', flags.dataDir);
  if (flags.insecureHttp) args.push('--insecure-http');
  if (flags.speed !== undefined) args.push('--speed', flags.speed);
  if (flags.randomSeed !== undefined) args.push('--random-seed', flags.randomSeed);
  if (flags.compactionRetain !== undefined) args.push('--compaction-retain', flags.compactionRetain);
  if (flags.config !== undefined) args.push('--config', flags.config);
  return args;
}

/**
 * Runs the daemon until it exits, forwarding SIGINT and SIGTERM to it; resolves with its exit code
 * (128 + signal number when it was killed by a signal, as a shell reports it).
 */
export async function runServe(flags: ServeFlags): Promise<number> {
  const entry = daemonEntry();
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, entry, ...daemonArgs(flags)], { env: daemonEnv(), stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 + constants.signals[signal] : 1)));
    });
  } finally {
    for (const signal of FORWARDED_SIGNALS) process.off(signal, forward);
  }
}

/** Path of the daemon shim, `<repo>/bin/kd-daemon.js`, found from this file's location. */
export function daemonEntry(): string {
  const entry = join(packageRoot(), 'bin', 'kd-daemon.js');
  if (!existsSync(entry)) {
    throw new Error(`Cannot start the daemon as '${entry}' does not exist: run 'npm run build' first`);
  }
  return entry;
}

/** Walks up from this file to the directory holding package.json (works from cli/ and dist/cli/). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the kubedojo installation: no package.json above the CLI');
    dir = parent;
  }
  return dir;
}
