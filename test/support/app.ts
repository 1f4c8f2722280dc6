import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/api/app.js';
import { FakeClock } from '../../server/clock.js';
import type { ClusterConfig } from '../../server/config.js';
import { seededRandom } from '../../server/random.js';

/** An API server on a temp data dir with a frozen clock and seeded randomness, closed after the test. */
export interface TestApp {
  app: FastifyInstance;
  clock: FakeClock;
  dataDir: string;
  /** Lets queued watch deliveries and the work they trigger run. */
  settle(): Promise<void>;
  /** Moves the clock forward in 100 ms steps, settling after each. */
  advance(ms: number): Promise<void>;
  /** Creates a pod in `default`, bound to node01 unless the spec says otherwise; asserts 201. */
  createPod(name: string, spec: object): Promise<void>;
}

export interface TestAppOptions {
  dataDir?: string;
  keepDir?: boolean;
  compactionRetain?: number;
  /** Runs the simulated cluster too. */
  cluster?: ClusterConfig;
  /** @default 42 */
  seed?: number;
}

/** Builds the app for `app.inject` tests (fastify/demo's build(t)). */
export async function buildTestApp(t: { after(fn: () => unknown): void }, opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kd-app-'));
  const clock = new FakeClock();
  const app = await buildApp({
    dataDir, clock, random: seededRandom(opts.seed ?? 42),
    ...(opts.compactionRetain !== undefined ? { compactionRetain: opts.compactionRetain } : {}),
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
  });
  t.after(async () => {
    await app.close();
    if (!opts.keepDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    app, clock, dataDir, settle,
    async advance(ms) {
      await settle();
      for (let done = 0; done < ms; done += 100) {
        clock.advance(Math.min(100, ms - done));
        await settle();
      }
    },
    async createPod(name, spec) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/pods', payload: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: 'node01', ...spec } } });
      assert.equal(res.statusCode, 201, res.body);
    },
  };
}

/** JSON body of an inject response. */
export function json<T = Record<string, any>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}
