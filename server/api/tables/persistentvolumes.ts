// PersistentVolume and PersistentVolumeClaim columns. Ports of printPersistentVolume and
// printPersistentVolumeClaim in kubernetes pkg/printers/internalversion/printers.go.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

// The beta annotation still takes precedence over spec.storageClassName (helper.GetPersistentVolumeClass).
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const ACCESS_MODE_ABBREVIATIONS: Array<[mode: string, short: string]> = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/**
 * Abbreviates access modes in the fixed order RWO, ROX, RWX, RWOP, without duplicates.
 * @example accessModesString(['ReadWriteMany', 'ReadWriteOnce']) // 'RWO,RWX'
 */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  return ACCESS_MODE_ABBREVIATIONS.filter(([mode]) => set.has(mode))
    .map(([, short]) => short)
    .join(',');
}

function storageClassOf(meta: ObjectMeta | undefined, specClass: string | null | undefined): string {
  const annotations = meta?.annotations ?? {};
  if (BETA_STORAGE_CLASS_ANNOTATION in annotations) return annotations[BETA_STORAGE_CLASS_ANNOTATION] ?? '';
  return specClass ?? '';
}

function phaseOf(meta: ObjectMeta | undefined, phase: string | undefined): string {
  return meta?.deletionTimestamp ? 'Terminating' : (phase ?? '');
}

function unsetIfMissing(value: string | null | undefined): string {
  return value === undefined || value === null ? '<unset>' : value;
}

/** PersistentVolume columns: Name, Capacity, Access Modes, Reclaim Policy, Status, Claim, StorageClass, VolumeAttributesClass, Reason, Age, and wide VolumeMode. */
export function persistentVolumeColumns(): Column[] {
  const pv = view<PersistentVolume>;
  return [
    nameColumn(),
    // A missing storage capacity prints as a zero quantity.
    col({ name: 'Capacity', description: "capacity is the description of the persistent volume's resources and capacity." }, (o) => pv(o).spec?.capacity?.storage ?? '0'),
    col({ name: 'Access Modes', description: 'accessModes contains all ways the volume can be mounted.' }, (o) => accessModesString(pv(o).spec?.accessModes)),
    col(
      { name: 'Reclaim Policy', description: 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.' },
      (o) => pv(o).spec?.persistentVolumeReclaimPolicy ?? '',
    ),
    col({ name: 'Status', description: 'phase indicates if a volume is available, bound to a claim, or released by a claim.' }, (o) => phaseOf(pv(o).metadata, pv(o).status?.phase)),
    col({ name: 'Claim', description: 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.' }, (o) => {
      const ref = pv(o).spec?.claimRef;
      return ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : '';
    }),
    col({ name: 'StorageClass', description: 'StorageClass of the pv' }, (o) => storageClassOf(pv(o).metadata, pv(o).spec?.storageClassName)),
    col({ name: 'VolumeAttributesClass', description: 'VolumeAttributesClass of the pv' }, (o) => unsetIfMissing(pv(o).spec?.volumeAttributesClassName)),
    col(
      { name: 'Reason', description: 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.' },
      (o) => pv(o).status?.reason ?? '',
    ),
    ageColumn(),
    col({ name: 'VolumeMode', priority: 1, description: 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.' }, (o) =>
      unsetIfMissing(pv(o).spec?.volumeMode),
    ),
  ];
}

/** PersistentVolumeClaim columns: Name, Status, Volume, Capacity, Access Modes, StorageClass, VolumeAttributesClass, Age, and wide VolumeMode. */
export function persistentVolumeClaimColumns(): Column[] {
  const pvc = view<PersistentVolumeClaim>;
  // Capacity and access modes describe the bound volume, so they stay empty until a volume is bound.
  const bound = (o: KubeObject) => Boolean(pvc(o).spec?.volumeName);
  return [
    nameColumn(),
    col({ name: 'Status', description: 'phase represents the current phase of PersistentVolumeClaim.' }, (o) => phaseOf(pvc(o).metadata, pvc(o).status?.phase)),
    col({ name: 'Volume', description: 'volumeName is the binding reference to the PersistentVolume backing this claim.' }, (o) => pvc(o).spec?.volumeName ?? ''),
    col({ name: 'Capacity', description: 'capacity represents the actual resources of the underlying volume.' }, (o) => (bound(o) ? (pvc(o).status?.capacity?.storage ?? '0') : '')),
    col({ name: 'Access Modes', description: 'accessModes contains the actual access modes the volume backing the PVC has.' }, (o) =>
      bound(o) ? accessModesString(pvc(o).status?.accessModes) : '',
    ),
    col({ name: 'StorageClass', description: 'StorageClass of the pvc' }, (o) => storageClassOf(pvc(o).metadata, pvc(o).spec?.storageClassName)),
    col({ name: 'VolumeAttributesClass', description: 'VolumeAttributesClass of the pvc' }, (o) => unsetIfMissing(pvc(o).spec?.volumeAttributesClassName)),
    ageColumn(),
    col({ name: 'VolumeMode', priority: 1, description: 'volumeMode defines what type of volume is required by the claim. Value of Filesystem is implied when not included in claim spec.' }, (o) =>
      unsetIfMissing(pvc(o).spec?.volumeMode),
    ),
  ];
}
