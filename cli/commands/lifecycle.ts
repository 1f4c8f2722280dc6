/**
 * The cluster lifecycle: `kd up` starts the daemon in the background and points kubectl at it,
 * `kd status` reports on it, `kd reset` empties it in place, `kd down` stops it. The daemon is
 * found through the `daemon.json` of its data directory, so these work whichever way it started.
 */
import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DaemonInfo } from '../../schemas/daemon-info.js';
import type { dataDirOf as DataDirOf } from '../daemon-client.js';
import { DAEMON_NODE_FLAGS, daemonArgs, daemonEntry, daemonEnv, withDaemonOptions, type ServeFlags } from './serve.js';

/** The context `kd up` writes into the user's kubeconfig. */
const CONTEXT = 'kubedojo';
/** Start-up and shutdown waits, in wall milliseconds (TLS keys are made on the very first start). */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;
const POLL_MS = 50;

/** Adds `up`, `down`, `status` and `reset` to the root program. */
/** daemon-client and kubeconfig-merge load undici and yaml: only the lifecycle commands pay for them. */
const daemonClient = () => import('../daemon-client.js');
const dataDirOf: (...args: Parameters<typeof DataDirOf>) => Promise<string> = async (...args) => (await daemonClient()).dataDirOf(...args);

export function registerLifecycle(program: Command): void {
  withDaemonOptions(program.command('up').description('Start the practice cluster in the background and point kubectl at it')).action(async (flags: ServeFlags) => {
    await up(flags);
  });
  const dataDirOption = '--data-dir <dir>';
  const dataDirHelp = 'state directory of the cluster (default: ~/.kubedojo)';
  program.command('down').description('Stop the practice cluster (its state is kept)').option(dataDirOption, dataDirHelp).action(async (flags: { dataDir?: string }) => {
    await down(await dataDirOf(flags.dataDir));
  });
  program.command('status').description('Show whether the practice cluster runs, and what is in it').option(dataDirOption, dataDirHelp).action(async (flags: { dataDir?: string }) => {
    process.exitCode = await status(await dataDirOf(flags.dataDir));
  });
  program.command('reset').description('Replace the cluster with a clean one, in place').option(dataDirOption, dataDirHelp).action(async (flags: { dataDir?: string }) => {
    await reset(await dataDirOf(flags.dataDir));
  });
}

async function up(flags: ServeFlags): Promise<void> {
  const { findDaemon } = await daemonClient();
  const { mergeKubeconfig } = await import('../kubeconfig-merge.js');
  const dataDir = await dataDirOf(flags.dataDir);
  let info = findDaemon(dataDir);
  if (info) {
    process.stdout.write(`kubedojo is already running at ${info.url} (pid ${info.pid})\n`);
  } else {
    info = await startDetached(dataDir, flags);
    process.stdout.write(`kubedojo is running at ${info.url} (pid ${info.pid}, state in ${dataDir})\n`);
  }
  const file = mergeKubeconfig(readFileSync(info.kubeconfig, 'utf8'), CONTEXT);
  process.stdout.write(`Context "${CONTEXT}" is set in ${file}: kubectl now talks to kubedojo\n`);
}

/** Starts the daemon detached, its output in `<data-dir>/daemon.log`; resolves once it listens. */
async function startDetached(dataDir: string, flags: ServeFlags): Promise<DaemonInfo> {
  const { findDaemon } = await daemonClient();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logPath = join(dataDir, 'daemon.log');
  const log = openSync(logPath, 'w');
  const child = spawn(process.execPath, [...DAEMON_NODE_FLAGS, daemonEntry(), ...daemonArgs({ ...flags, dataDir })], { detached: true, env: daemonEnv(), stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const info = findDaemon(dataDir);
    if (info && info.pid === child.pid) return info;
    if (exited !== undefined) throw new Error(`the daemon exited with code ${exited}:\n${tail(logPath)}`);
    await sleep(POLL_MS);
  }
  child.kill('SIGTERM');
  throw new Error(`the daemon did not start within ${START_TIMEOUT_MS / 1000}s; its log is ${logPath}`);
}

function tail(path: string): string {
  return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
}

async function down(dataDir: string): Promise<void> {
  const { findDaemon } = await daemonClient();
  const info = findDaemon(dataDir);
  if (!info) {
    process.stdout.write('kubedojo is not running\n');
    return;
  }
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (findDaemon(dataDir)) {
    if (Date.now() > deadline) throw new Error(`the daemon (pid ${info.pid}) did not stop within ${STOP_TIMEOUT_MS / 1000}s`);
    await sleep(POLL_MS);
  }
  process.stdout.write(`kubedojo stopped; its state stays in ${dataDir} for the next 'kd up'\n`);
}

/** Prints the report; exit code 0 when the daemon runs, 1 when it does not. */
async function status(dataDir: string): Promise<number> {
  const { daemonRequest, findDaemon } = await daemonClient();
  const info = findDaemon(dataDir);
  if (!info) {
    process.stdout.write('kubedojo is not running\n');
    return 1;
  }
  const [clock, nodes, pods] = await Promise.all([
    // The clock's own endpoint: `kd clock speed|pause` change what the daemon started with.
    daemonRequest(info, 'GET', '/kubedojo/clock'),
    daemonRequest(info, 'GET', '/api/v1/nodes'),
    daemonRequest(info, 'GET', '/api/v1/pods'),
  ]);
  const ready = (nodes.body?.items ?? []).filter((n: any) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
  const phases = new Map<string, number>();
  for (const p of pods.body?.items ?? []) phases.set(p.status?.phase ?? 'Pending', (phases.get(p.status?.phase ?? 'Pending') ?? 0) + 1);
  const phaseText = [...phases].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${v} ${k}`).join(', ');
  const podCount = pods.body?.items?.length ?? 0;
  process.stdout.write(
    [
      `kubedojo is running at ${info.url} (pid ${info.pid})`,
      `State:  ${dataDir}`,
      `Clock:  ${clock.body?.time ?? 'unknown'} (speed ${clock.body?.speed ?? info.speed}x${clock.body?.paused ? ', paused' : ''})`,
      `Nodes:  ${nodes.body?.items?.length ?? 0} (${ready} Ready)`,
      `Pods:   ${podCount}${podCount > 0 ? ` (${phaseText})` : ''}`,
    ].join('\n') + '\n',
  );
  return 0;
}

async function reset(dataDir: string): Promise<void> {
  const { daemonRequest, findDaemon } = await daemonClient();
  const info = findDaemon(dataDir);
  if (!info) throw new Error("kubedojo is not running: start it with 'kd up'");
  const t0 = performance.now();
  const res = await daemonRequest(info, 'POST', '/kubedojo/reset');
  if (res.status !== 200) throw new Error(`the reset failed: ${res.body?.message ?? `HTTP ${res.status}`}`);
  process.stdout.write(`kubedojo reset to a clean cluster in ${Math.round(performance.now() - t0)} ms\n`);
}
