// ResourceQuota columns. Port of printResourceQuota in kubernetes pkg/printers/internalversion/printers.go.
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { ageColumn, col, nameColumn, view, type Column } from './table.js';

/** The REQUEST and LIMIT cells of a ResourceQuota. */
export interface QuotaCells {
  request: string;
  limit: string;
}

/**
 * Splits `status.hard` into request and limit cells of `<resource>: <used>/<hard>` entries sorted by resource name;
 * resources named `limits.*` go to the limit cell.
 * @example resourceQuotaCells(quota) // { request: 'pods: 1/10, requests.cpu: 100m/1', limit: 'limits.cpu: 200m/2' }
 */
export function resourceQuotaCells(obj: KubeObject): QuotaCells {
  const rq = view<ResourceQuota>(obj);
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    // A resource with no usage recorded yet prints as a zero quantity.
    const entry = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(entry);
  }
  return { request: request.join(', '), limit: limit.join(', ') };
}

/** ResourceQuota columns: Name, Request, Limit, Age. */
export function resourceQuotaColumns(): Column[] {
  return [
    nameColumn(),
    col({ name: 'Request', description: 'Request represents a minimum amount of cpu/memory that a container may consume.' }, (o) => resourceQuotaCells(o).request),
    col(
      { name: 'Limit', description: 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.' },
      (o) => resourceQuotaCells(o).limit,
    ),
    ageColumn(),
  ];
}
