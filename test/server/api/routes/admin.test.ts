import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultClusterConfig } from '../../../../server/config.js';
import { buildTestApp, json, type TestApp } from '../../../support/app.js';

const names = async (a: TestApp, path: string): Promise<string[]> =>
  json<{ items: Array<{ metadata: { name: string } }> }>(await a.app.inject({ method: 'GET', url: path })).items.map((i) => i.metadata.name);

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
};

async function runningPods(a: TestApp): Promise<number> {
  const pods = json<{ items: any[] }>(await a.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/pods' })).items;
  return pods.filter((p) => p.status?.phase === 'Running').length;
}

test('reset leaves a fresh cluster: user objects gone, nodes registered again, old watches end with 410 on resume', async (t) => {
  const a = await buildTestApp(t, { cluster: defaultClusterConfig() });
  await a.settle();
  await a.app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: { metadata: { name: 'team' } } });
  await a.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', payload: { metadata: { name: 'settings' }, data: { a: '1' } } });
  assert.equal((await a.app.inject({ method: 'POST', url: '/apis/apps/v1/namespaces/default/deployments', payload: DEPLOYMENT })).statusCode, 201);
  await a.advance(20_000);
  assert.equal(await runningPods(a), 2);
  const before = json(await a.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps' })).metadata.resourceVersion as string;

  const res = await a.app.inject({ method: 'POST', url: '/kubedojo/reset' });
  assert.equal(res.statusCode, 200);
  assert.equal(json(res).status, 'Success');
  await a.settle();

  assert.deepEqual(await names(a, '/api/v1/namespaces'), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  assert.deepEqual(await names(a, '/api/v1/namespaces/default/configmaps'), []);
  assert.deepEqual(await names(a, '/apis/apps/v1/namespaces/default/deployments'), []);
  assert.deepEqual(await names(a, '/apis/apps/v1/namespaces/default/replicasets'), []);
  assert.deepEqual(await names(a, '/api/v1/namespaces/default/pods'), []);
  // kubeadm's addons are part of a clean cluster.
  assert.deepEqual(await names(a, '/apis/apps/v1/deployments'), ['coredns']);
  assert.deepEqual(await names(a, '/api/v1/nodes'), ['controlplane', 'node01', 'node02']);
  const gone = await a.app.inject({ method: 'GET', url: `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${before}&timeoutSeconds=1` });
  assert.match(gone.body, /"code":410/);
  const after = json(await a.app.inject({ method: 'GET', url: '/api/v1/namespaces/default/configmaps' })).metadata.resourceVersion as string;
  assert.ok(Number(after) > Number(before), `revisions keep counting: ${before} → ${after}`);

  // The old controllers and kubelets are stopped: time passing brings back nothing of the old cluster.
  await a.advance(20_000);
  assert.deepEqual(await names(a, '/api/v1/namespaces/default/pods'), []);
  assert.deepEqual(await names(a, '/api/v1/namespaces/default/serviceaccounts'), ['default']);
  // …and the new ones run it: a Deployment comes up as before.
  assert.equal((await a.app.inject({ method: 'POST', url: '/apis/apps/v1/namespaces/default/deployments', payload: DEPLOYMENT })).statusCode, 201);
  await a.advance(20_000);
  assert.equal(await runningPods(a), 2);
});

test('status reports the virtual time', async (t) => {
  const a = await buildTestApp(t);
  a.clock.advance(90_000);
  assert.deepEqual(json(await a.app.inject({ method: 'GET', url: '/kubedojo/status' })), { time: '2026-01-01T00:01:30Z' });
});
