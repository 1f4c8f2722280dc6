// The storage a kind/k3s-style lab ships with: the `local-path` default StorageClass and a
// provisioner behaving like rancher/local-path-provisioner (one hostPath directory per claim under
// /opt/local-path-provisioner on the consuming pod's node) with the events the external
// provisioner library (sig-storage-lib-external-provisioner) records.
import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import type { LocalClient } from '../client/api-client.js';
import type { EventRecorder } from './events.js';

/** Name of the default StorageClass. */
export const LOCAL_PATH_CLASS = 'local-path';
/** The provisioner name the class points at. */
export const LOCAL_PATH_PROVISIONER = 'rancher.io/local-path';
/** Where volumes live on the node. */
const LOCAL_PATH_ROOT = '/opt/local-path-provisioner';
/** PVC annotation the scheduler sets to the node chosen for the first consumer. */
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
const LOCAL_PATH_NODE_ANNOTATION = 'local.path.provisioner/selected-node';

/** Creates the default `local-path` StorageClass unless a class of that name exists. */
export function ensureLocalPathStorageClass(client: LocalClient): void {
  if (client.get('storageclasses.storage.k8s.io', { name: LOCAL_PATH_CLASS })) return;
  client.create('storageclasses.storage.k8s.io', {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH_CLASS, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  });
}

/**
 * Provisions a volume for a claim whose first consumer landed on `node`: records Provisioning,
 * creates `pvc-<claim uid>` (hostPath under the provisioner root, node affinity to that node,
 * claimRef to the claim, the class's reclaim policy) and records ProvisioningSucceeded. Its phase
 * is the volume binder's to write.
 */
export function provisionLocalPath(client: LocalClient, recorder: EventRecorder, claim: Readonly<KubeObject>, opts: { node: string; reclaimPolicy: string }): KubeObject {
  const pvc = claim as unknown as PersistentVolumeClaim;
  const ns = pvc.metadata?.namespace ?? '';
  const claimName = pvc.metadata?.name ?? '';
  recorder.event(claim, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${ns}/${claimName}"`);
  const name = `pvc-${pvc.metadata?.uid ?? ''}`;
  const pv = client.create('persistentvolumes', {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [LOCAL_PATH_NODE_ANNOTATION]: opts.node, [PROVISIONED_BY_ANNOTATION]: LOCAL_PATH_PROVISIONER } },
    spec: {
      accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: claimName, namespace: ns, resourceVersion: pvc.metadata?.resourceVersion, uid: pvc.metadata?.uid },
      hostPath: { path: `${LOCAL_PATH_ROOT}/${name}_${ns}_${claimName}`, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [opts.node] }] }] } },
      persistentVolumeReclaimPolicy: opts.reclaimPolicy,
      storageClassName: pvc.spec?.storageClassName ?? LOCAL_PATH_CLASS,
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
    },
  });
  recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`);
  return pv;
}
