import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const at = (s: number) => new Date(NOW + s * 1000).toISOString();

// From upstream TestPrintStorageClass, plus the default-class marker.
describe('storageclass cells', () => {
  const cases: Array<[name: string, obj: Record<string, unknown>, want: unknown[]]> = [
    ['defaults', { metadata: { name: 'sc1', creationTimestamp: at(1.9) }, provisioner: 'kubernetes.io/glusterfs' }, ['sc1', 'kubernetes.io/glusterfs', 'Delete', 'Immediate', false, '0s']],
    ['older', { metadata: { name: 'sc2', creationTimestamp: at(-300) }, provisioner: 'kubernetes.io/nfs' }, ['sc2', 'kubernetes.io/nfs', 'Delete', 'Immediate', false, '5m']],
    ['explicit delete', { metadata: { name: 'sc3', creationTimestamp: at(-300) }, provisioner: 'kubernetes.io/nfs', reclaimPolicy: 'Delete' }, ['sc3', 'kubernetes.io/nfs', 'Delete', 'Immediate', false, '5m']],
    [
      'retain and immediate',
      { metadata: { name: 'sc4', creationTimestamp: at(-300) }, provisioner: 'kubernetes.io/nfs', reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate' },
      ['sc4', 'kubernetes.io/nfs', 'Retain', 'Immediate', false, '5m'],
    ],
    [
      'wait for first consumer',
      { metadata: { name: 'sc5', creationTimestamp: at(-300) }, provisioner: 'kubernetes.io/nfs', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
      ['sc5', 'kubernetes.io/nfs', 'Retain', 'WaitForFirstConsumer', false, '5m'],
    ],
    [
      'volume expansion',
      { metadata: { name: 'sc6', creationTimestamp: at(-300) }, provisioner: 'kubernetes.io/nfs', reclaimPolicy: 'Retain', allowVolumeExpansion: true, volumeBindingMode: 'WaitForFirstConsumer' },
      ['sc6', 'kubernetes.io/nfs', 'Retain', 'WaitForFirstConsumer', true, '5m'],
    ],
    [
      'default class',
      { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
      ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '<unknown>'],
    ],
    ['beta default annotation', { metadata: { name: 'old', annotations: { 'storageclass.beta.kubernetes.io/is-default-class': 'true' } }, provisioner: 'p' }, ['old (default)', 'p', 'Delete', 'Immediate', false, '<unknown>']],
    ['annotation not "true"', { metadata: { name: 'x', annotations: { 'storageclass.kubernetes.io/is-default-class': 'false' } }, provisioner: 'p' }, ['x', 'p', 'Delete', 'Immediate', false, '<unknown>']],
  ];
  for (const [name, obj, want] of cases) {
    it(name, () => {
      const table = toTable([obj as KubeObject], { group: 'storage.k8s.io', plural: 'storageclasses', includeObject: 'None', now: NOW });
      assert.deepEqual((table.rows as Array<{ cells: unknown[] }>)[0]?.cells, want);
    });
  }
});
