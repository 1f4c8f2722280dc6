import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function cells(spec: Record<string, unknown>, status: Record<string, unknown>): unknown[] {
  const hpa = { metadata: { name: 'some-hpa' }, spec: { scaleTargetRef: { kind: 'ReplicationController', name: 'some-rc' }, ...spec }, status };
  const table = toTable([hpa as KubeObject], { group: 'autoscaling', plural: 'horizontalpodautoscalers', includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const base = { minReplicas: 2, maxReplicas: 10 };
const replicas = { currentReplicas: 4, desiredReplicas: 5 };
const selector = { matchLabels: { label: 'value' } };

// From upstream TestPrintHPA (autoscaling/v2 field names). Column checked: Targets.
const TARGET_CASES: Array<[name: string, metrics: unknown[], current: unknown[] | undefined, want: string]> = [
  ['external average value, no current', [{ type: 'External', external: { metric: { name: 'some-external-metric', selector }, target: { type: 'AverageValue', averageValue: '100m' } } }], undefined, '<unknown>/100m (avg)'],
  [
    'external average value',
    [{ type: 'External', external: { metric: { name: 'some-external-metric', selector }, target: { type: 'AverageValue', averageValue: '100m' } } }],
    [{ type: 'External', external: { metric: { name: 'some-external-metric', selector }, current: { averageValue: '50m' } } }],
    '50m/100m (avg)',
  ],
  ['external value, no current', [{ type: 'External', external: { metric: { name: 'some-service-metric', selector }, target: { type: 'Value', value: '100m' } } }], undefined, '<unknown>/100m'],
  [
    'external value',
    [{ type: 'External', external: { metric: { name: 'some-external-metric', selector }, target: { type: 'Value', value: '100m' } } }],
    [{ type: 'External', external: { metric: { name: 'some-external-metric' }, current: { value: '50m' } } }],
    '50m/100m',
  ],
  ['pods, no current', [{ type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, target: { type: 'AverageValue', averageValue: '100m' } } }], undefined, '<unknown>/100m'],
  [
    'pods',
    [{ type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, target: { type: 'AverageValue', averageValue: '100m' } } }],
    [{ type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, current: { averageValue: '50m' } } }],
    '50m/100m',
  ],
  [
    'object, no current',
    [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'some-service' }, metric: { name: 'some-service-metric' }, target: { type: 'Value', value: '100m' } } }],
    undefined,
    '<unknown>/100m',
  ],
  [
    'object',
    [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'some-service' }, metric: { name: 'some-service-metric' }, target: { type: 'Value', value: '100m' } } }],
    [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'some-service' }, metric: { name: 'some-service-metric' }, current: { value: '50m' } } }],
    '50m/100m',
  ],
  ['resource value, no current', [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } }], undefined, 'cpu: <unknown>/100m'],
  [
    'resource value',
    [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } }],
    [{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '50m' } } }],
    'cpu: 50m/100m',
  ],
  ['resource utilization, no current', [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }], undefined, 'cpu: <unknown>/80%'],
  [
    'resource utilization',
    [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '40m' } } }],
    'cpu: 50%/80%',
  ],
  ['resource utilization target unset', [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization' } } }], undefined, 'memory: <unknown>/<auto>'],
  ['container resource value, no current', [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'application', target: { type: 'AverageValue', averageValue: '100m' } } }], undefined, 'cpu: <unknown>/100m'],
  [
    'container resource value',
    [{ type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '100m' } } }],
    [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'application', current: { averageValue: '50m' } } }],
    'cpu: 50m/100m',
  ],
  ['container resource utilization, no current', [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'application', target: { type: 'Utilization', averageUtilization: 80 } } }], undefined, 'cpu: <unknown>/80%'],
  [
    'container resource utilization',
    [{ type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    [{ type: 'ContainerResource', containerResource: { name: 'cpu', container: 'application', current: { averageUtilization: 50, averageValue: '40m' } } }],
    'cpu: 50%/80%',
  ],
  [
    'more than two metrics',
    [
      { type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, target: { type: 'AverageValue', averageValue: '100m' } } },
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
      { type: 'Pods', pods: { metric: { name: 'other-pods-metric' }, target: { type: 'AverageValue', averageValue: '400m' } } },
    ],
    [
      { type: 'Pods', pods: { metric: { name: 'some-pods-metric' }, current: { averageValue: '50m' } } },
      { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '40m' } } },
    ],
    '50m/100m, cpu: 50%/80% + 1 more...',
  ],
  ['unknown metric type', [{ type: 'Bogus' }], undefined, '<unknown type>'],
];

describe('hpa targets', () => {
  for (const [name, metrics, currentMetrics, want] of TARGET_CASES) {
    it(name, () => assert.equal(cells({ ...base, metrics }, { ...replicas, currentMetrics })[2], want));
  }
});

describe('hpa row', () => {
  it('minReplicas unset and no metrics', () => {
    assert.deepEqual(cells({ maxReplicas: 10 }, replicas), ['some-hpa', 'ReplicationController/some-rc', '<none>', '<unset>', 10, 4, '<unknown>']);
  });

  it('deployment target', () => {
    const c = cells({ ...base, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } }, {});
    assert.deepEqual(c.slice(1, 6), ['Deployment/web', '<none>', '2', 10, 0]);
  });
});
