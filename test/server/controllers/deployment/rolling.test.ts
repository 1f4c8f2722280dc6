// Upstream's tables from pkg/controller/deployment/rolling_test.go, run on the pure planners.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { cleanupUnhealthyReplicas, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldReplicaSetsForRollingUpdate, type ScaleFn } from '../../../../server/controllers/deployment/rolling.js';
import { countedRS, rollingDeployment } from './fixtures.js';

/** A ScaleFn that records `name:size` and returns the resized RS. */
function recorder(): { calls: string[]; scale: ScaleFn } {
  const calls: string[] = [];
  return { calls, scale: (rs, n) => (calls.push(`${rs.metadata?.name}:${n}`), { ...rs, spec: { ...rs.spec!, replicas: n } }) };
}

function aged(rs: ReplicaSet, created: string): ReplicaSet {
  return { ...rs, metadata: { ...rs.metadata, creationTimestamp: created } };
}

test('reconcileNewReplicaSet: (replicas, maxSurge, old, new) → new size', () => {
  const cases: Array<[number, number, number, number, number | undefined]> = [
    [10, 0, 10, 0, undefined],
    [10, 2, 10, 0, 2],
    [10, 2, 5, 0, 7],
    [10, 2, 10, 2, undefined],
    [10, 2, 2, 11, 10],
  ];
  for (const [replicas, surge, oldN, newN, want] of cases) {
    const d = rollingDeployment(replicas, surge, 0);
    const oldRS = countedRS('old', oldN);
    const newRS = countedRS('new', newN);
    const r = recorder();
    const scaled = reconcileNewReplicaSet([oldRS, newRS], newRS, d, r.scale);
    assert.equal(scaled, want !== undefined, `case ${[replicas, surge, oldN, newN]}`);
    assert.deepEqual(r.calls, want === undefined ? [] : [`new:${want}`]);
  }
});

test('reconcileOldReplicaSets: unhealthy old pods go first, availability is kept', () => {
  // (replicas, maxUnavailable, old, new, available old, available new) → old size (undefined: no scale)
  const cases: Array<[number, number, number, number, number, number, number | undefined]> = [
    [10, 0, 10, 0, 10, 0, 9],
    [10, 2, 10, 0, 10, 0, 8],
    [10, 2, 10, 0, 8, 0, 8],
    [10, 2, 10, 0, 9, 0, 8],
    [10, 2, 8, 2, 8, 0, undefined],
  ];
  for (const [replicas, unavailable, oldN, newN, oldAvail, newAvail, want] of cases) {
    const d = rollingDeployment(replicas, 0, unavailable);
    const oldRS = aged(countedRS('old', oldN, { replicas: oldN, availableReplicas: oldAvail }), '2026-01-01T00:00:00Z');
    const newRS = aged(countedRS('new', newN, { replicas: newN, availableReplicas: newAvail }), '2026-01-01T00:01:00Z');
    let size = oldN;
    const scale: ScaleFn = (rs, n) => ((size = n), { ...rs, spec: { ...rs.spec!, replicas: n } });
    const scaled = reconcileOldReplicaSets([oldRS, newRS], [oldRS], newRS, d, scale);
    assert.equal(scaled, want !== undefined, `case ${[replicas, unavailable, oldN, newN, oldAvail, newAvail]}`);
    if (want !== undefined) assert.equal(size, want);
  }
});

test('cleanupUnhealthyReplicas removes at most maxCleanupCount unhealthy pods', () => {
  // (old replicas, available, maxCleanupCount) → cleaned up
  const cases: Array<[number, number, number, number]> = [
    [10, 8, 1, 1],
    [10, 8, 3, 2],
    [10, 8, 0, 0],
    [10, 10, 3, 0],
  ];
  for (const [oldN, available, max, want] of cases) {
    const r = recorder();
    const { scaledDown } = cleanupUnhealthyReplicas([countedRS('old', oldN, { replicas: oldN, availableReplicas: available })], max, r.scale);
    assert.equal(scaledDown, want);
    assert.deepEqual(r.calls, want ? [`old:${oldN - want}`] : []);
  }
});

test('scaleDownOldReplicaSetsForRollingUpdate keeps minAvailable available pods', () => {
  // (replicas, maxUnavailable, available, old replicas) → old size (undefined: no scale)
  const cases: Array<[number, number, number, number, number | undefined]> = [
    [10, 0, 10, 10, 9],
    [10, 2, 10, 10, 8],
    [10, 2, 8, 10, undefined],
    [10, 2, 10, 0, undefined],
    [10, 2, 1, 10, undefined],
  ];
  for (const [replicas, unavailable, available, oldN, want] of cases) {
    const d = rollingDeployment(replicas, 0, unavailable);
    const oldRS = countedRS('old', oldN, { replicas: oldN, availableReplicas: available });
    const r = recorder();
    const n = scaleDownOldReplicaSetsForRollingUpdate([oldRS], [oldRS], d, r.scale);
    assert.equal(n > 0, want !== undefined);
    assert.deepEqual(r.calls, want === undefined ? [] : [`old:${want}`]);
  }
});
