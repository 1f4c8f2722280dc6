import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus, type NodeScore } from '../../../../server/scheduler/framework.js';
import {
  ERR_REASON_CONFLICT,
  ERR_REASON_POD,
  fitsNodeAffinity,
  newNodeAffinityPlugin,
  preFilterNodeNames,
} from '../../../../server/scheduler/plugins/node-affinity.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

function requiredPod(...terms: NodeSelectorTerm[]): Pod {
  return makePod({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
}

function preferredPod(...terms: PreferredSchedulingTerm[]): Pod {
  return makePod({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } } });
}

describe('NodeAffinity Filter', () => {
  // Cases of upstream nodeaffinity/node_affinity_test.go (TestNodeAffinity).
  const cases: Array<[name: string, pod: Pod, labels: Record<string, string>, fits: boolean]> = [
    ['no selector', makePod(), { foo: 'bar' }, true],
    ['nodeSelector matches', makePod({ nodeSelector: { foo: 'bar' } }), { foo: 'bar' }, true],
    ['nodeSelector value differs', makePod({ nodeSelector: { foo: 'bar' } }), { foo: 'baz' }, false],
    ['nodeSelector label missing', makePod({ nodeSelector: { foo: 'bar' } }), {}, false],
    ['nodeSelector pairs are ANDed', makePod({ nodeSelector: { foo: 'bar', baz: 'blah' } }), { foo: 'bar' }, false],
    ['In matches', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['value1', 'value2'] }] }), { foo: 'value2' }, true],
    ['In does not match', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'In', values: ['value1'] }] }), { foo: 'value2' }, false],
    ['NotIn with the label missing matches', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['a'] }] }), {}, true],
    ['NotIn with a listed value', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['a'] }] }), { foo: 'a' }, false],
    ['Exists', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'Exists' }] }), { foo: 'x' }, true],
    ['DoesNotExist', requiredPod({ matchExpressions: [{ key: 'foo', operator: 'DoesNotExist' }] }), { foo: 'x' }, false],
    ['Gt matches', requiredPod({ matchExpressions: [{ key: 'GPU', operator: 'Gt', values: ['1'] }] }), { GPU: '2' }, true],
    ['Gt on equal value', requiredPod({ matchExpressions: [{ key: 'GPU', operator: 'Gt', values: ['2'] }] }), { GPU: '2' }, false],
    ['Lt matches', requiredPod({ matchExpressions: [{ key: 'GPU', operator: 'Lt', values: ['3'] }] }), { GPU: '2' }, true],
    ['Gt with a non-integer label', requiredPod({ matchExpressions: [{ key: 'GPU', operator: 'Gt', values: ['1'] }] }), { GPU: 'many' }, false],
    [
      'expressions in a term are ANDed',
      requiredPod({
        matchExpressions: [
          { key: 'GPU', operator: 'Exists' },
          { key: 'GPU', operator: 'NotIn', values: ['AMD', 'INTER'] },
        ],
      }),
      { GPU: 'NVIDIA-GRID-K1' },
      true,
    ],
    [
      'expressions in a term are ANDed (one fails)',
      requiredPod({
        matchExpressions: [
          { key: 'GPU', operator: 'Exists' },
          { key: 'GPU', operator: 'In', values: ['AMD', 'INTER'] },
        ],
      }),
      { GPU: 'NVIDIA-GRID-K1' },
      false,
    ],
    [
      'terms are ORed',
      requiredPod(
        { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar', 'value2'] }] },
        { matchExpressions: [{ key: 'diffkey', operator: 'In', values: ['wrong', 'value2'] }] },
      ),
      { foo: 'bar' },
      true,
    ],
    ['an empty term matches nothing', requiredPod({}), { foo: 'bar' }, false],
    ['no terms match nothing', requiredPod(), { foo: 'bar' }, false],
    [
      'nodeSelector and affinity are both required',
      makePod({
        nodeSelector: { foo: 'other' },
        affinity: requiredPod({ matchExpressions: [{ key: 'foo', operator: 'Exists' }] }).spec?.affinity,
      }),
      { foo: 'bar' },
      false,
    ],
    ['matchFields metadata.name In', requiredPod({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }), {}, true],
    ['matchFields metadata.name In other node', requiredPod({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-2'] }] }), {}, false],
    ['matchFields metadata.name NotIn', requiredPod({ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['node-2'] }] }), {}, true],
    ['matchFields on another field never matches', requiredPod({ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['x'] }] }), {}, false],
    [
      'matchFields and matchExpressions in one term are ANDed',
      requiredPod({
        matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }],
        matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }],
      }),
      { foo: 'baz' },
      false,
    ],
  ];
  const plugin = newNodeAffinityPlugin();
  for (const [name, pod, labels, fits] of cases) {
    it(name, () => {
      const node = makeNode({ name: 'node-1', labels });
      assert.equal(fitsNodeAffinity(pod, node), fits);
      const want = fits ? null : newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_POD);
      assert.deepEqual(plugin.filter(newCycleState(), pod, nodeInfoOf(node)), want);
    });
  }
});

