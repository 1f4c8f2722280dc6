/**
 * Drill benchmark: how long `kd drill reset` takes to put the default three-node cluster back to
 * its baseline (the `kd-baseline` snapshot restore; a plain reset plus the wait for a fresh cluster
 * on a daemon without snapshots), and the same followed by a drill's setup writes. Runs against a
 * real daemon process on the default cluster; prints figures, never fails on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { findDrill } from '../../cli/drill/catalog.js';
import { DrillCluster } from '../../cli/drill/cluster.js';
import { restoreBaseline, runSetup } from '../../cli/drill/engine.js';
import { findDaemon } from '../../cli/daemon-client.js';
import { startDaemon } from '../support/daemon.js';

const ROUNDS = 10;

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kd-drill-bench-'));
  const d = await startDaemon({ dataDir: join(root, 'data'), extraArgs: ['--speed', '20', '--random-seed', '1'] });
  try {
    const info = findDaemon(d.dataDir);
    if (!info) throw new Error('the daemon wrote no daemon.json');
    const cluster = await DrillCluster.open(info);
    const first = await restoreBaseline(cluster);
    // A drill without waits: what remains is the baseline restore and the setup's writes.
    const drill = { ...findDrill('service-selector'), setup: findDrill('service-selector').setup.filter((s) => !s.waitFor) };
    const restore: number[] = [];
    const withSetup: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      let t0 = performance.now();
      const how = await restoreBaseline(cluster);
      restore.push(performance.now() - t0);
      t0 = performance.now();
      await restoreBaseline(cluster);
      await runSetup(cluster, drill, () => undefined);
      withSetup.push(performance.now() - t0);
      if (i === 0) console.log(`kubedojo drill benchmark (node ${process.version}, default cluster, baseline ${first}, then each reset ${how})`);
    }
    await cluster.close();
    console.log(`drill reset (baseline restore): median ${median(restore).toFixed(0)} ms, max ${Math.max(...restore).toFixed(0)} ms over ${ROUNDS} (target <= 200 ms)`);
    console.log(`drill reset + setup writes of service-selector: median ${median(withSetup).toFixed(0)} ms, max ${Math.max(...withSetup).toFixed(0)} ms`);
  } finally {
    await d.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
