// Port of the StorageObjectInUseProtection admission plugin (kubernetes plugin/pkg/admission/
// storage/storageobjectinuseprotection): every new claim and volume carries the protection
// finalizer, which the pvc-protection and pv-protection controllers remove once it is safe.
import type { KubeObject } from '../../schemas/types/meta.js';

/** Held by a claim while a pod uses it. */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
/** Held by a volume while it is bound. */
export const PV_PROTECTION_FINALIZER = 'kubernetes.io/pv-protection';

/** Adds the protection finalizer of a PersistentVolumeClaim or PersistentVolume on create. */
export function admitStorageObjectInUseProtection(obj: KubeObject, kind: 'PersistentVolumeClaim' | 'PersistentVolume'): void {
  const finalizer = kind === 'PersistentVolumeClaim' ? PVC_PROTECTION_FINALIZER : PV_PROTECTION_FINALIZER;
  const finalizers = obj.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) obj.metadata.finalizers = [...finalizers, finalizer];
}
