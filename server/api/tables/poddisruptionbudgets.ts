// PodDisruptionBudget columns. Port of printPodDisruptionBudget in kubernetes pkg/printers/internalversion/printers.go.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { ageColumn, col, int, nameColumn, view, type Column } from './table.js';

function intOrString(value: number | string | null | undefined): string {
  return value === undefined || value === null ? 'N/A' : String(value);
}

/** PodDisruptionBudget columns: Name, Min Available, Max Unavailable, Allowed Disruptions, Age. */
export function podDisruptionBudgetColumns(): Column[] {
  const pdb = view<PodDisruptionBudget>;
  return [
    nameColumn(),
    col({ name: 'Min Available', description: 'The minimum number of pods that must be available.' }, (o) => intOrString(pdb(o).spec?.minAvailable)),
    col({ name: 'Max Unavailable', description: 'The maximum number of pods that may be unavailable.' }, (o) => intOrString(pdb(o).spec?.maxUnavailable)),
    col({ name: 'Allowed Disruptions', type: 'integer', description: 'Calculated number of pods that may be disrupted at this time.' }, (o) => int(pdb(o).status?.disruptionsAllowed)),
    ageColumn(),
  ];
}
