// NetworkPolicy columns. Port of printNetworkPolicy in kubernetes pkg/printers/internalversion/printers.go.
import type { NetworkPolicy } from 'kubernetes-types/networking/v1.js';
import { formatLabelSelector } from '../../../schemas/format/labels.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** NetworkPolicy columns: Name, Pod-Selector, Age. */
export function networkPolicyColumns(): Column[] {
  return [
    nameColumn(),
    col(
      { name: 'Pod-Selector', description: 'podSelector selects the pods to which this NetworkPolicy object applies. An empty podSelector matches all pods in this namespace.' },
      (o) => formatLabelSelector(view<NetworkPolicy>(o).spec?.podSelector ?? {}),
    ),
    ageColumn(),
  ];
}
