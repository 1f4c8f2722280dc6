/**
 * Deterministic CPU benchmark of the simulated cluster: the whole component set in this process on
 * a FakeClock with a seeded random source, so the work done is the same on every run and the CPU
 * time it takes compares changes even on a busy machine (wall-clock figures do not).
 *
 * Scenarios: `pods` scales a Deployment from 0 to KD_BENCH_PODS (default 1000) on 100 workers and
 * advances virtual time until all are Ready; `deployments` creates KD_BENCH_DEPLOYMENTS (default
 * 600) one-replica Deployments until all are Available. Prints CPU ms, virtual seconds, heap and
 * RSS. `node dist/test/bench/cpu.bench.js [pods|deployments]`.
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_COMPONENTS } from '../../server/cluster.js';
import { validateClusterConfig } from '../../server/config.js';
import { startTestCluster, type TestCluster } from '../support/cluster.js';
import { Store } from '../../server/storage/store.js';

const WORKERS = 100;
const STEP_MS = 100;
const GIVE_UP_VIRTUAL_MS = 30 * 60_000;
const PODS = Number(process.env['KD_BENCH_PODS'] ?? 1000);
const DEPLOYMENTS = Number(process.env['KD_BENCH_DEPLOYMENTS'] ?? 600);

function deployment(name: string, replicas: number): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

/** Advances virtual time until done() holds; returns the virtual ms it took. */
async function until(c: TestCluster, done: () => boolean): Promise<number> {
  let virtual = 0;
  while (!done()) {
    if (virtual > GIVE_UP_VIRTUAL_MS) throw new Error('gave up');
    await c.advance(STEP_MS, STEP_MS);
    virtual += STEP_MS;
  }
  return virtual;
}

/** As cluster.bench: every node Ready and running its kube-proxy, so the timing covers only the bench's pods. */
function nodesReady(c: TestCluster): boolean {
  const nodes = c.ctx.informers.for('nodes').list() as any[];
  if (nodes.length !== WORKERS + 1 || !nodes.every((n) => n.status?.conditions?.some((x: any) => x.type === 'Ready' && x.status === 'True'))) return false;
  const ds = c.ctx.informers.for('daemonsets.apps').get('kube-system/kube-proxy') as any;
  return ds?.status?.numberReady === WORKERS + 1;
}

async function measure(label: string, c: TestCluster, run: () => Promise<number>): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const virtual = await run();
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  globalThis.gc?.();
  const m = process.memoryUsage();
  console.log(`${label}: cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, wall ${wall.toFixed(0)} ms, virtual ${(virtual / 1000).toFixed(1)} s, heap ${(m.heapUsed / 2 ** 20).toFixed(0)} MB, rss ${(m.rss / 2 ** 20).toFixed(0)} MB`);
}

/** With KD_BENCH_COUNT=1, counts store writes per resource and operation (printed at the end). */
function countWrites(): Map<string, number> {
  const counts = new Map<string, number>();
  if (!process.env['KD_BENCH_COUNT']) return counts;
  const proto = Store.prototype as unknown as Record<string, (...a: any[]) => unknown>;
  for (const op of ['create', 'update', 'delete']) {
    const orig = proto[op]!;
    proto[op] = function (this: unknown, ...args: any[]) {
      const k = `${op} ${args[0].resource}${args[3]?.heartbeat ? ' (heartbeat)' : ''}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      return orig.apply(this, args);
    };
  }
  return counts;
}

/** Writes every object as the API serves it, one per line: two builds must produce the same file. */
function dump(c: TestCluster, file: string): void {
  const lines: string[] = [];
  for (const info of c.ctx.table.resources) {
    const resource = info.group ? `${info.plural}.${info.group}` : info.plural;
    for (const o of c.list(resource)) lines.push(JSON.stringify(o));
  }
  writeFileSync(file, lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const counts = countWrites();
  const scenario = process.argv[2] ?? 'pods';
  const afters: Array<() => unknown> = [];
  const config = validateClusterConfig({ nodes: [{ name: 'controlplane', controlPlane: true }], workers: WORKERS });
  const c = startTestCluster({ after: (fn) => afters.push(fn) }, DEFAULT_COMPONENTS, { config, seed: 1 });
  await measure('start-up', c, () => until(c, () => nodesReady(c)));
  const deployments = c.ctx.informers.for('deployments.apps');
  if (scenario === 'pods') {
    c.client.create('deployments.apps', deployment('web', 0));
    await c.settle();
    await measure(`${PODS} pods`, c, async () => {
      c.client.mutate('deployments.apps', { namespace: 'default', name: 'web' }, (d) => ({ ...d, spec: { ...(d.spec as object), replicas: PODS } }));
      return until(c, () => (deployments.get('default/web') as any)?.status?.readyReplicas === PODS);
    });
  } else {
    await measure(`${DEPLOYMENTS} deployments`, c, async () => {
      for (let i = 0; i < DEPLOYMENTS; i++) c.client.create('deployments.apps', deployment(`app-${i}`, 1));
      return until(c, () => deployments.list('default').filter((d: any) => d.status?.availableReplicas === 1).length === DEPLOYMENTS);
    });
  }
  if (process.env['KD_BENCH_DUMP']) dump(c, process.env['KD_BENCH_DUMP']);
  for (const fn of afters.reverse()) await fn();
  for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`${String(n).padStart(7)} ${k}`);
}

await main();
