import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../../schemas/types/meta.js';
import { toTable } from '../../../../server/api/tables/table.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');

function cells(plural: string, obj: Record<string, unknown>): unknown[] {
  const table = toTable([obj as KubeObject], { group: '', plural, includeObject: 'None', now: NOW });
  return (table.rows as Array<{ cells: unknown[] }>)[0]?.cells ?? [];
}

const claimRef = { name: 'test', namespace: 'default' };

// From upstream TestPrintPersistentVolume.
describe('persistentvolume cells', () => {
  const cases: Array<[name: string, spec: Record<string, unknown>, status: Record<string, unknown>, want: unknown[], meta?: Record<string, unknown>]> = [
    ['bound', { claimRef, accessModes: ['ReadOnlyMany'], capacity: { storage: '4Gi' } }, { phase: 'Bound' }, ['test1', '4Gi', 'ROX', '', 'Bound', 'default/test', '', '<unset>', '', '<unknown>', '<unset>']],
    ['failed', { claimRef, accessModes: ['ReadOnlyMany'], capacity: { storage: '4Gi' } }, { phase: 'Failed' }, ['test1', '4Gi', 'ROX', '', 'Failed', 'default/test', '', '<unset>', '', '<unknown>', '<unset>']],
    ['pending', { claimRef, accessModes: ['ReadWriteMany'], capacity: { storage: '10Gi' } }, { phase: 'Pending' }, ['test1', '10Gi', 'RWX', '', 'Pending', 'default/test', '', '<unset>', '', '<unknown>', '<unset>']],
    [
      'storage class',
      { claimRef, storageClassName: 'my-scn', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } },
      { phase: 'Pending' },
      ['test1', '10Gi', 'RWO', '', 'Pending', 'default/test', 'my-scn', '<unset>', '', '<unknown>', '<unset>'],
    ],
    [
      'volume attributes class',
      { claimRef, storageClassName: 'my-scn', volumeAttributesClassName: 'my-vacn', accessModes: ['ReadWriteOnce'], capacity: { storage: '10Gi' } },
      { phase: 'Pending' },
      ['test1', '10Gi', 'RWO', '', 'Pending', 'default/test', 'my-scn', 'my-vacn', '', '<unknown>', '<unset>'],
    ],
    [
      'released with reclaim policy, reason and volume mode',
      { claimRef, storageClassName: 'my-scn', accessModes: ['ReadWriteOncePod', 'ReadWriteMany', 'ReadWriteOnce'], capacity: { storage: '1Gi' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' },
      { phase: 'Released', reason: 'Oops' },
      ['test1', '1Gi', 'RWO,RWX,RWOP', 'Retain', 'Released', 'default/test', 'my-scn', '<unset>', 'Oops', '<unknown>', 'Filesystem'],
    ],
    [
      'terminating, beta class annotation, no capacity',
      { storageClassName: 'ignored' },
      { phase: 'Bound' },
      ['test1', '0', '', '', 'Terminating', '', 'annotated', '<unset>', '', '<unknown>', '<unset>'],
      { deletionTimestamp: '2024-06-01T11:00:00Z', annotations: { 'volume.beta.kubernetes.io/storage-class': 'annotated' } },
    ],
  ];
  for (const [name, spec, status, want, meta] of cases) it(name, () => assert.deepEqual(cells('persistentvolumes', { metadata: { name: 'test1', ...meta }, spec, status }), want));
});

// From upstream TestPrintPersistentVolumeClaim.
describe('persistentvolumeclaim cells', () => {
  const status = (phase: string, modes: string[], storage: string) => ({ phase, accessModes: modes, capacity: { storage } });
  const cases: Array<[name: string, spec: Record<string, unknown>, status: Record<string, unknown>, want: unknown[], meta?: Record<string, unknown>]> = [
    ['bound', { volumeName: 'my-volume', volumeMode: 'Filesystem' }, status('Bound', ['ReadOnlyMany'], '4Gi'), ['test1', 'Bound', 'my-volume', '4Gi', 'ROX', '', '<unset>', '<unknown>', 'Filesystem']],
    ['lost without a volume hides capacity and modes', { volumeMode: 'Filesystem' }, status('Lost', ['ReadOnlyMany'], '4Gi'), ['test1', 'Lost', '', '', '', '', '<unset>', '<unknown>', 'Filesystem']],
    ['pending', { volumeName: 'my-volume', volumeMode: 'Filesystem' }, status('Pending', ['ReadWriteMany'], '10Gi'), ['test1', 'Pending', 'my-volume', '10Gi', 'RWX', '', '<unset>', '<unknown>', 'Filesystem']],
    [
      'storage class',
      { volumeName: 'my-volume', storageClassName: 'my-scn', volumeMode: 'Filesystem' },
      status('Pending', ['ReadWriteOnce'], '10Gi'),
      ['test1', 'Pending', 'my-volume', '10Gi', 'RWO', 'my-scn', '<unset>', '<unknown>', 'Filesystem'],
    ],
    ['volume mode unset', { volumeName: 'my-volume', storageClassName: 'my-scn' }, status('Pending', ['ReadWriteOnce'], '10Gi'), ['test1', 'Pending', 'my-volume', '10Gi', 'RWO', 'my-scn', '<unset>', '<unknown>', '<unset>']],
    [
      'volume attributes class',
      { volumeName: 'my-volume', storageClassName: 'my-scn', volumeAttributesClassName: 'my-vacn' },
      status('Pending', ['ReadWriteOnce'], '10Gi'),
      ['test1', 'Pending', 'my-volume', '10Gi', 'RWO', 'my-scn', 'my-vacn', '<unknown>', '<unset>'],
    ],
    ['terminating', { volumeName: 'v' }, status('Bound', ['ReadWriteOnce'], '1Gi'), ['test1', 'Terminating', 'v', '1Gi', 'RWO', '', '<unset>', '<unknown>', '<unset>'], { deletionTimestamp: '2024-06-01T11:00:00Z' }],
  ];
  for (const [name, spec, st, want, meta] of cases) it(name, () => assert.deepEqual(cells('persistentvolumeclaims', { metadata: { name: 'test1', ...meta }, spec, status: st }), want));
});
