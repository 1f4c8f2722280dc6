import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString();
const DAY_S = 24 * 3600;

interface Row {
  cells: unknown[];
  conditions?: unknown[];
}

function podRow(pod: Record<string, unknown>): Row {
  const obj = { metadata: { name: 'p' }, ...pod } as KubeObject;
  const table = toTable([obj], { group: '', plural: 'pods', includeObject: 'None', now: NOW });
  return (table.rows as Row[])[0] as Row;
}

const containers = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'img' }));
const running = { running: {} };
const restartedAgo = (s: number) => ({ terminated: { exitCode: 1, finishedAt: ago(s) } });

// Cases derived from upstream printers_test.go (TestPrintPod, TestPrintPodWithRestartableInitContainer,
// TestPrintNonTerminatedPod) and the typical displays of k8s-behavior.md §6.5. Columns: Ready, Status, Restarts.
const cases: Array<[name: string, spec: Record<string, unknown>, status: Record<string, unknown>, want: [string, string, string], meta?: Record<string, unknown>]> = [
  [
    'ready count and summed restarts',
    { containers: containers(2) },
    { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3 }] },
    ['1/2', 'podPhase', '6'],
  ],
  [
    'container waiting reason overrides the phase',
    { containers: containers(2) },
    { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } }] },
    ['1/2', 'ContainerWaitingReason', '6'],
  ],
  [
    'the first container wins over later ones',
    { containers: containers(2) },
    {
      phase: 'podPhase',
      containerStatuses: [
        { restartCount: 3, state: { waiting: { reason: 'ContainerWaitingReason' } } },
        { restartCount: 3, state: { terminated: { reason: 'ContainerTerminatedReason', exitCode: 0 } } },
      ],
    },
    ['0/2', 'ContainerWaitingReason', '6'],
  ],
  ['ready without running is not counted', { containers: containers(2) }, { phase: 'podPhase', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] }, ['1/2', 'podPhase', '6']],
  [
    'status.reason overrides the phase',
    { containers: containers(2) },
    { phase: 'podPhase', reason: 'podReason', containerStatuses: [{ ready: true, restartCount: 3, state: running }, { ready: true, restartCount: 3 }] },
    ['1/2', 'podReason', '6'],
  ],
  [
    'completed plus running without Ready condition is NotReady',
    { containers: containers(2) },
    { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }] },
    ['1/2', 'NotReady', '6'],
  ],
  [
    'completed plus running with Ready condition is Running',
    { containers: containers(2) },
    {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }, { ready: true, restartCount: 3, state: running }],
    },
    ['1/2', 'Running', '6'],
  ],
  [
    'restarting init container shows Init:0/1 and its restarts',
    { initContainers: containers(1), containers: containers(1) },
    { phase: 'podPhase', initContainerStatuses: [{ restartCount: 3, state: running, lastState: restartedAgo(10) }], containerStatuses: [{ restartCount: 0, state: { waiting: {} } }] },
    ['0/1', 'Init:0/1', '3 (10s ago)'],
  ],
  [
    'second of two init containers not started',
    { initContainers: containers(2), containers: containers(1) },
    { phase: 'podPhase', initContainerStatuses: [{ restartCount: 3, state: running, lastState: restartedAgo(10) }, { state: { waiting: {} } }], containerStatuses: [{ state: { waiting: {} } }] },
    ['0/1', 'Init:0/2', '3 (10s ago)'],
  ],
  [
    'first init container done, second restarting',
    { initContainers: containers(2), containers: containers(1) },
    { phase: 'podPhase', initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }, { restartCount: 3, state: running, lastState: restartedAgo(10) }], containerStatuses: [{ state: { waiting: {} } }] },
    ['0/1', 'Init:1/2', '3 (10s ago)'],
  ],
  [
    'restarts of a finished init container still count while initialising',
    { initContainers: containers(2), containers: containers(1) },
    {
      phase: 'podPhase',
      initContainerStatuses: [
        { restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: restartedAgo(120) },
        { restartCount: 3, state: running, lastState: restartedAgo(10) },
      ],
      containerStatuses: [{ state: { waiting: {} } }],
    },
    ['0/1', 'Init:1/2', '5 (10s ago)'],
  ],
  [
    'once initialised only regular containers restart counts show',
    { initContainers: containers(1), containers: containers(1) },
    {
      phase: 'Running',
      initContainerStatuses: [{ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: restartedAgo(120) }],
      containerStatuses: [{ restartCount: 4, state: running, lastState: restartedAgo(20) }],
    },
    ['0/1', 'Running', '4 (20s ago)'],
  ],
  ['restarted 5d ago', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ ready: true, restartCount: 3, state: running, lastState: restartedAgo(5 * DAY_S) }] }, ['1/1', 'Running', '3 (5d ago)']],
  [
    'latest restart of several containers',
    { containers: containers(2) },
    {
      phase: 'Running',
      containerStatuses: [
        { ready: true, restartCount: 6, state: running, lastState: restartedAgo(5 * DAY_S) },
        { ready: true, restartCount: 3, state: running, lastState: restartedAgo(20 * DAY_S) },
      ],
    },
    ['2/2', 'Running', '9 (5d ago)'],
  ],
  ['scheduling gated', { containers: containers(2) }, { phase: 'podPhase', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }, ['0/2', 'SchedulingGated', '0']],
  ['succeeded job pod', { containers: containers(1) }, { phase: 'Succeeded', containerStatuses: [{ restartCount: 0, state: { terminated: { reason: 'Completed', exitCode: 0 } } }] }, ['0/1', 'Completed', '0']],
  ['failed pod', { containers: containers(1) }, { phase: 'Failed', containerStatuses: [{ restartCount: 0, state: { terminated: { reason: 'Error', exitCode: 1 } } }] }, ['0/1', 'Error', '0']],
  [
    'finished pod being deleted keeps its status',
    { containers: containers(1) },
    { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed', exitCode: 0 } } }] },
    ['0/1', 'Completed', '0'],
    { deletionTimestamp: ago(10) },
  ],
  ['running pod being deleted is Terminating', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ state: running }] }, ['0/1', 'Terminating', '0'], { deletionTimestamp: ago(10) }],
  ['pending pod being deleted is Terminating', { containers: containers(1) }, { phase: 'Pending' }, ['0/1', 'Terminating', '0'], { deletionTimestamp: ago(10) }],
  ['deleted pod on a lost node is Unknown', { containers: containers(1) }, { phase: 'Running', reason: 'NodeLost', containerStatuses: [{ ready: true, state: running }] }, ['1/1', 'Unknown', '0'], { deletionTimestamp: ago(10) }],
  ['lost node without deletion keeps the reason', { containers: containers(1) }, { phase: 'Running', reason: 'NodeLost', containerStatuses: [{ ready: true, state: running }] }, ['1/1', 'NodeLost', '0']],
  ['evicted', { containers: containers(1) }, { phase: 'Failed', reason: 'Evicted' }, ['0/1', 'Evicted', '0']],
  ['unscheduled', { containers: containers(1) }, { phase: 'Pending' }, ['0/1', 'Pending', '0']],
  ['creating', { containers: containers(1) }, { phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } } }] }, ['0/1', 'ContainerCreating', '0']],
  [
    'crash loop',
    { containers: containers(1) },
    { phase: 'Running', containerStatuses: [{ restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: restartedAgo(30) }] },
    ['0/1', 'CrashLoopBackOff', '4 (30s ago)'],
  ],
  ['OOMKilled', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ restartCount: 2, state: { terminated: { reason: 'OOMKilled', exitCode: 137 } }, lastState: restartedAgo(5) }] }, ['0/1', 'OOMKilled', '2 (5s ago)']],
  ['terminated without reason by signal', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] }, ['0/1', 'Signal:9', '0']],
  ['terminated without reason by exit code', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] }, ['0/1', 'ExitCode:3', '0']],
  ['restarts without a finish time print no age', { containers: containers(1) }, { phase: 'Running', containerStatuses: [{ restartCount: 2, state: running, ready: true }] }, ['1/1', 'Running', '2']],
  ['init image pull error', { initContainers: containers(1), containers: containers(1) }, { phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'ErrImagePull' } } }] }, ['0/1', 'Init:ErrImagePull', '0']],
  ['init crash loop', { initContainers: containers(1), containers: containers(1) }, { phase: 'Pending', initContainerStatuses: [{ restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, ['0/1', 'Init:CrashLoopBackOff', '1']],
  ['init container failed with a reason', { initContainers: containers(1), containers: containers(1) }, { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 1, reason: 'Error' } } }] }, ['0/1', 'Init:Error', '0']],
  ['init container failed with a signal', { initContainers: containers(1), containers: containers(1) }, { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 137, signal: 9 } } }] }, ['0/1', 'Init:Signal:9', '0']],
  ['init container failed with an exit code', { initContainers: containers(1), containers: containers(1) }, { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 2 } } }] }, ['0/1', 'Init:ExitCode:2', '0']],
  [
    'PodInitializing is not an init failure',
    { initContainers: containers(2), containers: containers(1) },
    { phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 0 } } }, { state: { waiting: { reason: 'PodInitializing' } } }] },
    ['0/1', 'Init:1/2', '0'],
  ],
  [
    'containers waiting for init to finish',
    { initContainers: containers(1), containers: containers(1) },
    { phase: 'Pending', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } } }], containerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } } }] },
    ['0/1', 'PodInitializing', '0'],
  ],
];

