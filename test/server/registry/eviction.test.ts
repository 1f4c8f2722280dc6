/**
 * The pods/eviction subresource through the HTTP API (no controllers run: pod and PDB status are
 * written by hand), one test per branch of EvictionREST.Create.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import protobuf from 'protobufjs';
import { buildTestApp, json } from '../../support/app.js';

const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
const MERGE = { 'content-type': 'application/merge-patch+json' };
const KUBECTL_UA = 'kubectl/v1.35.2 (linux/amd64) kubernetes/abcdef0';
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

interface PodOpts { labels?: Record<string, string>; phase?: string; ready?: boolean }

/** A pod bound to node01 with the given phase and readiness. */
async function createPod(app: FastifyInstance, name: string, o: PodOpts = {}): Promise<any> {
  const res = await app.inject({ method: 'POST', url: PODS, payload: { metadata: { name, labels: o.labels ?? { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } });
  assert.equal(res.statusCode, 201, res.body);
  await app.inject({ method: 'POST', url: `${PODS}/${name}/binding`, payload: { metadata: { name }, target: { kind: 'Node', name: 'node01' } } });
  const conditions = [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }];
  const st = await app.inject({ method: 'PATCH', url: `${PODS}/${name}/status`, headers: MERGE, payload: { status: { phase: o.phase ?? 'Running', conditions } } });
  assert.equal(st.statusCode, 200, st.body);
  return json(st);
}

interface PdbStatus { disruptionsAllowed: number; currentHealthy: number; desiredHealthy: number; expectedPods?: number; observedGeneration?: number }

/** A PDB over app=web with a status as the disruption controller would have written it. */
async function createPdb(app: FastifyInstance, name: string, status: PdbStatus, spec: Record<string, unknown> = {}): Promise<void> {
  const res = await app.inject({ method: 'POST', url: PDBS, payload: { metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } }, ...spec } } });
  assert.equal(res.statusCode, 201, res.body);
  const full = { observedGeneration: 1, expectedPods: 3, ...status, conditions: [{ type: 'DisruptionAllowed', status: status.disruptionsAllowed > 0 ? 'True' : 'False', reason: status.disruptionsAllowed > 0 ? 'SufficientPods' : 'InsufficientPods', message: '', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 1 }] };
  const st = await app.inject({ method: 'PATCH', url: `${PDBS}/${name}/status`, headers: MERGE, payload: { status: full } });
  assert.equal(st.statusCode, 200, st.body);
}

function evict(app: FastifyInstance, name: string, extra: { body?: Record<string, unknown>; query?: string } = {}) {
  const payload = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' }, ...extra.body };
  return app.inject({ method: 'POST', url: `${PODS}/${name}/eviction${extra.query ?? ''}`, headers: { 'user-agent': KUBECTL_UA }, payload });
}

async function getPod(app: FastifyInstance, name: string): Promise<any> {
  const res = await app.inject({ url: `${PODS}/${name}` });
  return res.statusCode === 404 ? undefined : json(res);
}

async function getPdb(app: FastifyInstance, name: string): Promise<any> {
  return json(await app.inject({ url: `${PDBS}/${name}` }));
}

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

test('a pod without a PDB gets DisruptionTarget and is deleted gracefully; 201 Success', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 201);
  assert.deepEqual(json(res), SUCCESS);
  const pod = await getPod(app, 'web-1');
  assert.equal(pod.metadata.deletionTimestamp, '2026-01-01T00:00:30Z');
  assert.equal(pod.metadata.deletionGracePeriodSeconds, 30);
  const target = pod.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
  assert.deepEqual(target, { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' });
});

test('deleteOptions are honoured: gracePeriodSeconds 0 removes the pod, a wrong uid precondition is a conflict', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  const stale = await evict(app, 'web-1', { body: { deleteOptions: { preconditions: { uid: 'not-the-uid' } } } });
  assert.equal(stale.statusCode, 409);
  const uid = (await getPod(app, 'web-1')).metadata.uid;
  assert.equal(json(stale).message, `Operation cannot be fulfilled on Pod "web-1": the UID in the precondition (not-the-uid) does not match the UID in record (${uid}). The object might have been deleted and then recreated`);
  const res = await evict(app, 'web-1', { body: { deleteOptions: { gracePeriodSeconds: 0, preconditions: { uid } } } });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(await getPod(app, 'web-1'), undefined);
});

