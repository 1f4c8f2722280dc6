import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deepFreeze } from '../../../server/storage/store.js';
import {
  Code,
  DEFAULT_MEMORY_REQUEST_BYTES,
  DEFAULT_MILLI_CPU_REQUEST,
  defaultNormalizeScore,
  isSuccess,
  newCycleState,
  newStatus,
  podRequests,
  preFilterResultReason,
  type NodeScore,
} from '../../../server/scheduler/framework.js';
import { container, makeNode, makePod, nodeInfoOf, podWith } from './fixtures.js';

describe('podRequests', () => {
  const cases: Array<[name: string, pod: Pod, want: { milliCPU: number; memory: number; scalar?: Record<string, number> }]> = [
    ['no requests', makePod(), { milliCPU: 0, memory: 0 }],
    ['one container', podWith(250, 64), { milliCPU: 250, memory: 64 }],
    [
      'regular containers are summed',
      makePod({ containers: [container({ cpu: '1', memory: '1Gi' }), container({ cpu: '500m', memory: '1Gi' })] }),
      { milliCPU: 1500, memory: 2 * 1024 ** 3 },
    ],
    [
      'init container above the sum wins per resource',
      makePod({ containers: [container({ cpu: '1m', memory: '1' })], initContainers: [container({ cpu: '3m', memory: '1' })] }),
      { milliCPU: 3, memory: 1 },
    ],
    [
      'init containers take the max, not the sum',
      makePod({
        containers: [container({ cpu: '1m', memory: '1' })],
        initContainers: [container({ cpu: '3m', memory: '1' }), container({ cpu: '2m', memory: '5' })],
      }),
      { milliCPU: 3, memory: 5 },
    ],
    [
      'overhead is added',
      makePod({ containers: [container({ cpu: '1m', memory: '1' })], overhead: { cpu: '3m', memory: '13' } }),
      { milliCPU: 4, memory: 14 },
    ],
    [
      'sidecar adds to the regular containers and to later init containers',
      makePod({
        containers: [container({ cpu: '1m' })],
        initContainers: [
          container({ cpu: '2m' }, { restartPolicy: 'Always' }),
          container({ cpu: '5m' }),
        ],
      }),
      // max(1 + 2, 2 + 5)
      { milliCPU: 7, memory: 0 },
    ],
    [
      'extended resources',
      makePod({ containers: [container({ 'example.com/foo': '2' }), container({ 'example.com/foo': '1' })] }),
      { milliCPU: 0, memory: 0, scalar: { 'example.com/foo': 3 } },
    ],
  ];
  for (const [name, pod, want] of cases) {
    it(name, () => {
      const got = podRequests(pod);
      assert.equal(got.milliCPU, want.milliCPU);
      assert.equal(got.memory, want.memory);
      assert.deepEqual(got.scalarResources, want.scalar ?? {});
    });
  }

  it('nonZero counts missing cpu/memory as 100m/200Mi but keeps an explicit 0', () => {
    assert.deepEqual(
      [podRequests(makePod(), { nonZero: true }).milliCPU, podRequests(makePod(), { nonZero: true }).memory],
      [DEFAULT_MILLI_CPU_REQUEST, DEFAULT_MEMORY_REQUEST_BYTES],
    );
    const zero = makePod({ containers: [container({ cpu: '0', memory: '0' })] });
    assert.deepEqual([podRequests(zero, { nonZero: true }).milliCPU, podRequests(zero, { nonZero: true }).memory], [0, 0]);
  });

  it('stored pods with equal requests share one frozen Resource', () => {
    const stored = (name: string, cpu: string) => deepFreeze(makePod({ name, containers: [container({ cpu, memory: '64Mi' })] }));
    const [a, b, other] = [stored('a', '250m'), stored('b', '250m'), stored('c', '500m')];
    assert.equal(podRequests(a), podRequests(b));
    assert.notEqual(podRequests(a), podRequests(other));
    assert.equal(podRequests(other).milliCPU, 500);
    assert.ok(Object.isFrozen(podRequests(a)) && Object.isFrozen(podRequests(a).scalarResources));
    assert.equal(podRequests(a, { nonZero: true }), podRequests(b, { nonZero: true }));
  });
});

describe('newNodeInfo', () => {
  it('sums the requests of the pods on the node and reads allocatable', () => {
    const info = nodeInfoOf(makeNode({ allocatable: { cpu: '2', memory: '4Gi', pods: '110' } }), [podWith(100, 10), podWith(200, 20)]);
    assert.equal(info.requested.milliCPU, 300);
    assert.equal(info.requested.memory, 30);
    assert.equal(info.allocatable.milliCPU, 2000);
    assert.equal(info.allocatable.memory, 4 * 1024 ** 3);
    assert.equal(info.allowedPodNumber, 110);
    assert.equal(info.nonZeroRequested.milliCPU, 300);
  });

  it('counts pods without requests at the scoring defaults', () => {
    const info = nodeInfoOf(makeNode(), [makePod()]);
    assert.equal(info.requested.milliCPU, 0);
    assert.equal(info.nonZeroRequested.milliCPU, DEFAULT_MILLI_CPU_REQUEST);
    assert.equal(info.nonZeroRequested.memory, DEFAULT_MEMORY_REQUEST_BYTES);
  });
});

describe('defaultNormalizeScore', () => {
  const cases: Array<[name: string, reverse: boolean, scores: number[], want: number[]]> = [
    ['scales to the max', false, [2, 7, 0], [28, 100, 0]],
    ['reversed', true, [0, 1, 2], [100, 50, 0]],
    ['all zero', false, [0, 0], [0, 0]],
    ['all zero reversed', true, [0, 0], [100, 100]],
  ];
  for (const [name, reverse, scores, want] of cases) {
    it(name, () => {
      const list: NodeScore[] = scores.map((score, i) => ({ name: `n${i}`, score }));
      defaultNormalizeScore(100, reverse, list);
      assert.deepEqual(list.map((s) => s.score), want);
    });
  }
});

describe('Status and CycleState', () => {
  it('null and Success are success; failures are not', () => {
    assert.equal(isSuccess(null), true);
    assert.equal(isSuccess(newStatus(Code.Success)), true);
    assert.equal(isSuccess(newStatus(Code.Unschedulable, 'x')), false);
    assert.deepEqual(newStatus(Code.Unschedulable, 'a', 'b').reasons, ['a', 'b']);
  });

  it('CycleState is an empty map per cycle', () => {
    assert.equal(newCycleState().size, 0);
  });

  it('formats the PreFilter result reason like a Go string slice', () => {
    assert.equal(preFilterResultReason(['NodeAffinity']), "node(s) didn't satisfy plugin(s) [NodeAffinity]");
    assert.equal(preFilterResultReason(['NodePorts', 'NodeAffinity']), "node(s) didn't satisfy plugin(s) [NodeAffinity NodePorts]");
  });
});
