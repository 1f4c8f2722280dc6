/**
 * The objects a rollout, wait or drain invocation acts on, as kubectl's resource builder visits
 * them: `TYPE NAME…`, `TYPE/NAME…`, or a type listed with `-l`/`--all`. Errors of single objects
 * (NotFound) are collected, not thrown, because most verbs go on with the others (ContinueOnError).
 */
import type { Connection } from '../kube/connect.js';
import type { ApiResource } from '../kube/discovery.js';
import { PreformattedError } from '../commands/kube-flags.js';

/** One visited object with the resource it was served by. */
export interface Info {
  resource: ApiResource;
  obj: any;
}

/** Options of resolveInfos. */
export interface InfoOptions {
  namespace: string;
  selector?: string;
  allNamespaces?: boolean;
}

/** kubectl's error when resource/name arguments come with a selector. */
const SELECTOR_WITH_NAMES = 'selectors and the all flag cannot be used when passing resource/name arguments';

/** `<resource>[.<group>]`, as GroupResource.String() prints it in kubectl's messages. */
export function groupResource(r: ApiResource): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

/** `<kind lower>[.<group>]/<name>`, the name printer's text. */
export function nameOf(info: Info): string {
  const r = info.resource;
  return `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}/${info.obj.metadata?.name ?? ''}`;
}

/** The API path of the object's collection (name omitted) or the object. */
export async function pathOf(info: Info, name?: string): Promise<string> {
  const { resourcePath } = await import('../kube/discovery.js');
  return resourcePath(info.resource, info.obj.metadata?.namespace, name);
}

/**
 * Resolves arguments to the objects they name or select, in argument order; a list keeps the
 * server's order. Throws for type errors; returns per-object errors for the caller to aggregate.
 */
export async function resolveInfos(conn: Connection, args: string[], opts: InfoOptions): Promise<{ infos: Info[]; errors: unknown[] }> {
  const [{ resolveTargets }, { resourcePath }] = await Promise.all([import('../kube/builder.js'), import('../kube/discovery.js')]);
  const { targets } = await resolveTargets(args, conn.resolve, opts.allNamespaces);
  if (opts.selector !== undefined && targets.some((t) => t.name !== undefined)) throw new Error(SELECTOR_WITH_NAMES);
  const ns = opts.allNamespaces ? undefined : opts.namespace;
  const infos: Info[] = [];
  const errors: unknown[] = [];
  for (const t of targets) {
    const kind = t.resource.kind;
    const apiVersion = t.resource.group ? `${t.resource.group}/${t.resource.version}` : t.resource.version;
    try {
      if (t.name !== undefined) {
        infos.push({ resource: t.resource, obj: await conn.client.getJson(resourcePath(t.resource, ns, t.name)) });
        continue;
      }
      const q = opts.selector ? `?labelSelector=${encodeURIComponent(opts.selector)}` : '';
      const list = await conn.client.getJson(resourcePath(t.resource, ns) + q);
      for (const item of list.items ?? []) infos.push({ resource: t.resource, obj: { apiVersion, kind, ...item } });
    } catch (err) {
      errors.push(err);
    }
  }
  return { infos, errors };
}

/** Throws collected errors as kubectl's CheckErr prints an aggregate: one plain, several one per line. */
export function throwAll(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new PreformattedError(errors);
}

/** metav1.FormatLabelSelector's query form of a LabelSelector, for `labelSelector=`. */
export function selectorString(sel: any): string {
  const parts: string[] = Object.keys(sel?.matchLabels ?? {})
    .sort()
    .map((k) => `${k}=${sel.matchLabels[k]}`);
  for (const e of sel?.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.join(',');
}

/** Whether obj has a controller ownerReference with this uid (metav1.IsControlledBy). */
export function isControlledBy(obj: any, uid: string): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((o: any) => o.controller && o.uid === uid);
}
