import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BackoffStore, getRemainingTime } from '../../../../server/controllers/job/backoff.js';
import type { Pod } from '../../../../server/controllers/job/types.js';

function finished(phase: 'Succeeded' | 'Failed', atMs: number): Pod {
  const at = new Date(atMs).toISOString();
  return { metadata: { creationTimestamp: at }, spec: { containers: [] }, status: { phase, containerStatuses: [{ name: 'c', state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: at } } }] } };
}

test('the delay doubles per failure from 10 s and is capped at 10 min', () => {
  const cases: Array<[number, number]> = [[0, 0], [1, 10_000], [2, 20_000], [3, 40_000], [6, 320_000], [7, 600_000], [20, 600_000]];
  for (const [failures, want] of cases) {
    assert.equal(getRemainingTime({ key: 'k', failuresAfterLastSuccess: failures, lastFailureTimeMs: 1_000_000 }, 1_000_000), want, `${failures} failures`);
  }
  // Time since the last failure is taken off; a passed delay leaves nothing to wait.
  assert.equal(getRemainingTime({ key: 'k', failuresAfterLastSuccess: 2, lastFailureTimeMs: 0 }, 15_000), 5_000);
  assert.equal(getRemainingTime({ key: 'k', failuresAfterLastSuccess: 2, lastFailureTimeMs: 0 }, 25_000), 0);
});

test('a success resets the count; failures after it count again', () => {
  const store = new BackoffStore();
  const r1 = store.newBackoffRecord('k', [], [finished('Failed', 1000), finished('Failed', 3000)]);
  assert.deepEqual(r1, { key: 'k', failuresAfterLastSuccess: 2, lastFailureTimeMs: 3000 });
  store.update(r1);
  const r2 = store.newBackoffRecord('k', [finished('Succeeded', 5000)], [finished('Failed', 4000), finished('Failed', 6000)]);
  assert.deepEqual(r2, { key: 'k', failuresAfterLastSuccess: 1, lastFailureTimeMs: 6000 });
  // Records only take effect once saved.
  assert.deepEqual(store.newBackoffRecord('k', [], []), r1);
});
