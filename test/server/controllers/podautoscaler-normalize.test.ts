import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HorizontalPodAutoscalerBehavior } from 'kubernetes-types/autoscaling/v2.js';
import { convertWithRules, newHistory, normalizeDesiredReplicas, storeScaleEvent } from '../../../server/controllers/podautoscaler/normalize.js';

test('convertDesiredReplicasWithRules: bounds and the legacy max(2×, 4) scale-up rate', () => {
  const cases: Array<[number, number, number, number, number, string]> = [
    [1, 9, 1, 10, 4, 'ScaleUpLimit'],
    [3, 9, 1, 5, 5, 'TooManyReplicas'],
    [3, 0, 1, 5, 1, 'TooFewReplicas'],
    [3, 4, 1, 5, 4, 'DesiredWithinRange'],
    [5, 11, 1, 20, 10, 'ScaleUpLimit'],
  ];
  for (const [current, desired, min, max, want, reason] of cases) {
    const r = convertWithRules(current, desired, min, max);
    assert.deepEqual([r.replicas, r.reason], [want, reason], `current ${current} desired ${desired} in [${min}, ${max}]`);
  }
});

test('without behavior, scale-down takes the highest recommendation of the last 5 minutes', () => {
  const h = newHistory(5, 0);
  const args = { currentReplicas: 5, desiredReplicas: 2, minReplicas: 1, maxReplicas: 10 };
  let r = normalizeDesiredReplicas(h, { ...args, now: 60_000 });
  assert.equal(r.replicas, 5);
  assert.deepEqual(r.conditions.map((c) => `${c.type}=${c.status}/${c.reason}`), ['AbleToScale=True/ScaleDownStabilized', 'ScalingLimited=False/DesiredWithinRange']);
  r = normalizeDesiredReplicas(h, { ...args, now: 300_000 });
  assert.equal(r.replicas, 5, 'the sample at 0 s is exactly 5 minutes old and still counts');
  r = normalizeDesiredReplicas(h, { ...args, now: 300_001 });
  assert.equal(r.replicas, 2);
  assert.equal(r.conditions[0]!.reason, 'ReadyForNewScale');
});

const DEFAULT_BEHAVIOR: HorizontalPodAutoscalerBehavior = {
  scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
};

test('with behavior, scale-up is limited by the policies over their period', () => {
  const h = newHistory(2, 0);
  const args = { desiredReplicas: 20, minReplicas: 1, maxReplicas: 50, behavior: DEFAULT_BEHAVIOR };
  // max(2 + 4 pods, 2 × 200%) = 6.
  let r = normalizeDesiredReplicas(h, { ...args, now: 15_000, currentReplicas: 2 });
  assert.equal(r.replicas, 6);
  assert.equal(r.conditions[1]!.reason, 'ScaleUpLimit');
  storeScaleEvent(h, DEFAULT_BEHAVIOR, 2, 6, 15_000);
  // Within the same 15 s period the 4 added pods count against both policies: still 6.
  r = normalizeDesiredReplicas(h, { ...args, now: 20_000, currentReplicas: 6 });
  assert.equal(r.replicas, 6);
  r = normalizeDesiredReplicas(h, { ...args, now: 31_000, currentReplicas: 6 });
  assert.equal(r.replicas, 12);
});

test('with behavior, a scale-up is stabilized to the lowest recommendation of its window', () => {
  const behavior = { ...DEFAULT_BEHAVIOR, scaleUp: { ...DEFAULT_BEHAVIOR.scaleUp, stabilizationWindowSeconds: 60 } };
  const h = newHistory(3, 0);
  const r = normalizeDesiredReplicas(h, { now: 30_000, currentReplicas: 3, desiredReplicas: 5, minReplicas: 1, maxReplicas: 10, behavior });
  assert.equal(r.replicas, 3);
  assert.equal(r.conditions[0]!.reason, 'ScaleUpStabilized');
  assert.equal(r.conditions[0]!.message, 'recent recommendations were lower than current one, applying the lowest recent recommendation');
});
