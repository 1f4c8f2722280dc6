// Deployment columns. Port of printDeployment in kubernetes pkg/printers/internalversion/printers.go.
import type { Deployment } from 'kubernetes-types/apps/v1.js';
import { labelSelectorString } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, int, nameColumn, view, type Column } from './table.js';

/** Deployment columns: Name, Ready, Up-to-date, Available, Age, and wide Containers, Images, Selector. */
export function deploymentColumns(): Column[] {
  const d = view<Deployment>;
  return [
    nameColumn(),
    // spec.replicas is always set once the API server has defaulted it (to 1).
    col({ name: 'Ready', description: 'Number of the pod with ready state' }, (o) => `${int(d(o).status?.readyReplicas)}/${d(o).spec?.replicas ?? 1}`),
    col(
      { name: 'Up-to-date', description: 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.' },
      (o) => int(d(o).status?.updatedReplicas),
    ),
    col(
      { name: 'Available', description: 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.' },
      (o) => int(d(o).status?.availableReplicas),
    ),
    ageColumn(),
    ...containerColumns((o) => d(o).spec?.template?.spec?.containers),
    // printDeployment renders the selector itself: empty selectors print nothing and bad ones `<invalid>`.
    col(
      { name: 'Selector', priority: 1, description: "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels." },
      (o) => labelSelectorString(d(o).spec?.selector) ?? '<invalid>',
    ),
  ];
}
