import type { ResourceInfo } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { Random } from '../random.js';
import type { Store } from '../storage/store.js';
import { admitDefaultStorageClass } from './default-storage-class.js';
import { admitNodeCreate } from './node-admission.js';
import { admitPodCreate } from './pod-admission.js';
import { admitStorageObjectInUseProtection } from './storage-protection.js';

/**
 * The mutating admission plugins that act on creates, in the apiserver's order, each for its kind:
 * ServiceAccount, Priority and DefaultTolerationSeconds (pods), TaintNodesByCondition (nodes),
 * DefaultStorageClass and StorageObjectInUseProtection (claims, volumes).
 */
export function admitCreate(info: ResourceInfo, obj: KubeObject, deps: { store: Store; random: Random }): void {
  if (info.group !== '') return;
  if (info.kind === 'Pod') admitPodCreate(obj, deps.store, deps.random);
  else if (info.kind === 'Node') admitNodeCreate(obj);
  else if (info.kind === 'PersistentVolumeClaim') {
    admitDefaultStorageClass(obj, deps.store);
    admitStorageObjectInUseProtection(obj, info.kind);
  } else if (info.kind === 'PersistentVolume') admitStorageObjectInUseProtection(obj, info.kind);
}
