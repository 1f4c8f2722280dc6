/**
 * The work of `kd delete` once its flags are checked (kubectl pkg/cmd/delete/delete.go
 * DeleteResult and the wait it runs): which objects to delete, one DELETE each, kubectl's lines,
 * and the wait until the deleted objects are gone (or replaced by a new object of the same name).
 */
import type { Connection } from '../kube/connect.js';
import type { ApiResource } from '../kube/discovery.js';
import type { DryRun } from './write.js';

/** One object to delete. */
export interface DeleteTarget {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
  /** The `-f` file it came from, for kubectl's `error when deleting "<file>"`. */
  source?: string;
}

/** What the delete selection flags say. */
export interface SelectFlags {
  filename: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  ignoreNotFound?: boolean;
}

/** Resolves arguments, `-f`, `-l` and `--all` into objects (lists are fetched now), with the errors met. */
export async function collectTargets(conn: Connection, args: string[], flags: SelectFlags): Promise<{ objects: DeleteTarget[]; errors: unknown[] }> {
  const objects: DeleteTarget[] = [];
  const errors: unknown[] = [];
  if (flags.filename.length > 0) {
    const { readInfos } = await import('./manifests.js');
    const read = await readInfos(conn, { filenames: flags.filename, recursive: flags.recursive, namespace: conn.namespace, enforceNamespace: false });
    objects.push(...read.infos.map((i) => ({ resource: i.resource, namespace: i.namespace, name: i.name, source: i.source })));
    errors.push(...read.errors);
  }
  if (args.length === 0) return { objects, errors };
  const { resolveTargets } = await import('../kube/builder.js');
  const { targets } = await resolveTargets(args, conn.resolve, flags.allNamespaces);
  const listing = !!(flags.all || flags.selector || flags.fieldSelector);
  if (!listing && targets.some((t) => t.name === undefined)) throw new Error('resource(s) were provided, but no name was specified');
  for (const t of targets) {
    const namespace = t.resource.namespaced ? conn.namespace : undefined;
    if (t.name !== undefined) objects.push({ resource: t.resource, namespace, name: t.name });
    else objects.push(...(await listTargets(conn, t.resource, flags)));
  }
  return { objects, errors };
}

async function listTargets(conn: Connection, resource: ApiResource, flags: SelectFlags): Promise<DeleteTarget[]> {
  const { resourcePath } = await import('../kube/discovery.js');
  const q = new URLSearchParams();
  if (flags.selector) q.set('labelSelector', flags.selector);
  if (flags.fieldSelector) q.set('fieldSelector', flags.fieldSelector);
  q.set('limit', '500');
  const list = await conn.client.getJson(`${resourcePath(resource, flags.allNamespaces ? undefined : conn.namespace)}?${q}`);
  return (list.items ?? []).map((item: any) => ({
    resource,
    namespace: resource.namespaced ? item.metadata?.namespace : undefined,
    name: item.metadata?.name,
  }));
}

/** How to delete. */
export interface DeleteOptions {
  dryRun: DryRun;
  gracePeriod: number;
  /** Whether kubectl calls it a force deletion (`--force` with grace period 0). */
  force: boolean;
  propagationPolicy: string;
  ignoreNotFound: boolean;
  wait: boolean;
  outputName: boolean;
  pollMs: number;
}

/** `configmap "x"`: the kind (and group) kubectl's delete lines name an object by. */
function kindOf(r: ApiResource): string {
  return `${r.kind.toLowerCase()}${r.group ? `.${r.group}` : ''}`;
}

/** Deletes the objects in order, printing each, waits for them, then throws the errors collected. */
export async function deleteAll(conn: Connection, objects: DeleteTarget[], errors: unknown[], o: DeleteOptions): Promise<void> {
  const [{ resourcePath }, { withSource, throwAll }, { dryRunSuffix }] = await Promise.all([import('../kube/discovery.js'), import('./manifests.js'), import('./write.js')]);
  const failures: unknown[] = [];
  const waitFor: Array<{ path: string; uid?: string }> = [];
  const body: Record<string, unknown> = { propagationPolicy: o.propagationPolicy };
  if (o.gracePeriod >= 0) body['gracePeriodSeconds'] = o.gracePeriod;
  if (o.dryRun === 'server') body['dryRun'] = ['All'];
  for (const t of objects) {
    const path = resourcePath(t.resource, t.namespace, t.name);
    let answer: any;
    try {
      answer = o.dryRun === 'client' ? await conn.client.getJson(path) : await conn.client.request('DELETE', path, { body });
    } catch (err) {
      if (o.ignoreNotFound && (err as { code?: number }).code === 404) continue;
      failures.push(t.source ? await withSource(err, 'deleting', t.source) : err);
      continue;
    }
    if (o.outputName) process.stdout.write(`${kindOf(t.resource)}/${t.name}\n`);
    else {
      const where = t.namespace ? ` from ${t.namespace} namespace` : '';
      process.stdout.write(`${kindOf(t.resource)} "${t.name}" ${o.force ? 'force deleted' : 'deleted'}${where}${dryRunSuffix(o.dryRun)}\n`);
    }
    if (o.dryRun === 'none') waitFor.push({ path, uid: answer?.kind === 'Status' ? undefined : answer?.metadata?.uid });
  }
  if (o.wait) await waitGone(conn, waitFor, o.pollMs);
  await throwAll([...failures, ...errors]);
}

/** Polls each object until it is gone or a new object (another uid) has its name. */
async function waitGone(conn: Connection, objects: Array<{ path: string; uid?: string }>, pollMs: number): Promise<void> {
  for (const { path, uid } of objects) {
    for (;;) {
      let current: any;
      try {
        current = await conn.client.getJson(path);
      } catch (err) {
        if ((err as { code?: number }).code === 404) break;
        throw err;
      }
      if (uid !== undefined && current?.metadata?.uid !== uid) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }
}
