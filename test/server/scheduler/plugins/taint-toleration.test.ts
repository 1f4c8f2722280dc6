import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus, type NodeScore } from '../../../../server/scheduler/framework.js';
import {
  errReasonUntoleratedTaint,
  newTaintTolerationPlugin,
  toleratesTaint,
} from '../../../../server/scheduler/plugins/taint-toleration.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

describe('toleratesTaint', () => {
  const taint: Taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' };
  const cases: Array<[name: string, toleration: Toleration, want: boolean]> = [
    ['Equal with same key, value and effect', { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, true],
    ['operator defaults to Equal', { key: 'foo', value: 'bar', effect: 'NoSchedule' }, true],
    ['different value', { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoSchedule' }, false],
    ['different key', { key: 'other', operator: 'Exists', effect: 'NoSchedule' }, false],
    ['different effect', { key: 'foo', operator: 'Exists', effect: 'NoExecute' }, false],
    ['empty effect matches every effect', { key: 'foo', operator: 'Exists' }, true],
    ['Exists with empty key matches every taint', { operator: 'Exists' }, true],
    ['unknown operator never matches', { key: 'foo', operator: 'Gt', value: 'bar' }, false],
  ];
  for (const [name, toleration, want] of cases) it(name, () => assert.equal(toleratesTaint(toleration, taint), want));
});

describe('TaintToleration Filter', () => {
  // Cases of upstream tainttoleration/taint_toleration_test.go (TestTaintTolerationFilter).
  const dedicated: Taint = { key: 'dedicated', value: 'user1', effect: 'NoSchedule' };
  const cases: Array<[name: string, taints: Taint[], tolerations: Toleration[] | undefined, failingTaint?: Taint]> = [
    ['no tolerations on a tainted node', [dedicated], undefined, dedicated],
    ['toleration matches the taint', [dedicated], [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }]],
    ['toleration value differs', [dedicated], [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }], dedicated],
    ['Exists tolerates any value', [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }], [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }]],
    [
      'every taint must be tolerated; the first untolerated one is reported',
      [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      ],
      [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
    ],
    ['PreferNoSchedule taints are ignored', [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }], undefined],
    ['NoExecute taints block', [{ key: 'foo', value: 'bar', effect: 'NoExecute' }], undefined, { key: 'foo', value: 'bar', effect: 'NoExecute' }],
    ['toleration with empty effect tolerates NoExecute', [{ key: 'foo', value: 'bar', effect: 'NoExecute' }], [{ key: 'foo', value: 'bar' }]],
    [
      'control-plane taint without a value',
      [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      undefined,
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ],
  ];
  const plugin = newTaintTolerationPlugin();
  for (const [name, taints, tolerations, failingTaint] of cases) {
    it(name, () => {
      const got = plugin.filter(newCycleState(), makePod({ tolerations }), nodeInfoOf(makeNode({ taints })));
      const want = failingTaint ? newStatus(Code.UnschedulableAndUnresolvable, errReasonUntoleratedTaint(failingTaint)) : null;
      assert.deepEqual(got, want);
    });
  }

  it('renders the reason with an empty value', () => {
    assert.equal(
      errReasonUntoleratedTaint({ key: 'node-role.kubernetes.io/control-plane' }),
      'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    );
  });
});

describe('TaintToleration Score', () => {
  // Cases of upstream TestTaintTolerationScore: fewer intolerable PreferNoSchedule taints score higher.
  const prefer = (key: string, value: string): Taint => ({ key, value, effect: 'PreferNoSchedule' });
  const cases: Array<[name: string, tolerations: Toleration[], nodeTaints: Taint[][], want: number[]]> = [
    [
      'tolerated taints score higher than intolerable ones',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      [[prefer('foo', 'bar')], [prefer('cpu-type', 'arm64')]],
      [100, 0],
    ],
    [
      'all taints tolerated: same score',
      [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ],
      [[], [prefer('cpu-type', 'arm64')], [prefer('cpu-type', 'arm64'), prefer('disk-type', 'ssd')]],
      [100, 100, 100],
    ],
    [
      'more intolerable taints, lower score',
      [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      [[], [prefer('cpu-type', 'arm64')], [prefer('cpu-type', 'arm64'), prefer('disk-type', 'ssd')]],
      [100, 50, 0],
    ],
    [
      'only PreferNoSchedule taints and tolerations count',
      [{ key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' }],
      [[{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }], [prefer('cpu-type', 'arm64')]],
      [100, 0],
    ],
    ['no taints anywhere', [], [[], []], [100, 100]],
  ];
  const plugin = newTaintTolerationPlugin();
  for (const [name, tolerations, nodeTaints, want] of cases) {
    it(name, () => {
      const state = newCycleState();
      const pod = makePod({ tolerations });
      assert.equal(plugin.preScore(state, pod), null);
      const scores: NodeScore[] = nodeTaints.map((taints, i) => {
        const info = nodeInfoOf(makeNode({ name: `node-${i}`, taints }));
        return { name: `node-${i}`, score: plugin.score(state, pod, info) };
      });
      plugin.normalizeScore(state, pod, scores);
      assert.deepEqual(scores.map((s) => s.score), want);
    });
  }
});
