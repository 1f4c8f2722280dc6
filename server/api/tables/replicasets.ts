// ReplicaSet and ReplicationController columns. Ports of printReplicaSet and printReplicationController
// in kubernetes pkg/printers/internalversion/printers.go.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import { formatLabels, formatLabelSelector } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, int, nameColumn, view, type Column } from './table.js';

const DESIRED = 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.';
const CURRENT = 'Replicas is the most recently observed number of replicas.';

/** ReplicaSet columns: Name, Desired, Current, Ready, Age, and wide Containers, Images, Selector. */
export function replicaSetColumns(): Column[] {
  const rs = view<ReplicaSet>;
  return [
    nameColumn(),
    // spec.replicas is always set once the API server has defaulted it (to 1).
    col({ name: 'Desired', type: 'integer', description: DESIRED }, (o) => rs(o).spec?.replicas ?? 1),
    col({ name: 'Current', type: 'integer', description: CURRENT }, (o) => int(rs(o).status?.replicas)),
    col(
      { name: 'Ready', type: 'integer', description: 'readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.' },
      (o) => int(rs(o).status?.readyReplicas),
    ),
    ageColumn(),
    ...containerColumns((o) => rs(o).spec?.template?.spec?.containers),
    col(
      { name: 'Selector', priority: 1, description: "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels." },
      (o) => formatLabelSelector(rs(o).spec?.selector),
    ),
  ];
}

/** ReplicationController columns: as ReplicaSet, with the map selector printed as labels. */
export function replicationControllerColumns(): Column[] {
  const rc = view<ReplicationController>;
  return [
    nameColumn(),
    col({ name: 'Desired', type: 'integer', description: DESIRED }, (o) => rc(o).spec?.replicas ?? 1),
    col({ name: 'Current', type: 'integer', description: CURRENT }, (o) => int(rc(o).status?.replicas)),
    col({ name: 'Ready', type: 'integer', description: 'The number of ready replicas for this replication controller.' }, (o) => int(rc(o).status?.readyReplicas)),
    ageColumn(),
    ...containerColumns((o) => rc(o).spec?.template?.spec?.containers),
    col(
      { name: 'Selector', priority: 1, description: 'Selector is a label query over pods that should match the Replicas count. If Selector is empty, it is defaulted to the labels present on the Pod template.' },
      (o) => formatLabels(rc(o).spec?.selector),
    ),
  ];
}
