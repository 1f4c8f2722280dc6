// ConfigMap columns. Port of printConfigMap in kubernetes pkg/printers/internalversion/printers.go.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** ConfigMap columns: Name, Data (number of data plus binaryData keys), Age. */
export function configMapColumns(): Column[] {
  return [
    nameColumn(),
    col({ name: 'Data', description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'.' }, (o) => {
      const cm = view<ConfigMap>(o);
      return Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length;
    }),
    ageColumn(),
  ];
}
