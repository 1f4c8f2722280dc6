// StatefulSet columns. Port of printStatefulSet in kubernetes pkg/printers/internalversion/printers.go.
import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import { ageColumn, col, containerColumns, int, nameColumn, view, type Column } from './table.js';

/** StatefulSet columns: Name, Ready, Age, and wide Containers, Images (no Selector, as upstream). */
export function statefulSetColumns(): Column[] {
  const sts = view<StatefulSet>;
  return [
    nameColumn(),
    // spec.replicas is always set once the API server has defaulted it (to 1).
    col({ name: 'Ready', description: 'Number of the pod with ready state' }, (o) => `${int(sts(o).status?.readyReplicas)}/${sts(o).spec?.replicas ?? 1}`),
    ageColumn(),
    ...containerColumns((o) => sts(o).spec?.template?.spec?.containers),
  ];
}
