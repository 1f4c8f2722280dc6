// DaemonSet columns. Port of printDaemonSet in kubernetes pkg/printers/internalversion/printers.go.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import { formatLabels, formatLabelSelector } from '../../../schemas/format/labels.js';
import { ageColumn, col, containerColumns, int, nameColumn, view, type Column } from './table.js';

/** DaemonSet columns: Name, Desired, Current, Ready, Up-to-date, Available, Node Selector, Age, and wide Containers, Images, Selector. */
export function daemonSetColumns(): Column[] {
  const ds = view<DaemonSet>;
  return [
    nameColumn(),
    col(
      { name: 'Desired', type: 'integer', description: 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).' },
      (o) => int(ds(o).status?.desiredNumberScheduled),
    ),
    col(
      { name: 'Current', type: 'integer', description: 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.' },
      (o) => int(ds(o).status?.currentNumberScheduled),
    ),
    col(
      { name: 'Ready', type: 'integer', description: 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.' },
      (o) => int(ds(o).status?.numberReady),
    ),
    col({ name: 'Up-to-date', type: 'integer', description: 'The total number of nodes that are running updated daemon pod' }, (o) => int(ds(o).status?.updatedNumberScheduled)),
    col(
      { name: 'Available', type: 'integer', description: 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)' },
      (o) => int(ds(o).status?.numberAvailable),
    ),
    col(
      { name: 'Node Selector', description: "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node." },
      (o) => formatLabels(ds(o).spec?.template?.spec?.nodeSelector),
    ),
    ageColumn(),
    ...containerColumns((o) => ds(o).spec?.template?.spec?.containers),
    col(
      { name: 'Selector', priority: 1, description: "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels." },
      (o) => formatLabelSelector(ds(o).spec?.selector),
    ),
  ];
}
