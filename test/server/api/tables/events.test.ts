import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 24 * 3600 * 1000).toISOString();
const microDaysAgo = (d: number) => daysAgo(d).replace(/\.(\d{3})Z$/, '.$1000Z');

function cells(group: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group, plural: 'events', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const deployment = { kind: 'Deployment', name: 'Deployment Name', fieldPath: 'spec.containers{foo}' };

// From upstream TestPrintEvent. Columns: Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name.
const EVENT_CASES: Array<[name: string, event: Record<string, unknown>, want: unknown[]]> = [
  [
    'basic pod event',
    {
      metadata: { name: 'event1' },
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
      reason: 'Event Reason',
      message: 'Message Data',
      firstTimestamp: daysAgo(3),
      lastTimestamp: daysAgo(2),
      count: 6,
      type: 'Normal',
    },
    ['2d', 'Normal', 'Event Reason', 'pod/Pod Name', 'spec.containers{foo}', 'kubelet', 'Message Data', '3d', 6, 'event1'],
  ],
  [
    'source with host',
    { metadata: { name: 'event2' }, source: { component: 'kubelet', host: 'Node1' }, involvedObject: deployment, reason: 'Event Reason', message: 'Message Data', firstTimestamp: daysAgo(3), lastTimestamp: daysAgo(2), count: 6, type: 'Warning' },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 6, 'event2'],
  ],
  [
    'first seen from eventTime',
    { metadata: { name: 'event3' }, source: { component: 'kubelet', host: 'Node1' }, involvedObject: deployment, reason: 'Event Reason', message: 'Message Data', eventTime: microDaysAgo(3), lastTimestamp: daysAgo(3), count: 1, type: 'Warning' },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event3'],
  ],
  [
    'last seen falls back to first seen',
    { metadata: { name: 'event4' }, source: { component: 'kubelet', host: 'Node1' }, involvedObject: deployment, reason: 'Event Reason', message: 'Message Data', eventTime: microDaysAgo(3), firstTimestamp: daysAgo(3), count: 1, type: 'Warning' },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event4'],
  ],
  [
    'only eventTime',
    { metadata: { name: 'event5' }, source: { component: 'kubelet', host: 'Node1' }, involvedObject: deployment, reason: 'Event Reason', message: 'Message Data', eventTime: microDaysAgo(3), count: 1, type: 'Warning' },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event5'],
  ],
  [
    'series',
    {
      metadata: { name: 'event6' },
      source: { component: 'kubelet', host: 'Node1' },
      involvedObject: deployment,
      series: { count: 2, lastObservedTime: microDaysAgo(2) },
      reason: 'Event Reason',
      message: 'Message Data',
      eventTime: microDaysAgo(3),
      type: 'Warning',
    },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 2, 'event6'],
  ],
  [
    'singleton without count counts once',
    { metadata: { name: 'event7' }, source: { component: 'kubelet', host: 'Node1' }, involvedObject: deployment, reason: 'Event Reason', message: 'Message Data', eventTime: microDaysAgo(3), type: 'Warning' },
    ['3d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', '3d', 1, 'event7'],
  ],
  [
    'empty source uses the reporting controller and instance',
    {
      metadata: { name: 'event2' },
      reportingComponent: 'kubelet',
      reportingInstance: 'test',
      involvedObject: deployment,
      reason: 'Event Reason',
      message: 'Message Data',
      firstTimestamp: daysAgo(3),
      lastTimestamp: daysAgo(2),
      count: 6,
      type: 'Warning',
    },
    ['2d', 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, test', 'Message Data', '3d', 6, 'event2'],
  ],
  [
    'message is trimmed and a nameless object prints its kind',
    { metadata: { name: 'e' }, involvedObject: { kind: 'Node' }, message: '  padded \n', type: 'Normal', reason: 'R' },
    ['<unknown>', 'Normal', 'R', 'node', '', '', 'padded', '<unknown>', 1, 'e'],
  ],
];

describe('core event cells', () => {
  for (const [name, event, want] of EVENT_CASES) it(name, () => assert.deepEqual(cells('', event), want));
});

describe('events.k8s.io event cells', () => {
  it('reads regarding, note, deprecated fields and the reporting controller', () => {
    const event = {
      metadata: { name: 'web.17a' },
      regarding: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{nginx}' },
      note: 'Pulled image',
      reason: 'Pulled',
      type: 'Normal',
      reportingController: 'kubelet',
      reportingInstance: 'node1',
      deprecatedFirstTimestamp: daysAgo(3),
      deprecatedLastTimestamp: daysAgo(2),
      deprecatedCount: 4,
    };
    assert.deepEqual(cells('events.k8s.io', event), ['2d', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node1', 'Pulled image', '3d', 4, 'web.17a']);
  });

  it('prefers deprecatedSource over the reporting controller', () => {
    const event = { metadata: { name: 'e' }, regarding: { kind: 'Node', name: 'n1' }, note: 'x', deprecatedSource: { component: 'node-controller' }, reportingController: 'other', eventTime: microDaysAgo(1) };
    assert.deepEqual(cells('events.k8s.io', event).slice(3, 6), ['node/n1', '', 'node-controller']);
  });
});
