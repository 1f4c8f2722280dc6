// Secret columns. Port of printSecret in kubernetes pkg/printers/internalversion/printers.go.
import type { Secret } from 'kubernetes-types/core/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** Secret columns: Name, Type, Data (number of keys), Age. */
export function secretColumns(): Column[] {
  const secret = view<Secret>;
  return [
    nameColumn(),
    col({ name: 'Type', description: 'Used to facilitate programmatic handling of secret data.' }, (o) => secret(o).type ?? ''),
    col({ name: 'Data', description: 'Data contains the secret data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' }, (o) => {
      // The internal API merges write-only stringData into data; count the union so either shape prints the same.
      const s = secret(o);
      return new Set([...Object.keys(s.data ?? {}), ...Object.keys(s.stringData ?? {})]).size;
    }),
    ageColumn(),
  ];
}
