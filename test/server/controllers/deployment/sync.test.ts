// Proportional scaling cases from upstream's pkg/controller/deployment/sync_test.go (TestScale).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { findActiveOrLatest, proportionalSizes } from '../../../../server/controllers/deployment/sync.js';
import { MAX_REPLICAS_ANNOTATION } from '../../../../server/controllers/deployment/util.js';
import { rollingDeployment } from './fixtures.js';

/** An RS sized `size`, last sized for a deployment maximum of `max`, created `minute` minutes in. */
function rs(name: string, size: number, max: number, minute: number): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: `2026-01-01T00:${String(minute).padStart(2, '0')}:00Z`, annotations: { [MAX_REPLICAS_ANNOTATION]: String(max) } },
    spec: { replicas: size, selector: {} },
    status: { replicas: size },
  };
}

function sizes(replicas: number, rss: ReplicaSet[]): Record<string, number> {
  const d = rollingDeployment(replicas, 0, 0);
  return Object.fromEntries(proportionalSizes(d, rss.filter((r) => (r.spec?.replicas ?? 0) > 0)).map(([r, n]) => [r.metadata?.name, n]));
}

test('proportional scaling spreads the difference by size, leftovers on the largest', () => {
  assert.deepEqual(sizes(10, [rs('foo-v1', 3, 5, 0), rs('foo-v2', 2, 5, 1)]), { 'foo-v1': 6, 'foo-v2': 4 });
  assert.deepEqual(sizes(3, [rs('foo-v1', 3, 5, 0), rs('foo-v2', 2, 5, 1)]), { 'foo-v1': 2, 'foo-v2': 1 });
  assert.deepEqual(sizes(4, [rs('foo-v1', 1, 9, 0), rs('foo-v2', 8, 9, 1)]), { 'foo-v2': 4, 'foo-v1': 0 });
  assert.deepEqual(sizes(10, [rs('foo-v1', 2, 7, 0), rs('foo-v2', 3, 7, 1), rs('foo-v3', 2, 7, 2)]), { 'foo-v2': 4, 'foo-v3': 3, 'foo-v1': 3 });
  assert.deepEqual(sizes(8, [rs('foo-v1', 3, 13, 0), rs('foo-v2', 8, 13, 1), rs('foo-v3', 2, 13, 2)]), { 'foo-v2': 5, 'foo-v1': 2, 'foo-v3': 1 });
});

test('leftovers go to the newest RS when growing and the oldest when shrinking', () => {
  const three = () => [rs('foo-v1', 1, 3, 0), rs('foo-v2', 1, 3, 1), rs('foo-v3', 1, 3, 2)];
  assert.deepEqual(sizes(4, three()), { 'foo-v3': 2, 'foo-v2': 1, 'foo-v1': 1 });
  assert.deepEqual(sizes(2, three()), { 'foo-v1': 0, 'foo-v2': 1, 'foo-v3': 1 });
  assert.deepEqual(sizes(0, [rs('foo-v1', 1, 6, 0), rs('foo-v2', 2, 6, 1), rs('foo-v3', 3, 6, 2)]), { 'foo-v3': 0, 'foo-v2': 0, 'foo-v1': 0 });
});

test('findActiveOrLatest: the only active RS, the newest when none is active, none when several are', () => {
  const v1 = rs('foo-v1', 0, 3, 0);
  const v2 = rs('foo-v2', 0, 3, 1);
  assert.equal(findActiveOrLatest(undefined, [v1, v2])?.metadata?.name, 'foo-v2');
  assert.equal(findActiveOrLatest(rs('new', 0, 3, 2), [v1])?.metadata?.name, 'new');
  assert.equal(findActiveOrLatest(rs('new', 0, 3, 2), [rs('foo-v1', 2, 3, 0)])?.metadata?.name, 'foo-v1');
  assert.equal(findActiveOrLatest(rs('new', 1, 3, 2), [rs('foo-v1', 2, 3, 0)]), undefined);
});
