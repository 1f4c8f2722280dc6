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
  /** `-f` files, directories or `-` (stdin); the objects they name are read from the server. */
  filenames?: string[];
  recursive?: boolean;
  /** Whether `-n` was given: a file's object of another namespace is then an error. */
  enforceNamespace?: boolean;
}

/** What resolveInfos found: the objects, the errors of reading them, and whether they came from `-f`. */
export interface Resolved {
  infos: Info[];
  errors: unknown[];
  fromFiles?: boolean;
}

/** kubectl's error when `-f` comes with TYPE/NAME arguments. */
const PATH_WITH_NAMES = 'resource/name arguments cannot be provided when a path is specified';

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
export async function resolveInfos(conn: Connection, args: string[], opts: InfoOptions): Promise<Resolved> {
  if (opts.filenames?.length) {
    if (args.length > 0) throw new Error(PATH_WITH_NAMES);
    return fileInfos(conn, opts);
  }
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

/**
 * The objects `-f` names, each read again from the server (the builder's Latest); a selector is
 * ignored, as kubectl ignores it next to files.
 */
async function fileInfos(conn: Connection, opts: InfoOptions): Promise<Resolved> {
  const [{ readInfos }, { resourcePath }] = await Promise.all([import('../apply/manifests.js'), import('../kube/discovery.js')]);
  const read = await readInfos(conn, { filenames: opts.filenames!, recursive: opts.recursive, namespace: opts.namespace, enforceNamespace: !!opts.enforceNamespace });
  const infos: Info[] = [];
  const errors = [...read.errors];
  for (const r of read.infos) {
    try {
      const obj = await conn.client.getJson(resourcePath(r.resource, r.namespace, r.name));
      // The selector filters what the server holds, not what the file says.
      if (opts.selector === undefined || matchesSelector(obj.metadata?.labels ?? {}, opts.selector)) infos.push({ resource: r.resource, obj });
    } catch (err) {
      errors.push(err);
    }
  }
  return { infos, errors, fromFiles: true };
}

/**
 * The errors kubectl reports, in its order. Objects named by arguments fail first, each on its
 * own line; with `-f` the builder nests the read failures in one aggregate after the command's own
 * errors, whose text is their raw messages, deduplicated, and `[a, b]` for several.
 */
export function allErrors(resolved: Resolved, commandErrors: unknown[]): unknown[] {
  if (!resolved.fromFiles || resolved.errors.length === 0 || commandErrors.length === 0) return [...resolved.errors, ...commandErrors];
  const messages = [...new Set(resolved.errors.map((e) => (e instanceof Error ? e.message : String(e))))];
  return [...commandErrors, new Error(messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`)];
}

/** Throws collected errors as kubectl's CheckErr prints an aggregate: one plain, several one per line. */
export function throwAll(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new PreformattedError(errors);
}

/** Whether labels match a label query (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`), as labels.Parse reads it. */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  const terms = selector.match(/(?:[^,(]|\([^)]*\))+/g) ?? [];
  return terms.every((raw) => {
    const term = raw.trim();
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]!.split(',').map((v) => v.trim());
      const has = set[1]! in labels && values.includes(labels[set[1]!]!);
      return set[2] === 'in' ? has : !has;
    }
    const op = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (op) return op[2] === '!=' ? labels[op[1]!] !== op[3] : labels[op[1]!] === op[3];
    return term.startsWith('!') ? !(term.slice(1) in labels) : term in labels;
  });
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

/**
 * A printer used for several objects: kubectl's YAML printer writes `---` before every object
 * after its first.
 */
export function sharedPrinter(print: (obj: any) => string, output: string | undefined): (obj: any) => string {
  let count = 0;
  return (obj) => (output === 'yaml' && count++ > 0 ? '---\n' : '') + print(obj);
}
