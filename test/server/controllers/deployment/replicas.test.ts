import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import {
  deploymentComplete,
  deploymentProgressing,
  getActualReplicaCountForReplicaSets,
  getAvailableReplicaCountForReplicaSets,
  getProportion,
  getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getReplicaSetFraction,
  getReplicaSetProportion,
  isSaturated,
  newRSNewReplicas,
} from '../../../../server/controllers/deployment/replicas.js';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION } from '../../../../server/controllers/deployment/util.js';
import { countedRS, generateDeployment, generateRS, rollingDeployment } from './fixtures.js';

describe('newRSNewReplicas', () => {
  // (name, strategy, deployment replicas, maxSurge, other RS replicas, new RS replicas, expected).
  // The first three rows are upstream TestNewRSNewReplicas; the rest are the scale-up rows of
  // rolling_test.go TestDeploymentController_reconcileNewReplicaSet (k8s-behavior.md §1.5).
  const cases: Array<[string, 'RollingUpdate' | 'Recreate', number, number, number, number, number]> = [
    ['cannot scale up: keeps new RS size', 'RollingUpdate', 1, 1, 5, 5, 5],
    ['scale up to deployment replicas', 'RollingUpdate', 6, 10, 5, 2, 6],
    ['recreate goes straight to deployment replicas', 'Recreate', 3, 1, 5, 1, 3],
    ['no surge, old RS full: no scale', 'RollingUpdate', 10, 0, 10, 0, 0],
    ['surge 2, old RS full: new gets 2', 'RollingUpdate', 10, 2, 10, 0, 2],
    ['surge 2, old RS half: new gets 7', 'RollingUpdate', 10, 2, 5, 0, 7],
    ['surge used up: no scale', 'RollingUpdate', 10, 2, 10, 2, 2],
  ];
  for (const [name, type, replicas, surge, other, current, expected] of cases) {
    test(name, () => {
      const d = rollingDeployment(replicas, surge, 1);
      d.spec!.strategy!.type = type;
      const newRS = countedRS('new', current);
      assert.equal(newRSNewReplicas(d, [countedRS('other', other), newRS], newRS), expected);
    });
  }
  test('percent surge rounds up', () => {
    const d = rollingDeployment(10, '25%', '25%');
    const newRS = countedRS('new', 0);
    assert.equal(newRSNewReplicas(d, [countedRS('old', 10), newRS], newRS), 3);
  });
  test('an unknown strategy is an error', () => {
    const d = rollingDeployment(3, 1, 1);
    d.spec!.strategy = {};
    assert.throws(() => newRSNewReplicas(d, [], countedRS('new', 0)), /isn't supported/);
  });
});

describe('getReplicaSetFraction / getProportion', () => {
  // Upstream TestGetReplicaSetFraction: (name, replicas, status.replicas, maxSurge, rs replicas, max-replicas, expected).
  const cases: Array<[string, number, number, number, number, string | undefined, number]> = [
    ['scaling to 0 takes the whole RS', 0, 0, 0, 10, undefined, -10],
    ['no annotation and no pods: no change', 10, 0, 0, 5, undefined, 0],
    ['annotation 0 and no pods: no change', 10, 0, 0, 5, '0', 0],
    ['no annotation: falls back to status.replicas', 120, 100, 0, 50, undefined, 10],
    ['annotation 0: falls back to status.replicas', 120, 100, 0, 50, '0', 10],
    ['scale up by 1/5', 120, 0, 0, 50, '100', 10],
    ['scale up by 1/5 with surge', 120, 0, 10, 50, '110', 9],
    ['scale down by 1/6', 10, 0, 0, 6, '12', -1],
    ['scale down by 1/6 with surge', 100, 0, 10, 50, '130', -8],
  ];
  for (const [name, replicas, statusReplicas, surge, rsReplicas, annotation, expected] of cases) {
    test(name, () => {
      const d = rollingDeployment(replicas, surge, 1);
      d.status = { replicas: statusReplicas };
      const rs = countedRS('rs', rsReplicas);
      if (annotation !== undefined) rs.metadata!.annotations = { [MAX_REPLICAS_ANNOTATION]: annotation };
      assert.equal(getReplicaSetFraction(rs, d), expected);
      assert.equal(getReplicaSetProportion(rs, d), expected);
    });
  }
  test('rounds half away from zero', () => {
    // 3 replicas of an old maximum of 4, new maximum 5: 3 × 5 / 4 = 3.75 → 4 (+1); 1 × 10 / 4 = 2.5 → 3 (+2).
    const d = rollingDeployment(5, 0, 1);
    const rs = countedRS('rs', 3);
    rs.metadata!.annotations = { [MAX_REPLICAS_ANNOTATION]: '4' };
    assert.equal(getReplicaSetFraction(rs, d), 1);
    const one = countedRS('one', 1);
    one.metadata!.annotations = { [MAX_REPLICAS_ANNOTATION]: '4' };
    assert.equal(getReplicaSetFraction(one, rollingDeployment(10, 0, 1)), 2);
  });

  // (name, scaling up?, rs replicas, toAdd, added, expected). Up: 20 replicas over an old maximum of 10, so an
  // RS of 10 has a fraction of +10. Down: 6 replicas over an old maximum of 12, so an RS of 4 has −2, of 8 has −4.
  const up = rollingDeployment(20, 0, 1);
  const down = rollingDeployment(6, 0, 1);
  const proportionCases: Array<[string, boolean, number, number, number, number]> = [
    ['full fraction when allowed', true, 10, 20, 0, 10],
    ['capped by what is left to add', true, 10, 20, 15, 5],
    ['nothing once all is added', true, 10, 20, 20, 0],
    ['nothing when nothing to add', true, 10, 0, 0, 0],
    ['empty RS gets nothing', true, 0, 20, 0, 0],
    ['full fraction when removing', false, 4, -10, 0, -2],
    ['capped by what is left to remove', false, 8, -10, -8, -2],
  ];
  for (const [name, isUp, rsReplicas, toAdd, added, expected] of proportionCases) {
    test(`getProportion: ${name}`, () => {
      const rs = countedRS('rs', rsReplicas);
      rs.metadata!.annotations = { [MAX_REPLICAS_ANNOTATION]: isUp ? '10' : '12' };
      assert.equal(getProportion(rs, isUp ? up : down, { deploymentReplicasToAdd: toAdd, deploymentReplicasAdded: added }), expected);
    });
  }
  test('getProportion of no RS is 0', () => {
    assert.equal(getProportion(undefined, up, { deploymentReplicasToAdd: 5, deploymentReplicasAdded: 0 }), 0);
  });
});

describe('isSaturated', () => {
  const d = generateDeployment('nginx');
  const rs = (spec: number, desired: string | undefined, available: number) => {
    const r = generateRS(d, 'rs');
    r.spec!.replicas = spec;
    r.metadata!.annotations = desired === undefined ? {} : { [DESIRED_REPLICAS_ANNOTATION]: desired };
    return { ...r, status: { replicas: spec, availableReplicas: available } };
  };
  const cases: Array<[string, ReturnType<typeof rs> | undefined, boolean]> = [
    ['spec, annotation and available all match', rs(1, '1', 1), true],
    ['no RS', undefined, false],
    ['annotation missing', rs(1, undefined, 1), false],
    ['annotation unparseable', rs(1, 'one', 1), false],
    ['annotation from an older size', rs(1, '2', 1), false],
    ['pods not yet available', rs(1, '1', 0), false],
    ['spec differs', rs(2, '1', 1), false],
  ];
  for (const [name, r, expected] of cases) test(name, () => assert.equal(isSaturated(d, r), expected));
});

describe('replica counters', () => {
  // Adapted from upstream TestGetReplicaCountForReplicaSets (spec, status.replicas), with ready/available added.
  const rs1 = countedRS('rs1', 1, { replicas: 2, readyReplicas: 2, availableReplicas: 1 });
  const rs2 = countedRS('rs2', 2, { replicas: 3, readyReplicas: 1, availableReplicas: 1 });
  const rs3 = countedRS('rs3', 3, { replicas: 0 });
  const cases: Array<[string, Array<typeof rs1 | undefined>, number, number, number, number]> = [
    ['scaling down rs1', [rs1], 1, 2, 2, 1],
    ['scaling down rs1 and rs2', [rs1, rs2], 3, 5, 3, 2],
    ['scaling up rs3', [rs3], 3, 0, 0, 0],
    ['all three, with a missing new RS', [rs1, rs2, rs3, undefined], 6, 5, 3, 2],
    ['none', [], 0, 0, 0, 0],
  ];
  for (const [name, sets, spec, actual, ready, available] of cases) {
    test(name, () => {
      assert.equal(getReplicaCountForReplicaSets(sets), spec);
      assert.equal(getActualReplicaCountForReplicaSets(sets), actual);
      assert.equal(getReadyReplicaCountForReplicaSets(sets), ready);
      assert.equal(getAvailableReplicaCountForReplicaSets(sets), available);
    });
  }
});

describe('deploymentComplete / deploymentProgressing', () => {
  // Upstream TestDeploymentComplete: (desired, current, updated, available, expected).
  const completeCases: Array<[string, number, number, number, number, boolean]> = [
    ['min but not all pods available', 5, 5, 5, 4, false],
    ['min availability not honoured', 5, 5, 5, 3, false],
    ['complete', 5, 5, 5, 5, true],
    ['all available but not updated', 5, 5, 4, 5, false],
    ['still running old pods', 1, 2, 1, 1, false],
    ['one replica never comes up', 1, 1, 1, 0, false],
  ];
  for (const [name, desired, current, updated, available, expected] of completeCases) {
    test(`complete: ${name}`, () => {
      const d = rollingDeployment(desired, 0, 1);
      const status: DeploymentStatus = { replicas: current, updatedReplicas: updated, availableReplicas: available };
      assert.equal(deploymentComplete(d, status), expected);
    });
  }
  test('complete needs the current generation observed', () => {
    const base = rollingDeployment(2, 0, 1);
    const d = { ...base, metadata: { ...base.metadata, generation: 3 } };
    const status: DeploymentStatus = { replicas: 2, updatedReplicas: 2, availableReplicas: 2, observedGeneration: 2 };
    assert.equal(deploymentComplete(d, status), false);
    assert.equal(deploymentComplete(d, { ...status, observedGeneration: 3 }), true);
  });

  // Upstream TestDeploymentProgressing: old (current, updated, ready, available) → new, expected.
  type Counts = [number, number, number, number];
  const status = ([replicas, updatedReplicas, readyReplicas, availableReplicas]: Counts): DeploymentStatus => ({
    replicas,
    updatedReplicas,
    readyReplicas,
    availableReplicas,
  });
  const progressCases: Array<[string, Counts, Counts, boolean]> = [
    ['updated pods', [10, 4, 4, 4], [10, 6, 4, 4], true],
    ['not progressing', [10, 4, 4, 4], [10, 4, 4, 4], false],
    ['old pods removed', [10, 4, 6, 6], [8, 4, 6, 6], true],
    ['fewer new pods', [10, 7, 3, 3], [10, 6, 3, 3], false],
    ['fewer overall but more new pods', [10, 4, 7, 7], [8, 8, 5, 5], true],
    ['more ready pods', [10, 10, 9, 8], [10, 10, 10, 8], true],
    ['more available pods', [10, 10, 10, 9], [10, 10, 10, 10], true],
  ];
  for (const [name, before, after, expected] of progressCases) {
    test(`progressing: ${name}`, () => {
      const d = generateDeployment('nginx');
      d.status = status(before);
      assert.equal(deploymentProgressing(d, status(after)), expected);
    });
  }
});
