// Lease columns. Port of printLease in kubernetes pkg/printers/internalversion/printers.go.
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** Lease columns: Name, Holder, Age. */
export function leaseColumns(): Column[] {
  return [
    nameColumn(),
    col({ name: 'Holder', description: 'holderIdentity contains the identity of the holder of a current lease.' }, (o) => view<Lease>(o).spec?.holderIdentity ?? ''),
    ageColumn(),
  ];
}
