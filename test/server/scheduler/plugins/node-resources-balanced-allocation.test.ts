import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, newCycleState } from '../../../../server/scheduler/framework.js';
import { balancedResourceScorer, newBalancedAllocationPlugin } from '../../../../server/scheduler/plugins/node-resources-balanced-allocation.js';
import { makeNode, makePod, nodeInfoOf, podWith } from '../fixtures.js';

describe('balancedResourceScorer', () => {
  // Cases after upstream noderesources/balanced_allocation_test.go.
  const cases: Array<[name: string, requested: number[], allocatable: number[], want: number]> = [
    ['equal fractions', [3000, 5000], [6000, 10000], 100],
    ['fractions 0.5 and 0.25', [500, 1024], [1000, 4096], 87],
    ['fractions above 1 are capped', [8000, 4000], [4000, 8000], 75],
    ['a resource the node lacks is left out', [1000, 1000], [0, 2000], 100],
    ['three resources use the full standard deviation', [1, 2, 3], [4, 4, 4], 79],
  ];
  for (const [name, requested, allocatable, want] of cases) it(name, () => assert.equal(balancedResourceScorer(requested, allocatable), want));
});

describe('BalancedAllocation plugin', () => {
  it('scores the node after placing the pod', () => {
    const plugin = newBalancedAllocationPlugin();
    const pod = podWith(1000, 1024 ** 3);
    const state = newCycleState();
    assert.equal(plugin.preScore(state, pod), null);
    const ni = nodeInfoOf(makeNode({ allocatable: { cpu: '4', memory: '8Gi', pods: '110' } }));
    // cpu 1/4 = 0.25, memory 1/8 = 0.125: std 0.0625 → 93.
    assert.equal(plugin.score(state, pod, ni), 93);
  });

  it('skips best-effort pods', () => {
    assert.equal(newBalancedAllocationPlugin().preScore(newCycleState(), makePod())?.code, Code.Skip);
  });
});
