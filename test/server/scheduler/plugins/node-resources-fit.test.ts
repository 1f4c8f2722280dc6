import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus } from '../../../../server/scheduler/framework.js';
import {
  ERR_REASON_TOO_MANY_PODS,
  fits,
  leastRequestedScore,
  newNodeResourcesFitPlugin,
  scoreLeastAllocated,
} from '../../../../server/scheduler/plugins/node-resources-fit.js';
import { container, makeNode, makePod, nodeInfoOf, podWith } from '../fixtures.js';

const EXTENDED = 'example.com/aaa';

/** A pod with one container per [milliCPU, memory] pair. */
function podOf(...pairs: Array<[number, number]>): Pod {
  return makePod({ containers: pairs.map(([c, m]) => container({ cpu: `${c}m`, memory: String(m) })) });
}

/** Adds init containers to a pod. */
function withInit(pod: Pod, ...pairs: Array<[number, number]>): Pod {
  return { ...pod, spec: { ...pod.spec!, initContainers: pairs.map(([c, m]) => container({ cpu: `${c}m`, memory: String(m) })) } };
}

describe('NodeResourcesFit Filter', () => {
  // Cases of upstream noderesources/fit_test.go (TestEnoughRequests); the node has 10m cpu, 20 bytes of
  // memory, 32 pods and 5 of an extended resource.
  const node = makeNode({ allocatable: { cpu: '10m', memory: '20', pods: '32', [EXTENDED]: '5' } });
  const cases: Array<[name: string, pod: Pod, existing: Pod[], reasons: string[]]> = [
    ['no resources requested always fits', makePod(), [podWith(10, 20)], []],
    ['too many resources fails', podOf([1, 1]), [podWith(10, 20)], ['Insufficient cpu', 'Insufficient memory']],
    ['too many resources fails due to init container cpu', withInit(podOf([1, 1]), [3, 1]), [podWith(8, 19)], ['Insufficient cpu']],
    ['too many resources fails due to highest init container cpu', withInit(podOf([1, 1]), [3, 1], [2, 1]), [podWith(8, 19)], ['Insufficient cpu']],
    ['too many resources fails due to init container memory', withInit(podOf([1, 1]), [1, 3]), [podWith(9, 19)], ['Insufficient memory']],
    ['init container fits because it is the max, not the sum', withInit(podOf([1, 1]), [1, 1], [1, 1]), [podWith(9, 19)], []],
    ['both resources fit', podOf([1, 1]), [podWith(5, 5)], []],
    ['one resource memory fits', podOf([2, 1]), [podWith(9, 5)], ['Insufficient cpu']],
    ['one resource cpu fits', podOf([1, 2]), [podWith(5, 19)], ['Insufficient memory']],
    ['equal edge case', podOf([5, 1]), [podWith(5, 19)], []],
    ['equal edge case for init container', withInit(podOf([4, 1]), [5, 1]), [podWith(5, 19)], []],
    ['extended resource fits', makePod({ containers: [container({ [EXTENDED]: '1' })] }), [podWith(0, 0)], []],
    [
      'extended resource capacity enforced',
      makePod({ containers: [container({ [EXTENDED]: '3' })] }),
      [makePod({ containers: [container({ [EXTENDED]: '3' })] })],
      [`Insufficient ${EXTENDED}`],
    ],
    ['unknown extended resource', makePod({ containers: [container({ 'example.com/bbb': '1' })] }), [], ['Insufficient example.com/bbb']],
    ['zero request of an unknown extended resource', makePod({ containers: [container({ 'example.com/bbb': '0' })] }), [], []],
    [
      'overhead counts against the node',
      makePod({ containers: [container({ cpu: '1m', memory: '1' })], overhead: { cpu: '1m', memory: '15' } }),
      [podWith(5, 5)],
      ['Insufficient memory'],
    ],
    [
      'requests plus overhead fit',
      makePod({ containers: [container({ cpu: '1m', memory: '1' })], overhead: { cpu: '3m', memory: '13' } }),
      [podWith(5, 5)],
      [],
    ],
    ['ephemeral-storage', makePod({ containers: [container({ 'ephemeral-storage': '1' })] }), [], ['Insufficient ephemeral-storage']],
  ];
  const plugin = newNodeResourcesFitPlugin();
  for (const [name, pod, existing, reasons] of cases) {
    it(name, () => {
      const info = nodeInfoOf(node, existing);
      assert.deepEqual(fits(pod, info).map((r) => r.reason), reasons);
      const state = newCycleState();
      plugin.preFilter(state, pod);
      const want = reasons.length === 0 ? null : newStatus(Code.Unschedulable, ...reasons);
      assert.deepEqual(plugin.filter(state, pod, info), want);
    });
  }

  it('reports Too many pods before resources, and for pods requesting nothing', () => {
    const small = makeNode({ allocatable: { cpu: '10m', memory: '20', pods: '1' } });
    const info = nodeInfoOf(small, [podWith(10, 20)]);
    assert.deepEqual(fits(makePod(), info).map((r) => r.reason), [ERR_REASON_TOO_MANY_PODS]);
    assert.deepEqual(fits(podOf([1, 1]), info).map((r) => r.reason), [ERR_REASON_TOO_MANY_PODS, 'Insufficient cpu', 'Insufficient memory']);
  });

  it('a node without pods allocatable accepts no pod', () => {
    const info = nodeInfoOf(makeNode({ allocatable: { cpu: '1', memory: '1Gi' } }));
    assert.deepEqual(fits(makePod(), info).map((r) => r.reason), [ERR_REASON_TOO_MANY_PODS]);
  });
});

