// ServiceAccount columns. Port of printServiceAccount in kubernetes pkg/printers/internalversion/printers.go.
import type { ServiceAccount } from 'kubernetes-types/core/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** ServiceAccount columns: Name, Secrets (number of referenced secrets), Age. */
export function serviceAccountColumns(): Column[] {
  return [
    nameColumn(),
    col(
      { name: 'Secrets', description: 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.' },
      (o) => (view<ServiceAccount>(o).secrets ?? []).length,
    ),
    ageColumn(),
  ];
}