const sidecars = [
  { name: 'restartable-init-1', image: 'i', restartPolicy: 'Always' },
  { name: 'restartable-init-2', image: 'i', restartPolicy: 'Always' },
];

const sidecarCases: typeof cases = [
  [
    'first sidecar running but not started',
    { initContainers: sidecars, containers: containers(1) },
    {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }],
      initContainerStatuses: [
        { name: 'restartable-init-1', restartCount: 3, state: running, started: false, lastState: restartedAgo(10) },
        { name: 'restartable-init-2', state: { waiting: {} }, started: false },
      ],
      containerStatuses: [{ state: { waiting: {} } }],
    },
    ['0/3', 'Init:0/2', '3 (10s ago)'],
  ],
  [
    'first sidecar started, second not',
    { initContainers: sidecars, containers: containers(1) },
    {
      phase: 'Pending',
      conditions: [{ type: 'Initialized', status: 'False' }],
      initContainerStatuses: [
        { name: 'restartable-init-1', restartCount: 3, state: running, started: true, lastState: restartedAgo(10) },
        { name: 'restartable-init-2', state: running, started: false },
      ],
      containerStatuses: [{ state: { waiting: {} } }],
    },
    ['0/3', 'Init:1/2', '3 (10s ago)'],
  ],
  [
    'both sidecars started and the container running',
    { initContainers: sidecars, containers: containers(1) },
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'restartable-init-1', restartCount: 3, state: running, started: true, lastState: restartedAgo(10) },
        { name: 'restartable-init-2', state: running, started: true },
      ],
      containerStatuses: [{ ready: true, restartCount: 4, state: running, lastState: restartedAgo(20) }],
    },
    ['1/3', 'Running', '7 (10s ago)'],
  ],
  [
    'ready sidecars count towards READY',
    { initContainers: sidecars, containers: containers(1) },
    {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'restartable-init-1', ready: true, state: running, started: true },
        { name: 'restartable-init-2', ready: true, state: running, started: true },
      ],
      containerStatuses: [{ ready: true, state: running }],
    },
    ['3/3', 'Running', '0'],
  ],
  [
    'sidecars killed after the pod completed',
    { initContainers: sidecars, containers: containers(1) },
    {
      phase: 'Succeeded',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [
        { name: 'restartable-init-1', restartCount: 3, state: { terminated: { reason: 'Error', exitCode: 137 } }, started: false, lastState: restartedAgo(10) },
        { name: 'restartable-init-2', state: { terminated: { reason: 'Error', exitCode: 137 } }, started: false },
      ],
      containerStatuses: [{ restartCount: 4, state: { terminated: { reason: 'Completed', exitCode: 0 } }, lastState: restartedAgo(20) }],
    },
    ['0/3', 'Completed', '7 (10s ago)'],
  ],
  [
    'statuses of containers missing from the spec',
    { initContainers: [{ name: 'init1', image: 'i' }, { name: 'sidecar1', image: 'i', restartPolicy: 'Always' }], containers: [{ name: 'container1', image: 'i' }] },
    { phase: 'Running', initContainerStatuses: [{ name: 'initinvalid' }, { name: 'init1' }, { name: 'sidecar1' }], containerStatuses: [{ name: 'containerinvalid' }, { name: 'container1' }] },
    ['0/2', 'Init:0/2', '0'],
  ],
];

