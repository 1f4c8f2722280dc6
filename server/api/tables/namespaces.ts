// Namespace columns. Port of printNamespace in kubernetes pkg/printers/internalversion/printers.go.
import type { Namespace } from 'kubernetes-types/core/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** Namespace columns: Name, Status (the phase: Active or Terminating), Age. */
export function namespaceColumns(): Column[] {
  return [
    nameColumn(),
    col({ name: 'Status', description: 'The status of the namespace' }, (o) => view<Namespace>(o).status?.phase ?? ''),
    ageColumn(),
  ];
}
