import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { Code, newCycleState, newStatus } from '../../../../server/scheduler/framework.js';
import {
  ERR_REASON_UNSCHEDULABLE,
  fitsNodeUnschedulable,
  newNodeUnschedulablePlugin,
} from '../../../../server/scheduler/plugins/node-unschedulable.js';
import { makeNode, makePod, nodeInfoOf } from '../fixtures.js';

describe('NodeUnschedulable', () => {
  // Cases of upstream nodeunschedulable/node_unschedulable_test.go.
  const tolerateUnschedulable: Toleration = { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' };
  const cases: Array<[name: string, unschedulable: boolean | undefined, tolerations: Toleration[] | undefined, fits: boolean]> = [
    ['unschedulable not set', undefined, undefined, true],
    ['schedulable node', false, undefined, true],
    ['cordoned node', true, undefined, false],
    ['cordoned node, pod tolerates the unschedulable taint', true, [tolerateUnschedulable], true],
    ['cordoned node, toleration for another effect', true, [{ ...tolerateUnschedulable, effect: 'NoExecute' }], false],
    ['cordoned node, pod tolerates everything', true, [{ operator: 'Exists' }], true],
  ];
  const plugin = newNodeUnschedulablePlugin();
  for (const [name, unschedulable, tolerations, fits] of cases) {
    it(name, () => {
      const pod = makePod({ tolerations });
      const node = makeNode({ unschedulable });
      assert.equal(fitsNodeUnschedulable(pod, node), fits);
      const want = fits ? null : newStatus(Code.UnschedulableAndUnresolvable, ERR_REASON_UNSCHEDULABLE);
      assert.deepEqual(plugin.filter(newCycleState(), pod, nodeInfoOf(node)), want);
    });
  }
});
