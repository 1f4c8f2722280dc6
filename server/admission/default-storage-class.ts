// Port of the DefaultStorageClass admission plugin (kubernetes plugin/pkg/admission/storage/
// storageclass/setdefault) and of GetDefaultClass in pkg/volume/util/storageclass.
import type { KubeObject } from '../../schemas/types/meta.js';
import type { Store } from '../storage/store.js';

/** The annotation that marks the cluster's default StorageClass. */
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/**
 * The default StorageClass name: of the classes annotated `is-default-class: "true"`, the newest
 * (name breaking ties), or undefined when there is none.
 */
export function defaultStorageClassName(store: Store): string | undefined {
  const defaults = store.list('storageclasses').map((e) => e.object).filter((sc) => sc.metadata.annotations?.[IS_DEFAULT_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta > tb ? -1 : 1;
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  });
  return defaults[0]?.metadata.name;
}

/**
 * On PVC create, a claim without spec.storageClassName (absent or null, not "") gets the default
 * class; with no default class it stays without one.
 */
export function admitDefaultStorageClass(pvc: KubeObject, store: Store): void {
  const spec = (pvc.spec ?? {}) as { storageClassName?: string | null };
  if (spec.storageClassName !== undefined && spec.storageClassName !== null) return;
  const name = defaultStorageClassName(store);
  if (name === undefined) return;
  spec.storageClassName = name;
  pvc.spec = spec;
}
