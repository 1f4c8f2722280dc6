import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const soon = new Date(NOW + 1900).toISOString();

function cells(group: string, plural: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group, plural, includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const containers = [{ name: 'fake-container1', image: 'fake-image1' }, { name: 'fake-container2', image: 'fake-image2' }];

// From upstream TestPrintReplicaSet and TestPrintReplicationController.
describe('replicaset cells', () => {
  it('desired, current, ready, age and wide columns', () => {
    const rs = {
      metadata: { name: 'test1', creationTimestamp: soon },
      spec: { replicas: 5, template: { spec: { containers } }, selector: { matchLabels: { foo: 'bar' } } },
      status: { replicas: 5, readyReplicas: 2 },
    };
    assert.deepEqual(cells('apps', 'replicasets', rs), ['test1', 5, 5, 2, '0s', 'fake-container1,fake-container2', 'fake-image1,fake-image2', 'foo=bar']);
  });

  it('pod-template-hash selector and missing selector', () => {
    const rs = { metadata: { name: 'web-7c5ddbdf54' }, spec: { replicas: 3, selector: { matchLabels: { 'pod-template-hash': '7c5ddbdf54', app: 'web' } } }, status: { replicas: 3, readyReplicas: 3 } };
    assert.equal(cells('apps', 'replicasets', rs)[7], 'app=web,pod-template-hash=7c5ddbdf54');
    assert.equal(cells('apps', 'replicasets', { metadata: { name: 'x' }, spec: { replicas: 0 } })[7], '<none>');
  });
});

describe('replicationcontroller cells', () => {
  const rcTemplate = { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'test', image: 'test_image' }] } };
  const cases: Array<[name: string, rc: Record<string, unknown>, want: unknown[]]> = [
    ['without status', { metadata: { name: 'rc1', namespace: 'test-namespace' }, spec: { replicas: 0, selector: { a: 'b' }, template: rcTemplate } }, ['rc1', 0, 0, 0, '<unknown>', 'test', 'test_image', 'a=b']],
    ['with replicas', { metadata: { name: 'rc1' }, spec: { replicas: 5, selector: { a: 'b' }, template: rcTemplate }, status: { replicas: 3, readyReplicas: 1 } }, ['rc1', 5, 3, 1, '<unknown>', 'test', 'test_image', 'a=b']],
    ['bookmark-like object does not break', { metadata: {}, spec: { replicas: 0 } }, ['', 0, 0, 0, '<unknown>', '', '', '<none>']],
  ];
  for (const [name, rc, want] of cases) it(name, () => assert.deepEqual(cells('', 'replicationcontrollers', rc), want));
});
