import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResourceTable } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { bootstrap } from '../../server/bootstrap.js';
import { newClusterContext, type ClusterContext, type StartComponent } from '../../server/cluster.js';
import { FakeClock } from '../../server/clock.js';
import type { LocalClient } from '../../server/client/api-client.js';
import { defaultClusterConfig, type ClusterConfig } from '../../server/config.js';
import { seededRandom } from '../../server/random.js';
import { Registry } from '../../server/registry/rest.js';
import { Store } from '../../server/storage/store.js';
import { Hub } from '../../server/watch/hub.js';

/** Cluster components on a temp store and a frozen clock, with helpers to let time pass. */
export interface TestCluster {
  ctx: ClusterContext;
  clock: FakeClock;
  /** A client acting as the user (field manager `kubectl`). */
  client: LocalClient;
  /** Lets queued watch deliveries and workers run (no virtual time passes). */
  settle(): Promise<void>;
  /** Advances virtual time in steps of `stepMs`, settling after each step. */
  advance(ms: number, stepMs?: number): Promise<void>;
  /** Current objects of a resource in a namespace (all namespaces when omitted). */
  list(resource: string, namespace?: string): Readonly<KubeObject>[];
}

/**
 * Starts the given components (in order) against a fresh store with the bootstrap objects, then
 * starts the shared informers, exactly as the daemon does; everything stops after the test.
 */
export function startTestCluster(t: { after(fn: () => unknown): void }, components: StartComponent[], opts: { config?: ClusterConfig; seed?: number } = {}): TestCluster {
  const dir = mkdtempSync(join(tmpdir(), 'kd-cluster-'));
  const store = new Store(join(dir, 'state.db'));
  const clock = new FakeClock();
  const table = loadResourceTable();
  const random = seededRandom(opts.seed ?? 42);
  const registry = new Registry({ store, clock, random });
  const hub = new Hub(store);
  bootstrap(registry, table);
  const ctx = newClusterContext({ registry, hub, table, clock, random, config: opts.config ?? defaultClusterConfig() });
  const stops = components.map((start) => start(ctx));
  ctx.informers.start();
  t.after(() => {
    for (const stop of stops.reverse()) stop();
    ctx.informers.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    ctx,
    clock,
    client: ctx.client('kubectl'),
    settle,
    async advance(ms, stepMs = 100) {
      await settle();
      for (let done = 0; done < ms; done += stepMs) {
        clock.advance(Math.min(stepMs, ms - done));
        await settle();
      }
    },
    list: (resource, namespace) => ctx.client('test').list(resource, namespace ? { namespace } : {}),
  };
}