test('the name in the body must be the URL name; a missing pod is 404; v1beta1 bodies are accepted', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  const mismatch = await evict(app, 'web-1', { body: { metadata: { name: 'other' } } });
  assert.equal(mismatch.statusCode, 400);
  assert.deepEqual(json(mismatch), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'name in URL does not match name in Eviction object', reason: 'BadRequest', code: 400 });
  const missing = await evict(app, 'ghost');
  assert.equal(missing.statusCode, 404);
  assert.equal(json(missing).message, 'pods "ghost" not found');
  const beta = await evict(app, 'web-1', { body: { apiVersion: 'policy/v1beta1' } });
  assert.equal(beta.statusCode, 201, beta.body);
});

test('a PDB with no disruption left refuses with 429 and the DisruptionBudget cause, no Retry-After', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'web', { disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3 });
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], undefined);
  assert.deepEqual(json(res), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: VIOLATION, reason: 'TooManyRequests',
    details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web needs 3 healthy pods and has 3 currently' }] }, code: 429,
  });
  const pod = await getPod(app, 'web-1');
  assert.equal(pod.metadata.deletionTimestamp, undefined);
  assert.equal(pod.status.conditions.some((c: any) => c.type === 'DisruptionTarget'), false);
});

test('a PDB whose status lags its generation answers 429 with Retry-After 10', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'web', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, observedGeneration: 0 });
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 429);
  assert.equal(res.headers['retry-after'], '10');
  assert.deepEqual(json(res).details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget web is still being processed by the server.' }], retryAfterSeconds: 10 });
});

test('an allowed eviction spends the budget: allowed 0, InsufficientPods, the pod in disruptedPods', async (t) => {
  const { app, clock } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'web', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
  clock.advance(5000);
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 201, res.body);
  const pdb = await getPdb(app, 'web');
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.deepEqual(pdb.status.disruptedPods, { 'web-1': '2026-01-01T00:00:05Z' });
  assert.deepEqual(pdb.status.conditions, [{ type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: '2026-01-01T00:00:05Z', reason: 'InsufficientPods', message: '' }]);
  assert.equal(pdb.status.currentHealthy, 3, 'the controller recomputes the counts, not the eviction');
  assert.ok((await getPod(app, 'web-1')).metadata.deletionTimestamp);
  await createPod(app, 'web-2');
  assert.equal((await evict(app, 'web-2')).statusCode, 429);
});

test('more than one matching PDB is a 500 Status; PDBs of other labels do not count', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'a', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
  await createPdb(app, 'other', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 1 }, { selector: { matchLabels: { app: 'db' } } });
  assert.equal((await evict(app, 'web-1', { query: '?dryRun=All' })).statusCode, 201);
  await createPdb(app, 'b', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 500);
  assert.deepEqual(json(res), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 });
  assert.equal((await getPod(app, 'web-1')).metadata.deletionTimestamp, undefined);
});

test('terminal, Pending and terminating pods are deleted without looking at the PDB', async (t) => {
  const { app } = await buildTestApp(t);
  await createPdb(app, 'web', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 3 });
  await createPod(app, 'done', { phase: 'Succeeded', ready: false });
  await createPod(app, 'failed', { phase: 'Failed', ready: false });
  await createPod(app, 'starting', { phase: 'Pending', ready: false });
  for (const name of ['done', 'failed']) {
    assert.equal((await evict(app, name)).statusCode, 201);
    assert.equal(await getPod(app, name), undefined, `${name}: a terminal pod has no grace period`);
  }
  assert.equal((await evict(app, 'starting')).statusCode, 201);
  assert.ok((await getPod(app, 'starting')).metadata.deletionTimestamp);
  await createPod(app, 'leaving');
  await app.inject({ method: 'DELETE', url: `${PODS}/leaving` });
  assert.equal((await evict(app, 'leaving', { body: { deleteOptions: { gracePeriodSeconds: 0 } } })).statusCode, 201);
  assert.equal(await getPod(app, 'leaving'), undefined);
  assert.deepEqual((await getPdb(app, 'web')).status.disruptedPods, undefined);
});

