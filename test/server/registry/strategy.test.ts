import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloneJSON, generationChanged, jsonEqual, qosClass } from '../../../server/registry/strategy.js';
import { startTestCluster } from '../../support/cluster.js';

test('cloneJSON copies every level of a frozen object, keeps undefined members and own __proto__ keys', () => {
  const original = Object.freeze({ a: Object.freeze([Object.freeze({ b: 1 })]), u: undefined, n: null, s: 'x' });
  const copy = cloneJSON(original);
  assert.deepEqual(copy, original);
  assert.equal(Object.isFrozen(copy) || Object.isFrozen(copy.a) || Object.isFrozen(copy.a[0]), false);
  assert.notEqual(copy.a[0], original.a[0]);
  assert.equal('u' in copy, true);
  (copy.a[0] as { b: number }).b = 2;
  assert.equal(original.a[0]!.b, 1);
  const parsed = JSON.parse('{"__proto__": {"polluted": true}}') as object;
  const cloned = cloneJSON(parsed) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(cloned), Object.prototype);
  assert.deepEqual(Object.keys(cloned), ['__proto__']);
  assert.equal((cloned as { polluted?: boolean }).polluted, undefined);
});

test('jsonEqual ignores key order and undefined members, not values', () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(jsonEqual({ a: 1, x: undefined }, { a: 1 }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 1, b: null }), false);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual({ a: 1, metadata: { x: 1 } }, { a: 1, metadata: { x: 2 } }, (k) => k === 'metadata'), true);
});

test('generation moves on spec changes, and for Deployments on annotation changes', () => {
  const base = { metadata: { name: 'x', labels: { a: '1' } }, spec: { replicas: 1 }, status: { replicas: 0 } };
  assert.equal(generationChanged('ReplicaSet', base, { ...base, status: { replicas: 1 }, metadata: { name: 'x', labels: { a: '2' } } }), false);
  assert.equal(generationChanged('ReplicaSet', base, { ...base, spec: { replicas: 2 } }), true);
  assert.equal(generationChanged('ReplicaSet', base, { ...base, metadata: { ...base.metadata, annotations: { n: 'v' } } }), false);
  assert.equal(generationChanged('Deployment', base, { ...base, metadata: { ...base.metadata, annotations: { n: 'v' } } }), true);
});

test('qosClass follows requests and limits of every container', () => {
  const pod = (resources: object[]) => ({ metadata: {}, spec: { containers: resources.map((r, i) => ({ name: `c${i}`, resources: r })) } });
  assert.equal(qosClass(pod([{}])), 'BestEffort');
  assert.equal(qosClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }])), 'Guaranteed');
  assert.equal(qosClass(pod([{ requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '100m' } }])), 'Burstable');
});

test('a status write keeps spec and metadata as stored, sharing their parts with the version before', (t) => {
  const c = startTestCluster(t, []);
  c.client.create('pods', { metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { note: 'a' }, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: 'u-1' }] }, spec: { containers: [{ name: 'a', image: 'nginx' }] } });
  const key = { namespace: 'default', name: 'web' };
  const before = c.client.get('pods', key)!;
  c.client.mutate('pods', key, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { app: 'changed' } }, spec: { containers: [] }, status: { phase: 'Running' } }), { status: true });
  const after = c.client.get('pods', key)!;
  assert.equal((after.status as { phase?: string }).phase, 'Running');
  assert.deepEqual(after.metadata.labels, { app: 'web' }, 'a status write cannot change labels');
  assert.equal(after.spec, before.spec);
  assert.equal(after.metadata.labels, before.metadata.labels, 'one labels object for both versions, not a copy');
  assert.equal(after.metadata.ownerReferences, before.metadata.ownerReferences);
  assert.equal(after.metadata.annotations, before.metadata.annotations);
  assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
  assert.ok(Object.isFrozen(after.metadata) && Object.isFrozen(after.metadata.labels));
});
