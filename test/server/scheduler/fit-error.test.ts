import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, newStatus, preFilterResultReason } from '../../../server/scheduler/framework.js';
import {
  ERR_NO_NODES_AVAILABLE,
  ERR_REASON_NO_PREEMPTION_VICTIMS,
  ERR_REASON_PREEMPTION_NOT_HELPFUL,
  PREEMPTION_NOT_ELIGIBLE_NEVER,
  fitErrorMessage,
  preemptionMessage,
  sortReasonsHistogram,
  type NodeReasons,
} from '../../../server/scheduler/fit-error.js';
import { errReasonUntoleratedTaint } from '../../../server/scheduler/plugins/taint-toleration.js';
import { ERR_REASON_POD } from '../../../server/scheduler/plugins/node-affinity.js';
import { ERR_REASON_NODE_PORTS } from '../../../server/scheduler/plugins/node-ports.js';

const CONTROL_PLANE_TAINT = errReasonUntoleratedTaint({ key: 'node-role.kubernetes.io/control-plane', value: '' });
const NOT_HELPFUL = [ERR_REASON_PREEMPTION_NOT_HELPFUL];
const NO_VICTIMS = [ERR_REASON_NO_PREEMPTION_VICTIMS];

function byNode(...reasons: NodeReasons[]): Map<string, NodeReasons> {
  return new Map(reasons.map((r, i) => [`node-${i + 1}`, r]));
}

describe('sortReasonsHistogram', () => {
  const cases: Array<[name: string, reasons: Map<string, NodeReasons>, want: string]> = [
    ['one reason', byNode(['Insufficient cpu']), '1 Insufficient cpu'],
    ['counts per reason', byNode(['Insufficient cpu'], ['Insufficient cpu']), '2 Insufficient cpu'],
    [
      'several reasons per node add up beyond N',
      byNode(['Insufficient cpu', 'Insufficient memory'], ['Insufficient cpu', 'Insufficient memory']),
      '2 Insufficient cpu, 2 Insufficient memory',
    ],
    ['sorted as strings: 1 node(s) before 2 Insufficient', byNode(['Insufficient cpu'], ['Insufficient cpu'], [CONTROL_PLANE_TAINT]), `1 ${CONTROL_PLANE_TAINT}, 2 Insufficient cpu`],
    [
      'sorted as strings: 10 before 2',
      new Map<string, NodeReasons>([
        ...Array.from({ length: 10 }, (_, i) => [`a${i}`, ['Insufficient cpu']] as [string, NodeReasons]),
        ['b0', ['Too many pods']],
        ['b1', ['Too many pods']],
      ]),
      '10 Insufficient cpu, 2 Too many pods',
    ],
    ['accepts Status values', byNode(newStatus(Code.Unschedulable, 'Insufficient cpu')), '1 Insufficient cpu'],
  ];
  for (const [name, reasons, want] of cases) it(name, () => assert.equal(sortReasonsHistogram(reasons), want));
});

describe('fitErrorMessage', () => {
  const cases: Array<[name: string, got: () => string, want: string]> = [
    [
      'one node, no preemption',
      () => fitErrorMessage(1, byNode(['Insufficient cpu'])),
      '0/1 nodes are available: 1 Insufficient cpu.',
    ],
    [
      'no victims on one node',
      () => fitErrorMessage(1, byNode(['Insufficient cpu']), preemptionMessage(['node-1'], byNode(NO_VICTIMS))),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod..',
    ],
    [
      'control-plane taint and memory',
      () =>
        fitErrorMessage(
          3,
          byNode([CONTROL_PLANE_TAINT], ['Insufficient memory'], ['Insufficient memory']),
          preemptionMessage(['node-1', 'node-2', 'node-3'], byNode(NOT_HELPFUL, NO_VICTIMS, NO_VICTIMS)),
        ),
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient memory. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    ],
    [
      'affinity everywhere; nodes absent from the preemption map are not helpful',
      () => fitErrorMessage(3, byNode([ERR_REASON_POD], [ERR_REASON_POD], [ERR_REASON_POD]), preemptionMessage(['a', 'b', 'c'], new Map())),
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..",
    ],
    [
      'DaemonSet pod blocked by a hostPort',
      () =>
        fitErrorMessage(
          2,
          byNode([ERR_REASON_NODE_PORTS], [preFilterResultReason(['NodeAffinity'])]),
          preemptionMessage(['node-1', 'node-2'], byNode(NO_VICTIMS)),
        ),
      "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..",
    ],
    [
      'PreFilter rejection replaces the histogram',
      () =>
        fitErrorMessage(3, byNode(['x'], ['x'], ['x']), preemptionMessage(['node-1', 'node-2', 'node-3'], byNode(NO_VICTIMS, NO_VICTIMS, NO_VICTIMS)), {
          preFilterMessage: 'persistentvolumeclaim "data" not found',
        }),
      '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..',
    ],
    [
      'preemptionPolicy Never',
      () => fitErrorMessage(1, byNode(['Insufficient cpu']), PREEMPTION_NOT_ELIGIBLE_NEVER),
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..',
    ],
    ['no nodes at all', () => fitErrorMessage(0, new Map()), ERR_NO_NODES_AVAILABLE],
  ];
  for (const [name, got, want] of cases) it(name, () => assert.equal(got(), want));
});
