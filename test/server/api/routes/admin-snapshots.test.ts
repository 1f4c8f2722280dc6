import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../../../server/config.js';
import { buildTestApp, json, type TestApp } from '../../../support/app.js';

const names = async (a: TestApp, path: string): Promise<string[]> =>
  json<{ items: Array<{ metadata: { name: string } }> }>(await a.app.inject({ method: 'GET', url: path })).items.map((i) => i.metadata.name);
const CMS = '/api/v1/namespaces/default/configmaps';

test('a snapshot restore puts objects, faults and the clock back; old watches get 410; revisions keep counting', async (t) => {
  const a = await buildTestApp(t, { cluster: defaultClusterConfig() });
  await a.advance(5_000);
  await a.app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'keep' }, data: { v: '1' } } });
  await a.app.inject({ method: 'POST', url: '/kubedojo/faults', payload: { type: 'ImageUnpullable', image: 'nginx:1.27' } });
  const saved = await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots', payload: { name: 'base' } });
  assert.equal(saved.statusCode, 201, saved.body);
  assert.deepEqual(json(saved), { name: 'base', time: '2026-01-01T00:00:05Z' });

  await a.app.inject({ method: 'DELETE', url: `${CMS}/keep` });
  await a.app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'later' } } });
  await a.app.inject({ method: 'DELETE', url: '/kubedojo/faults' });
  await a.advance(60_000);
  const before = json(await a.app.inject({ method: 'GET', url: CMS })).metadata.resourceVersion as string;

  const restored = await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots/base/restore' });
  assert.equal(restored.statusCode, 200, restored.body);
  assert.deepEqual(json(restored), { name: 'base', time: '2026-01-01T00:00:05Z' });
  await a.settle();
  assert.ok((await names(a, CMS)).includes('keep'));
  assert.ok(!(await names(a, CMS)).includes('later'));
  assert.deepEqual(json(await a.app.inject({ method: 'GET', url: '/kubedojo/faults' })).items, [{ type: 'ImageUnpullable', image: 'nginx:1.27', id: 'f1' }]);
  assert.equal(json(await a.app.inject({ method: 'GET', url: '/kubedojo/clock' })).time, '2026-01-01T00:00:05Z');
  const gone = await a.app.inject({ method: 'GET', url: `${CMS}?watch=true&resourceVersion=${before}&timeoutSeconds=1` });
  assert.match(gone.body, /"code":410/);
  const list = json(await a.app.inject({ method: 'GET', url: CMS }));
  assert.ok(Number(list.metadata.resourceVersion) > Number(before), 'revisions keep counting after a restore');
  for (const cm of list.items) assert.ok(Number(cm.metadata.resourceVersion) > Number(before), `${cm.metadata.name} is stamped anew`);

  // The restarted runtime runs the restored cluster: nodes stay Ready as time passes.
  await a.advance(60_000);
  const nodes = json(await a.app.inject({ method: 'GET', url: '/api/v1/nodes' })).items;
  for (const n of nodes) assert.equal(n.status.conditions.find((c: any) => c.type === 'Ready').status, 'True', n.metadata.name);
});

test('snapshots are listed, deleted, and unknown names answer 404; bad names 400', async (t) => {
  const a = await buildTestApp(t);
  await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots', payload: { name: 'b' } });
  a.clock.advance(90_000);
  await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots', payload: { name: 'a' } });
  assert.deepEqual(json(await a.app.inject({ method: 'GET', url: '/kubedojo/snapshots' })).items, [{ name: 'a', time: '2026-01-01T00:01:30Z' }, { name: 'b', time: '2026-01-01T00:00:00Z' }]);
  assert.equal((await a.app.inject({ method: 'DELETE', url: '/kubedojo/snapshots/b' })).statusCode, 200);
  assert.deepEqual(json(await a.app.inject({ method: 'GET', url: '/kubedojo/snapshots' })).items.map((s: any) => s.name), ['a']);
  const missing = await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots/zzz/restore' });
  assert.equal(missing.statusCode, 404);
  assert.equal(json(missing).message, 'snapshot "zzz" not found');
  assert.equal((await a.app.inject({ method: 'DELETE', url: '/kubedojo/snapshots/zzz' })).statusCode, 404);
  assert.equal((await a.app.inject({ method: 'POST', url: '/kubedojo/snapshots', payload: { name: 'Bad Name' } })).statusCode, 400);
});

test('snapshots survive a restart of the app on the same data dir', async (t) => {
  const first = await buildTestApp(t, { keepDir: true });
  await first.app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'x' } } });
  await first.app.inject({ method: 'POST', url: '/kubedojo/snapshots', payload: { name: 's' } });
  await first.app.inject({ method: 'DELETE', url: `${CMS}/x` });
  await first.app.close();
  const second = await buildTestApp(t, { dataDir: first.dataDir });
  assert.equal((await second.app.inject({ method: 'POST', url: '/kubedojo/snapshots/s/restore' })).statusCode, 200);
  assert.deepEqual(await names(second, CMS), ['x']);
});
