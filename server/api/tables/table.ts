// Server-side printing: the meta.k8s.io/v1 Table that `kubectl get` asks for (kubectl-wire.md §7).
// Modelled on kubernetes pkg/printers (TableGenerator) and pkg/printers/internalversion/printers.go.
import type { KubeObject } from '../../../schemas/types/meta.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { translateTimestampSince } from '../../../schemas/format/human-duration.js';
import { columnsFor, rowConditionsFor } from './registry.js';

/** A column's JSON type as metav1.TableColumnDefinition names it. */
export type ColumnType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

/** One cell value; kubectl prints it verbatim. */
export type Cell = string | number | boolean;

/** One column of a kind's table: its definition plus the function that computes its cell. */
export interface Column {
  name: string;
  type: ColumnType;
  format: string;
  description: string;
  priority: 0 | 1;
  cell(obj: KubeObject, now: number): Cell;
}

/** What `row.object` carries (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Inputs of toTable besides the objects. */
export interface TableOptions {
  group: string;
  plural: string;
  includeObject: IncludeObject;
  now: number;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** metav1.TableRowCondition (the pod printer marks finished pods `Completed`). */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** Computes the row conditions of one object, or undefined for none. */
export type RowConditions = (obj: KubeObject) => TableRowCondition[] | undefined;

/**
 * Converts objects of one resource to a meta.k8s.io/v1 Table, as the apiserver's TableConvertor does.
 * The same call encodes a single watch event (one object, one row).
 * @example toTable(pods, { group: '', plural: 'pods', includeObject: 'Metadata', now: clock.now() })
 */
export function toTable(objs: KubeObject[], opts: TableOptions): Record<string, unknown> {
  const columns = columnsFor(opts.group, opts.plural);
  const conditionsOf = rowConditionsFor(opts.group, opts.plural);
  const rows = objs.map((obj) => {
    const row: Record<string, unknown> = { cells: columns.map((c) => c.cell(obj, opts.now)) };
    const conditions = conditionsOf?.(obj);
    if (conditions && conditions.length > 0) row.conditions = conditions;
    const object = rowObject(obj, opts.includeObject);
    if (object) row.object = object;
    return row;
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: tableMetadata(objs, opts),
    columnDefinitions: columns.map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
    rows,
  };
}

function rowObject(obj: KubeObject, include: IncludeObject): Record<string, unknown> | KubeObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function tableMetadata(objs: KubeObject[], opts: TableOptions): Record<string, unknown> {
  // A single-object Table carries that object's resourceVersion, as the apiserver's CommonAccessor
  // fallback does; empty values are omitted like ListMeta's omitempty fields.
  const rv = opts.resourceVersion ?? (objs.length === 1 ? objs[0]?.metadata.resourceVersion : undefined);
  const meta: Record<string, unknown> = {};
  if (rv) meta.resourceVersion = rv;
  if (opts.continue) meta.continue = opts.continue;
  if (opts.remainingItemCount !== undefined && opts.continue) meta.remainingItemCount = opts.remainingItemCount;
  return meta;
}

/** Definition fields of a column; type defaults to `string`, priority to 0, format to empty. */
export interface ColumnDef {
  name: string;
  description: string;
  type?: ColumnType;
  priority?: 0 | 1;
  format?: string;
}

/** Builds a Column from its definition and cell function. */
export function col(def: ColumnDef, cell: Column['cell']): Column {
  return { name: def.name, type: def.type ?? 'string', format: def.format ?? '', description: def.description, priority: def.priority ?? 0, cell };
}

/** Views a stored object through a typed API shape (the objects are plain JSON; nothing is converted). */
export function view<T>(obj: KubeObject): T {
  return obj as unknown as T;
}

/** ObjectMeta.name's API doc, the description of every Name column. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** ObjectMeta.creationTimestamp's API doc, the description of every Age column. */
export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** The `Name` column (format `name`, so kubectl can prefix `kind/` when printing several kinds). */
export function nameColumn(): Column {
  return col({ name: 'Name', format: 'name', description: NAME_DESCRIPTION }, (o) => o.metadata.name ?? '');
}

/** The `Age` column: HumanDuration since creationTimestamp. */
export function ageColumn(): Column {
  return col({ name: 'Age', description: CREATION_TIMESTAMP_DESCRIPTION }, (o, now) => translateTimestampSince(o.metadata.creationTimestamp, now));
}

/**
 * The `Containers` and `Images` columns of a pod template (wide by default, as for workloads).
 * @example containerColumns((o) => view<Deployment>(o).spec?.template?.spec?.containers, 1)
 */
export function containerColumns(containersOf: (obj: KubeObject) => Container[] | undefined, priority: 0 | 1 = 1): Column[] {
  return [
    col({ name: 'Containers', priority, description: 'Names of each container in the template.' }, (o) => (containersOf(o) ?? []).map((c) => c.name).join(',')),
    col({ name: 'Images', priority, description: 'Images referenced by each container in the template.' }, (o) => (containersOf(o) ?? []).map((c) => c.image ?? '').join(',')),
  ];
}

/** Reads an optional integer field as Go reads an int32: 0 when unset. */
export function int(value: number | null | undefined): number {
  return typeof value === 'number' ? value : 0;
}