describe('pod Ready, Status and Restarts', () => {
  for (const [name, spec, status, want, meta] of [...cases, ...sidecarCases]) {
    it(name, () => {
      const row = podRow({ metadata: { name: 'p', ...meta }, spec, status });
      assert.deepEqual(row.cells.slice(1, 4), want);
    });
  }
});

describe('pod row', () => {
  it('has the name first and the age fifth', () => {
    const row = podRow({ metadata: { name: 'web-1', creationTimestamp: ago(123) }, spec: { containers: containers(1) }, status: { phase: 'Pending' } });
    assert.equal(row.cells[0], 'web-1');
    assert.equal(row.cells[4], '2m3s');
  });

  it('prints <unknown> age without a creation timestamp', () => {
    assert.equal(podRow({ spec: { containers: containers(1) }, status: {} }).cells[4], '<unknown>');
  });

  const gates = [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }];
  const wide: Array<[name: string, spec: Record<string, unknown>, status: Record<string, unknown>, want: string[]]> = [
    [
      'wide values',
      { containers: containers(2), nodeName: 'test1', readinessGates: gates },
      {
        phase: 'podPhase',
        podIPs: [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }],
        nominatedNodeName: 'node1',
        conditions: [{ type: 'condition1', status: 'False' }, { type: 'condition2', status: 'True' }],
      },
      ['1.1.1.1', 'test1', 'node1', '1/3'],
    ],
    ['wide values when unset', { containers: containers(2) }, { phase: 'podPhase' }, ['<none>', '<none>', '<none>', '<none>']],
    ['podIP without podIPs', { containers: containers(1) }, { podIP: '10.0.0.7' }, ['10.0.0.7', '<none>', '<none>', '<none>']],
  ];
  for (const [name, spec, status, want] of wide) {
    it(name, () => assert.deepEqual(podRow({ spec, status }).cells.slice(5), want));
  }

  const conditionCases: Array<[phase: string, want: unknown]> = [
    ['Running', undefined],
    ['Succeeded', [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]],
    ['Failed', [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]],
  ];
  for (const [phase, want] of conditionCases) {
    it(`row conditions of a ${phase} pod`, () => assert.deepEqual(podRow({ spec: { containers: containers(1) }, status: { phase } }).conditions, want));
  }
});

