// StorageClass columns. Port of printStorageClass in kubernetes pkg/printers/internalversion/printers.go.
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import { ageColumn, col, NAME_DESCRIPTION, view, type Column } from './table.js';

const IS_DEFAULT_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/**
 * The Name cell of a StorageClass: its name, suffixed ` (default)` when annotated as the default class.
 * @example storageClassName(sc) // 'standard (default)'
 */
export function storageClassName(sc: StorageClass): string {
  const annotations = sc.metadata?.annotations ?? {};
  const isDefault = annotations[IS_DEFAULT_ANNOTATION] === 'true' || annotations[BETA_IS_DEFAULT_ANNOTATION] === 'true';
  const name = sc.metadata?.name ?? '';
  return isDefault ? `${name} (default)` : name;
}

/** StorageClass columns: Name, Provisioner, ReclaimPolicy, VolumeBindingMode, AllowVolumeExpansion, Age. */
export function storageClassColumns(): Column[] {
  const sc = view<StorageClass>;
  return [
    col({ name: 'Name', format: 'name', description: NAME_DESCRIPTION }, (o) => storageClassName(sc(o))),
    col({ name: 'Provisioner', description: 'provisioner indicates the type of the provisioner.' }, (o) => sc(o).provisioner ?? ''),
    col(
      { name: 'ReclaimPolicy', description: 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class. Defaults to Delete.' },
      (o) => sc(o).reclaimPolicy ?? 'Delete',
    ),
    col(
      { name: 'VolumeBindingMode', description: 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.  When unset, VolumeBindingImmediate is used.' },
      (o) => sc(o).volumeBindingMode ?? 'Immediate',
    ),
    // A real boolean cell: kubectl prints it as `true` / `false`.
    col({ name: 'AllowVolumeExpansion', description: 'allowVolumeExpansion shows whether the storage class allow volume expand.' }, (o) => sc(o).allowVolumeExpansion === true),
    ageColumn(),
  ];
}
