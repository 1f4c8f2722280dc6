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
}

/** Builds the app for `app.inject` tests (fastify/demo's build(t)). */
export async function buildTestApp(t: { after(fn: () => unknown): void }, opts: { dataDir?: string; keepDir?: boolean; compactionRetain?: number; cluster?: ClusterConfig } = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'kd-app-'));
  const clock = new FakeClock();
  const app = await buildApp({ dataDir, clock, random: seededRandom(42), ...(opts.compactionRetain !== undefined ? { compactionRetain: opts.compactionRetain } : {}), ...(opts.cluster ? { cluster: opts.cluster } : {}) });
  t.after(async () => {
    await app.close();
    if (!opts.keepDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return { app, clock, dataDir };
}

/** JSON body of an inject response. */
export function json<T = Record<string, any>>(res: { body: string }): T {
  return JSON.parse(res.body) as T;
}
