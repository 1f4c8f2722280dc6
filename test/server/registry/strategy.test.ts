import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generationChanged, jsonEqual, qosClass } from '../../../server/registry/strategy.js';

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
