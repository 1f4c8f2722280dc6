/**
 * CLI benchmark: one-shot `get pods` with kd and with the real kubectl v1.35.2 against the same
 * daemon (runs interleaved, so both see the same machine load), then `get pods` inside kd's shell
 * (the pooled connection and in-memory discovery the shell uses) with 100 pods. Prints
 * median/p90/p99; never fails on time.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConnectionPool, useConnectionPool } from '../../cli/kube/connect.js';
import { runCommand } from '../../cli/main.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { kubectlPath, repoRoot } from '../support/kubectl.js';

const PODS = 100;
const ONE_SHOT_RUNS = 25;
const SHELL_WARMUP = 20;
const SHELL_RUNS = 300;

function pct(samples: number[], p: number): string {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(1);
}

function report(name: string, samples: number[]): void {
  console.log(`${name.padEnd(34)} n=${String(samples.length).padStart(4)}  p50=${pct(samples, 50).padStart(7)} ms  p90=${pct(samples, 90).padStart(7)} ms  p99=${pct(samples, 99).padStart(7)} ms`);
}

/** Wall time of one process run to completion. */
function timedRun(file: string, args: string[], env: Record<string, string>): number {
  const t0 = performance.now();
  const r = spawnSync(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

async function oneShot(d: Daemon, env: Record<string, string>): Promise<void> {
  const kubectl = await kubectlPath();
  const kd = join(repoRoot(), 'bin', 'kd.js');
  const kdTimes: number[] = [];
  const kubectlTimes: number[] = [];
  // One run each first, so both have their discovery caches on disk as a user's would.
  timedRun(kubectl, ['--kubeconfig', d.kubeconfig, 'get', 'pods'], env);
  timedRun(process.execPath, [kd, 'get', 'pods', '--kubeconfig', d.kubeconfig], env);
  for (let i = 0; i < ONE_SHOT_RUNS; i++) {
    kubectlTimes.push(timedRun(kubectl, ['--kubeconfig', d.kubeconfig, 'get', 'pods'], env));
    kdTimes.push(timedRun(process.execPath, [kd, 'get', 'pods', '--kubeconfig', d.kubeconfig], env));
  }
  report(`one-shot kubectl get pods (${PODS})`, kubectlTimes);
  report(`one-shot kd get pods (${PODS})`, kdTimes);
  const baseline: number[] = [];
  for (let i = 0; i < ONE_SHOT_RUNS; i++) baseline.push(timedRun(process.execPath, ['-e', ''], env));
  report('node -e "" (start-up floor)', baseline);
}

/** `get pods` as the shell runs it: runCommand in this process on the pooled connection. */
async function inShell(d: Daemon): Promise<void> {
  process.env['KUBECONFIG'] = d.kubeconfig;
  const pool = new ConnectionPool();
  useConnectionPool(pool);
  const write = process.stdout.write;
  let bytes = 0;
  const samples: number[] = [];
  try {
    process.stdout.write = ((chunk: string | Uint8Array) => ((bytes += chunk.length), true)) as typeof process.stdout.write;
    for (let i = 0; i < SHELL_WARMUP + SHELL_RUNS; i++) {
      pool.beginCommand();
      const t0 = performance.now();
      const code = await runCommand(['get', 'pods']);
      if (code !== 0) throw new Error(`get pods exited ${code}`);
      if (i >= SHELL_WARMUP) samples.push(performance.now() - t0);
    }
  } finally {
    process.stdout.write = write;
    useConnectionPool(undefined);
    await pool.close();
  }
  report(`shell get pods (${PODS})`, samples);
  console.log(`  (${Math.round(bytes / (SHELL_WARMUP + SHELL_RUNS))} bytes of table per run)`);
}

async function main(): Promise<void> {
  const d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  const home = mkdtempSync(join(tmpdir(), 'kd-cli-bench-'));
  mkdirSync(join(home, '.kube', 'cache'), { recursive: true });
  process.env['HOME'] = home;
  process.env['KUBECACHEDIR'] = join(home, '.kube', 'cache');
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, KUBECACHEDIR: join(home, '.kube', 'cache') };
  const { ok, waitFor } = e2e(() => d);
  try {
    await ok('create', 'deployment', 'bench', '--image=nginx:1.27', `--replicas=${PODS}`);
    await waitFor(`${PODS} pods`, async () => (await ok('get', 'pods', '-o', 'name')).split('\n').filter((l) => l !== '').length === PODS, 120_000);
    await oneShot(d, env);
    await inShell(d);
  } finally {
    await d.stop();
  }
}

await main();