test('an unready pod: IfHealthyBudget lets it go while the budget is met, AlwaysAllow always', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'sick', { ready: false });
  await createPdb(app, 'web', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 });
  const refused = await evict(app, 'sick');
  assert.equal(refused.statusCode, 429);
  assert.equal(json(refused).details.causes[0].message, 'The disruption budget web needs 2 healthy pods and has 1 currently');
  await app.inject({ method: 'PATCH', url: `${PDBS}/web/status`, headers: MERGE, payload: { status: { currentHealthy: 2 } } });
  assert.equal((await evict(app, 'sick')).statusCode, 201);
  const pdb = await getPdb(app, 'web');
  assert.equal(pdb.status.disruptionsAllowed, 0);
  assert.equal(pdb.status.disruptedPods, undefined, 'an unready pod does not spend the budget');

  await createPod(app, 'sick2', { ready: false, labels: { app: 'api' } });
  await createPdb(app, 'api', { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 2 }, { selector: { matchLabels: { app: 'api' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  assert.equal((await evict(app, 'sick2')).statusCode, 201);
});

test('dry run (query or deleteOptions) checks everything and changes nothing', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'web', { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2 });
  const before = await getPod(app, 'web-1');
  const pdbBefore = await getPdb(app, 'web');
  assert.equal((await evict(app, 'web-1', { query: '?dryRun=All' })).statusCode, 201);
  assert.equal((await evict(app, 'web-1', { body: { deleteOptions: { dryRun: ['All'] } } })).statusCode, 201);
  assert.deepEqual(await getPod(app, 'web-1'), before);
  assert.deepEqual(await getPdb(app, 'web'), pdbBefore);
  await app.inject({ method: 'PATCH', url: `${PDBS}/web/status`, headers: MERGE, payload: { status: { disruptionsAllowed: 0 } } });
  assert.equal((await evict(app, 'web-1', { query: '?dryRun=All' })).statusCode, 429, 'a dry run is refused like the real thing');
});

test('a negative disruptionsAllowed is 403 Forbidden', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  await createPdb(app, 'web', { disruptionsAllowed: -1, currentHealthy: 1, desiredHealthy: 2 });
  const res = await evict(app, 'web-1');
  assert.equal(res.statusCode, 403);
  assert.equal(json(res).message, 'poddisruptionbudget.policy "web" is forbidden: pdb disruptions allowed is negative');
});

/** A protobuf policy/v1 Eviction (the Unknown envelope after the k8s magic), written field by field. */
function protobufEviction(name: string, gracePeriodSeconds: number): Buffer {
  const meta = protobuf.Writer.create().uint32((1 << 3) | 2).string(name).uint32((3 << 3) | 2).string('default').finish();
  const options = protobuf.Writer.create().uint32(1 << 3).int64(gracePeriodSeconds).finish();
  const raw = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(meta).uint32((2 << 3) | 2).bytes(options).finish();
  const typeMeta = protobuf.Writer.create().uint32((1 << 3) | 2).string('policy/v1').uint32((2 << 3) | 2).string('Eviction').finish();
  const envelope = protobuf.Writer.create().uint32((1 << 3) | 2).bytes(typeMeta).uint32((2 << 3) | 2).bytes(raw).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), envelope]);
}

test('a protobuf Eviction body is decoded like JSON, deleteOptions included', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  const res = await app.inject({ method: 'POST', url: `${PODS}/web-1/eviction`, headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/json' }, payload: protobufEviction('web-1', 0) });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(await getPod(app, 'web-1'), undefined, 'gracePeriodSeconds 0 came through');
});

test('no eviction in a terminating namespace: 403 with the NamespaceTerminating cause', async (t) => {
  const { app } = await buildTestApp(t);
  await app.inject({ method: 'POST', url: '/api/v1/namespaces', payload: { metadata: { name: 'doomed' } } });
  const pod = await app.inject({ method: 'POST', url: '/api/v1/namespaces/doomed/pods', payload: { metadata: { name: 'p' }, spec: { nodeName: 'node01', containers: [{ name: 'c', image: 'nginx' }] } } });
  assert.equal(pod.statusCode, 201, pod.body);
  await app.inject({ method: 'DELETE', url: '/api/v1/namespaces/doomed' });
  const res = await app.inject({ method: 'POST', url: '/api/v1/namespaces/doomed/pods/p/eviction', payload: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'doomed' } } });
  assert.equal(res.statusCode, 403);
  assert.deepEqual(json(res), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403,
    message: 'pods "p" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    details: { name: 'p', kind: 'pods', causes: [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }] },
  });
});

test('GET on the eviction subresource is not allowed', async (t) => {
  const { app } = await buildTestApp(t);
  await createPod(app, 'web-1');
  const res = await app.inject({ url: `${PODS}/web-1/eviction` });
  assert.equal(res.statusCode, 405);
});
