// PriorityClass columns. Port of printPriorityClass in kubernetes pkg/printers/internalversion/printers.go.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { ageColumn, col, int, nameColumn, view, type Column } from './table.js';

/** PriorityClass columns: Name, Value, Global-Default, Age, PreemptionPolicy. */
export function priorityClassColumns(): Column[] {
  const pc = view<PriorityClass>;
  return [
    nameColumn(),
    col({ name: 'Value', type: 'integer', description: 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.' }, (o) => int(pc(o).value)),
    col(
      { name: 'Global-Default', type: 'boolean', description: 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.' },
      (o) => pc(o).globalDefault === true,
    ),
    ageColumn(),
    // Upstream declares this column without Priority 1 and the apiserver always prints wide, so
    // `kubectl get priorityclass` shows it by default.
    col(
      { name: 'PreemptionPolicy', description: 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.' },
      (o) => pc(o).preemptionPolicy ?? '',
    ),
  ];
}