describe('pod columns', () => {
  it('match upstream names, types and priorities', () => {
    const table = toTable([], { group: '', plural: 'pods', includeObject: 'Metadata', now: NOW });
    const defs = (table.columnDefinitions as Array<{ name: string; type: string; format: string; priority: number }>).map((c) => [c.name, c.type, c.format, c.priority]);
    assert.deepEqual(defs, [
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Status', 'string', '', 0],
      ['Restarts', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['IP', 'string', '', 1],
      ['Node', 'string', '', 1],
      ['Nominated Node', 'string', '', 1],
      ['Readiness Gates', 'string', '', 1],
    ]);
  });
});

describe('pod templates', () => {
  const cases: Array<[name: string, template: Record<string, unknown>, want: unknown[]]> = [
    ['no containers', { spec: { containers: [] } }, ['t', '', '', '<none>']],
    ['two containers', { spec: { containers: [{ name: 'fake-container1', image: 'fake-image1' }, { name: 'fake-container2', image: 'fake-image2' }] } }, ['t', 'fake-container1,fake-container2', 'fake-image1,fake-image2', '<none>']],
    ['pod labels', { metadata: { labels: { foo: 'bar' } }, spec: { containers: [] } }, ['t', '', '', 'foo=bar']],
  ];
  for (const [name, template, want] of cases) {
    it(name, () => {
      const table = toTable([{ metadata: { name: 't' }, template } as KubeObject], { group: '', plural: 'podtemplates', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Row[])[0]?.cells, want);
    });
  }
});
