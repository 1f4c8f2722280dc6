import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { calculateStatus, type ReplicaCounts } from '../../../../server/controllers/replicaset/status.js';

const NOW = Date.UTC(2026, 0, 1);

function rs(replicas: number, conditions: NonNullable<ReplicaSet['status']>['conditions'] = []): ReplicaSet {
  return { metadata: { name: 'web', generation: 1 }, spec: { replicas, selector: {}, template: { metadata: { labels: { app: 'web' } } } }, status: { replicas: 0, conditions } };
}

// One active, fully labelled pod that is not ready.
const onePending: ReplicaCounts = { replicas: 1, fullyLabeled: 1, ready: 0, available: 0 };

test('a failed create sets ReplicaFailure with reason FailedCreate and the error text', () => {
  const status = calculateStatus(rs(3), onePending, new Error('pods "web-x" is forbidden: exceeded quota'), NOW);
  assert.deepEqual(status.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'FailedCreate', message: 'pods "web-x" is forbidden: exceeded quota' }]);
  assert.equal(status.replicas, 1);
  assert.equal(status.fullyLabeledReplicas, 1);
});

test('a clean sync removes ReplicaFailure', () => {
  const failing = rs(1, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'x' }]);
  assert.equal(calculateStatus(failing, onePending, undefined, NOW).conditions, undefined);
});

test('terminatingReplicas is written only when terminating pods are counted (feature gate)', () => {
  assert.equal(calculateStatus(rs(1), { ...onePending, terminating: 1 }, undefined, NOW).terminatingReplicas, 1);
  assert.equal(calculateStatus(rs(1), onePending, undefined, NOW).terminatingReplicas, undefined);
});