describe('NodeResourcesFit LeastAllocated Score', () => {
  it('leastRequestedScore', () => {
    assert.equal(leastRequestedScore(0, 4000), 100);
    assert.equal(leastRequestedScore(1000, 4000), 75);
    assert.equal(leastRequestedScore(3000, 10000), 70);
    assert.equal(leastRequestedScore(5000, 4000), 0);
    assert.equal(leastRequestedScore(1, 0), 0);
  });

  // Cases of upstream noderesources/least_allocated_test.go.
  const node = (name: string, cpu: string, memory: string) => makeNode({ name, allocatable: { cpu, memory, pods: '110' } });
  const cases: Array<[name: string, pod: Pod, nodes: Array<[ReturnType<typeof makeNode>, Pod[]]>, want: number[]]> = [
    [
      'nothing scheduled, nothing requested: defaults count',
      makePod(),
      [
        [node('node1', '4', '10000'), []],
        [node('node2', '4', '10000'), []],
      ],
      // cpu (4000 − 100) × 100 / 4000 = 97; memory 200Mi exceeds 10000 bytes → 0; (97 + 0) / 2 = 48.
      [48, 48],
    ],
    [
      'nothing scheduled, resources requested, differently sized nodes',
      podOf([1000, 2000], [2000, 3000]),
      [
        [node('node1', '4', '10000'), []],
        [node('node2', '6', '10000'), []],
      ],
      // node1: cpu (4000 − 3000) × 100 / 4000 = 25, memory (10000 − 5000) × 100 / 10000 = 50 → 37.
      // node2: cpu (6000 − 3000) × 100 / 6000 = 50, memory 50 → 50.
      [37, 50],
    ],
    [
      'resources requested, pods scheduled with resources',
      podOf([1000, 2000], [2000, 3000]),
      [
        [node('node1', '10', '20000'), [podOf([3000, 0], [3000, 5000])]],
        [node('node2', '10', '20000'), [podOf([3000, 5000])]],
      ],
      // node1: cpu (10000 − 9000) × 100 / 10000 = 10; memory: 0 is explicit, so (20000 − 10000) → 50 → 30.
      // node2: cpu 40, memory (20000 − 10000) → 50 → 45.
      [30, 45],
    ],
    [
      'requested resources exceed node capacity',
      podOf([3000, 5000]),
      [
        [node('node1', '4', '10000'), [podOf([3000, 5000])]],
        [node('node2', '4', '10000'), []],
      ],
      // node1: cpu 6000 > 4000 → 0, memory full → 0. node2: cpu 25, memory 50 → 37.
      [0, 37],
    ],
  ];
  const plugin = newNodeResourcesFitPlugin();
  for (const [name, pod, nodes, want] of cases) {
    it(name, () => {
      const got = nodes.map(([n, pods]) => scoreLeastAllocated(pod, nodeInfoOf(n, pods)));
      assert.deepEqual(got, want);
      assert.deepEqual(nodes.map(([n, pods]) => plugin.score(newCycleState(), pod, nodeInfoOf(n, pods))), want);
    });
  }
});