describe('NodeAffinity PreFilter', () => {
  const names = (...values: string[]): NodeSelectorTerm => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }] });
  const cases: Array<[name: string, pod: Pod, want: string[] | null]> = [
    ['no affinity: all nodes', makePod(), null],
    ['DaemonSet-style term', requiredPod(names('node-1')), ['node-1']],
    ['terms are unioned', requiredPod(names('node-1'), names('node-2')), ['node-1', 'node-2']],
    ['requirements in a term are intersected', requiredPod({ matchFields: [...names('a', 'b').matchFields!, ...names('b', 'c').matchFields!] }), ['b']],
    ['a term without a name restriction keeps all nodes', requiredPod(names('node-1'), { matchExpressions: [{ key: 'foo', operator: 'Exists' }] }), null],
    ['disjoint requirements conflict', requiredPod({ matchFields: [...names('a').matchFields!, ...names('b').matchFields!] }), []],
  ];
  const plugin = newNodeAffinityPlugin();
  for (const [name, pod, want] of cases) {
    it(name, () => {
      const got = preFilterNodeNames(pod);
      assert.deepEqual(got === null ? null : [...got].sort(), want);
      const { result, status } = plugin.preFilter(newCycleState(), pod);
      if (want !== null && want.length === 0) {
        assert.deepEqual(status, newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_CONFLICT));
      } else {
        assert.equal(status, null);
        assert.deepEqual(result === null ? null : [...(result.nodeNames ?? [])].sort(), want);
      }
    });
  }
});

describe('NodeAffinity Score', () => {
  // Shape of upstream TestNodeAffinityPriority: matched preferred weights are summed, then scaled.
  const pod = preferredPod(
    { weight: 2, preference: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] } },
    { weight: 5, preference: { matchExpressions: [{ key: 'az', operator: 'In', values: ['az1'] }] } },
    { weight: 4, preference: {} },
  );
  const cases: Array<[name: string, labels: Array<Record<string, string>>, want: number[]]> = [
    ['no node matches', [{}, { key: 'value' }], [0, 0]],
    ['scaled against the best node', [{ foo: 'bar' }, { foo: 'bar', az: 'az1' }, {}], [28, 100, 0]],
    ['one term only', [{ az: 'az1' }, { foo: 'bar' }], [100, 40]],
  ];
  const plugin = newNodeAffinityPlugin();
  for (const [name, labels, want] of cases) {
    it(name, () => {
      const state = newCycleState();
      const scores: NodeScore[] = labels.map((l, i) => ({
        name: `node-${i}`,
        score: plugin.score(state, pod, nodeInfoOf(makeNode({ name: `node-${i}`, labels: l }))),
      }));
      plugin.normalizeScore(state, pod, scores);
      assert.deepEqual(scores.map((s) => s.score), want);
    });
  }
});
