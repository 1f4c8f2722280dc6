import assert from 'node:assert/strict';
import { test } from 'node:test';
import { metricsTable } from '../../../server/metrics/table.js';

const pod = {
  metadata: { name: 'hog', namespace: 'default', creationTimestamp: '2026-01-01T00:01:00Z' },
  timestamp: '2026-01-01T00:00:45Z',
  window: '15s',
  containers: [
    { name: 'hog', usage: { cpu: '250m', memory: '512Ki' } },
    { name: 'sidecar', usage: { cpu: '1500u', memory: '1Mi' } },
  ],
};

test('a pod row sums its containers in canonical quantities; columns are Name, cpu, memory, Window', () => {
  const t = metricsTable([pod], 'PodMetrics', 'Metadata') as { columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[]; object: { kind: string } }> };
  assert.deepEqual(t.columnDefinitions.map((c) => c.name), ['Name', 'cpu', 'memory', 'Window']);
  assert.deepEqual(t.rows[0]!.cells, ['hog', '251500u', '1536Ki', '15s']);
  assert.equal(t.rows[0]!.object.kind, 'PartialObjectMetadata');
  const full = metricsTable([pod], 'PodMetrics', 'Object') as { rows: Array<{ object: { kind: string; apiVersion: string } }> };
  assert.deepEqual([full.rows[0]!.object.kind, full.rows[0]!.object.apiVersion], ['PodMetrics', 'metrics.k8s.io/v1beta1']);
  const none = metricsTable([pod], 'PodMetrics', 'None') as { rows: Array<Record<string, unknown>> };
  assert.equal('object' in none.rows[0]!, false);
});

test('a node row shows its usage as reported', () => {
  const node = { metadata: { name: 'node01', creationTimestamp: '2026-01-01T00:01:00Z' }, timestamp: '2026-01-01T00:00:45Z', window: '15s', usage: { cpu: '39143955n', memory: '532668Ki' } };
  const t = metricsTable([node], 'NodeMetrics', 'Metadata') as { rows: Array<{ cells: unknown[] }> };
  assert.deepEqual(t.rows[0]!.cells, ['node01', '39143955n', '532668Ki', '15s']);
});
