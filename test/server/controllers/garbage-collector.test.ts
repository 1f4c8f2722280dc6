import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, json, type TestApp } from '../../support/app.js';

const CMS = '/api/v1/namespaces/default/configmaps';

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

async function make(t: TestApp, name: string, owners: Array<{ name: string; uid: string }> = []): Promise<{ name: string; uid: string }> {
  const ownerReferences = owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.name, uid: o.uid }));
  const res = await t.app.inject({ method: 'POST', url: CMS, payload: { metadata: { name, ...(owners.length ? { ownerReferences } : {}) } } });
  assert.equal(res.statusCode, 201, res.body);
  return { name, uid: json(res).metadata.uid };
}

const exists = async (t: TestApp, name: string): Promise<boolean> => (await t.app.inject({ url: `${CMS}/${name}` })).statusCode === 200;

test('Background: dependents without another owner go; shared dependents lose the reference', async (tt) => {
  const t = await buildTestApp(tt);
  const owner = await make(t, 'owner');
  const other = await make(t, 'other');
  await make(t, 'only-child', [owner]);
  await make(t, 'shared', [owner, other]);
  const del = await t.app.inject({ method: 'DELETE', url: `${CMS}/owner`, payload: { propagationPolicy: 'Background' } });
  assert.equal(del.statusCode, 200);
  await settle();
  assert.equal(await exists(t, 'owner'), false);
  assert.equal(await exists(t, 'only-child'), false);
  const shared = json(await t.app.inject({ url: `${CMS}/shared` }));
  assert.deepEqual(shared.metadata.ownerReferences.map((r: { name: string }) => r.name), ['other']);
});

test('Foreground: the owner waits behind its finalizer until dependents are gone', async (tt) => {
  const t = await buildTestApp(tt);
  const owner = await make(t, 'owner');
  await make(t, 'child', [owner]);
  const del = json(await t.app.inject({ method: 'DELETE', url: `${CMS}/owner`, payload: { propagationPolicy: 'Foreground' } }));
  assert.ok(del.metadata.deletionTimestamp);
  assert.deepEqual(del.metadata.finalizers, ['foregroundDeletion']);
  await settle();
  assert.equal(await exists(t, 'child'), false);
  assert.equal(await exists(t, 'owner'), false);
});

test('Orphan: dependents stay and lose their owner reference', async (tt) => {
  const t = await buildTestApp(tt);
  const owner = await make(t, 'owner');
  await make(t, 'child', [owner]);
  const del = json(await t.app.inject({ method: 'DELETE', url: `${CMS}/owner`, payload: { propagationPolicy: 'Orphan' } }));
  assert.deepEqual(del.metadata.finalizers, ['orphan']);
  await settle();
  assert.equal(await exists(t, 'owner'), false);
  const child = json(await t.app.inject({ url: `${CMS}/child` }));
  assert.equal(child.metadata.ownerReferences, undefined);
});
