import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, json } from '../../support/app.js';

const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const manifest = (image: string, replicas = 2) => JSON.stringify({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } } },
});
const APPLY = { 'content-type': 'application/apply-patch+yaml' };

test('server-side apply creates, records ownership and reports conflicts', async (t) => {
  const { app } = await buildTestApp(t);
  const created = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web?fieldManager=kubectl&fieldValidation=Strict&force=false`, headers: APPLY, payload: manifest('nginx:1.25') });
  assert.equal(created.statusCode, 201, created.body);
  const entry = json(created).metadata.managedFields[0];
  assert.equal(entry.manager, 'kubectl');
  assert.equal(entry.operation, 'Apply');
  assert.ok(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}']['f:image']);
  assert.equal(json(created).spec.revisionHistoryLimit, 10, 'defaults still apply');

  const other = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web?fieldManager=other&force=false`, headers: APPLY, payload: manifest('nginx:1.26') });
  assert.equal(other.statusCode, 409);
  const status = json(other);
  assert.equal(status.reason, 'Conflict');
  assert.equal(status.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.template.spec.containers[name="nginx"].image');
  assert.deepEqual(status.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.template.spec.containers[name="nginx"].image' }]);

  const forced = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web?fieldManager=other&force=true`, headers: APPLY, payload: manifest('nginx:1.26') });
  assert.equal(forced.statusCode, 200);
  assert.equal(json(forced).spec.template.spec.containers[0].image, 'nginx:1.26');
  assert.equal(json(forced).metadata.generation, 2);

  const noManager = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web`, headers: APPLY, payload: manifest('nginx:1.27') });
  assert.equal(noManager.statusCode, 422);
  assert.equal(json(noManager).message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
});

test('every write records its manager as an Update entry', async (t) => {
  const { app, clock } = await buildTestApp(t);
  const res = await app.inject({ method: 'POST', url: `${DEPLOYS}?fieldManager=kubectl-create`, payload: JSON.parse(manifest('nginx:1.25')) });
  const [entry] = json(res).metadata.managedFields;
  assert.equal(entry.manager, 'kubectl-create');
  assert.equal(entry.operation, 'Update');
  assert.equal(entry.time, '2026-01-01T00:00:00Z');
  clock.advance(1000);
  const patched = await app.inject({ method: 'PATCH', url: `${DEPLOYS}/web`, headers: { 'content-type': 'application/merge-patch+json', 'user-agent': 'curl/8.0' }, payload: { spec: { replicas: 3 } } });
  const managers = json(patched).metadata.managedFields.map((m: { manager: string }) => m.manager);
  assert.deepEqual(managers, ['kubectl-create', 'curl']);
});

test('a create is recorded before admission: the writer owns what it sent and the defaults, not what admission added', async (t) => {
  const { app, settle } = await buildTestApp(t);
  await settle();
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-uid', controller: true, blockOwnerDeletion: true };
  const res = await app.inject({
    method: 'POST', url: '/api/v1/namespaces/default/pods?fieldManager=kube-controller-manager',
    payload: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-abcde', ownerReferences: [owner] }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
  });
  assert.equal(res.statusCode, 201, res.body);
  const pod = json(res);
  // Admission did its part on the object...
  assert.equal(pod.spec.serviceAccountName, 'default');
  assert.ok(pod.spec.tolerations.some((tol: { key: string }) => tol.key === 'node.kubernetes.io/not-ready'));
  assert.equal(pod.spec.priority, 0);
  assert.ok(pod.spec.volumes.some((v: { name: string }) => v.name.startsWith('kube-api-access-')));
  // ...but ownership was recorded before it, on the decoded and defaulted object.
  const [entry] = pod.metadata.managedFields;
  const spec = entry.fieldsV1['f:spec'];
  assert.deepEqual(Object.keys(spec).sort(), ['f:containers', 'f:dnsPolicy', 'f:enableServiceLinks', 'f:restartPolicy', 'f:schedulerName', 'f:securityContext', 'f:terminationGracePeriodSeconds']);
  assert.deepEqual(Object.keys(spec['f:containers']['k:{"name":"app"}']).sort(), ['.', 'f:image', 'f:imagePullPolicy', 'f:name', 'f:resources', 'f:terminationMessagePath', 'f:terminationMessagePolicy']);
  // OwnerReference is an atomic struct: its item is one leaf.
  assert.deepEqual(entry.fieldsV1['f:metadata']['f:ownerReferences'], { '.': {}, 'k:{"uid":"rs-uid"}': {} });
});
