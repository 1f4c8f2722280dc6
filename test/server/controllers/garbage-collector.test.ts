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

test('Events are not collected: upstream ignores them, so their owner references delete nothing', async (tt) => {
  const t = await buildTestApp(tt);
  const owner = await make(t, 'owner');
  const ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid }];
  const core = await t.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/events', payload: { metadata: { name: 'core-ev', ownerReferences }, involvedObject: { kind: 'ConfigMap', name: 'owner', namespace: 'default' }, reason: 'Test', message: 'm' } });
  assert.equal(core.statusCode, 201, core.body);
  const v1 = await t.app.inject({ method: 'POST', url: '/apis/events.k8s.io/v1/namespaces/default/events', payload: { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'v1-ev', ownerReferences }, eventTime: '2026-01-01T00:00:00.000000Z', reportingController: 'test', reportingInstance: 'test-1', action: 'Testing', reason: 'Test', regarding: { kind: 'ConfigMap', name: 'owner', namespace: 'default' }, type: 'Normal' } });
  assert.equal(v1.statusCode, 201, v1.body);
  await make(t, 'child', [owner]);
  assert.equal((await t.app.inject({ method: 'DELETE', url: `${CMS}/owner`, payload: { propagationPolicy: 'Background' } })).statusCode, 200);
  await settle();
  assert.equal(await exists(t, 'child'), false);
  for (const url of ['/api/v1/namespaces/default/events/core-ev', '/apis/events.k8s.io/v1/namespaces/default/events/v1-ev']) {
    assert.equal((await t.app.inject({ url })).statusCode, 200, url);
  }
});

test('A dependent whose other fields change stays indexed under its owner', async (tt) => {
  const t = await buildTestApp(tt);
  const owner = await make(t, 'owner');
  await make(t, 'child', [owner]);
  const patch = await t.app.inject({ method: 'PATCH', url: `${CMS}/child`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { data: { k: 'v' } } });
  assert.equal(patch.statusCode, 200, patch.body);
  await settle();
  assert.equal((await t.app.inject({ method: 'DELETE', url: `${CMS}/owner` })).statusCode, 200);
  await settle();
  assert.equal(await exists(t, 'child'), false);
});
