/**
 * Client-side and server-side apply of one object (kubectl pkg/cmd/apply/apply.go applyOneObject,
 * patcher.go, pkg/util/apply.go GetModifiedConfiguration): create with the last-applied annotation
 * when missing, otherwise a three-way strategic merge patch (retried on conflicts as kubectl does);
 * or one PATCH of type application/apply-patch+yaml.
 */
import type { Connection } from '../kube/connect.js';
import type { Info } from './manifests.js';
import { goCompactJson, type DryRun, type Validation } from './write.js';

/** The annotation client-side apply keeps the applied manifest in. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/** kubectl's patcher retries a conflicting PATCH this many times. */
const MAX_PATCH_RETRIES = 5;

/** The outcome of applying one object: the object to print and the operation word. */
export interface Applied {
  obj: any;
  operation: 'created' | 'configured' | 'unchanged' | 'serverside-applied';
}

/** How to apply. */
export interface ApplyOptions {
  dryRun: DryRun;
  validation: Validation;
  fieldManager: string;
  forceConflicts?: boolean;
}

/** Go's compact JSON plus the newline its encoder ends with. */
function goJson(value: unknown): string {
  return `${goCompactJson(value)}\n`;
}

/**
 * The manifest as kubectl sends it (GetModifiedConfiguration): namespace filled in, and the
 * annotation holding the manifest itself serialized with an empty annotations map in place of the
 * annotation. Without `annotate` (diff), no annotation: only the empty map.
 */
export function modifiedConfiguration(info: Info, annotate = true): any {
  const obj = structuredClone(info.obj);
  obj.metadata ??= {};
  if (info.namespace) obj.metadata.namespace = info.namespace;
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  obj.metadata.annotations = annotations;
  if (!annotate) return obj;
  const applied = goJson(obj);
  obj.metadata.annotations = { ...annotations, [LAST_APPLIED]: applied };
  return obj;
}

function query(o: ApplyOptions, extra: { force?: boolean } = {}): string {
  const q = new URLSearchParams();
  if (o.dryRun === 'server') q.set('dryRun', 'All');
  q.set('fieldManager', o.fieldManager);
  if (o.validation) q.set('fieldValidation', o.validation);
  if (extra.force !== undefined) q.set('force', String(extra.force));
  return `?${q}`;
}

/** Server-side apply: the manifest (namespace filled in) as an apply patch. */
export async function serverSideApply(conn: Connection, info: Info, o: ApplyOptions): Promise<Applied> {
  const { resourcePath } = await import('../kube/discovery.js');
  const obj = structuredClone(info.obj);
  if (info.namespace) (obj.metadata ??= {}).namespace = info.namespace;
  const path = resourcePath(info.resource, info.namespace, info.name) + query(o, { force: !!o.forceConflicts });
  const answer = await conn.client.request('PATCH', path, { body: obj, contentType: 'application/apply-patch+yaml' });
  return { obj: answer, operation: 'serverside-applied' };
}

/** Client-side apply of one object. */
export async function clientSideApply(conn: Connection, info: Info, o: ApplyOptions): Promise<Applied> {
  const { resourcePath } = await import('../kube/discovery.js');
  const path = resourcePath(info.resource, info.namespace, info.name);
  const modified = modifiedConfiguration(info);
  let current: any;
  try {
    current = await conn.client.getJson(path);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
    if (o.dryRun === 'client') return { obj: modified, operation: 'created' };
    try {
      const created = await conn.client.request('POST', resourcePath(info.resource, info.namespace) + query(o), { body: modified });
      return { obj: created, operation: 'created' };
    } catch (createErr) {
      const { withSource } = await import('./manifests.js');
      throw await withSource(createErr, 'creating', info.source);
    }
  }
  if (current?.metadata?.annotations?.[LAST_APPLIED] === undefined) {
    process.stderr.write(
      `Warning: resource ${info.resource.resource}/${info.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
    );
  }
  return patchWithRetries(conn, path, info, modified, current, o);
}

async function patchWithRetries(conn: Connection, path: string, info: Info, modified: any, current: any, o: ApplyOptions): Promise<Applied> {
  const { createThreeWayMergePatch } = await import('./three-way.js');
  for (let attempt = 1; ; attempt++) {
    const lastApplied = current?.metadata?.annotations?.[LAST_APPLIED];
    const original = lastApplied ? JSON.parse(lastApplied) : undefined;
    const patch = createThreeWayMergePatch(original, modified, current, String(info.obj.kind));
    if (Object.keys(patch).length === 0) return { obj: current, operation: 'unchanged' };
    if (o.dryRun === 'client') return { obj: current, operation: 'configured' };
    try {
      const answer = await conn.client.request('PATCH', path + query(o), { body: patch, contentType: 'application/strategic-merge-patch+json' });
      return { obj: answer, operation: 'configured' };
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= MAX_PATCH_RETRIES) throw await patchError(err, patch, info);
      current = await conn.client.getJson(path);
    }
  }
}

/** kubectl's text for a failed apply PATCH: the patch, the object it was for, then the server's message. */
async function patchError(err: unknown, patch: unknown, info: Info): Promise<unknown> {
  const { withSource } = await import('./manifests.js');
  const { ApiStatusError } = await import('../kube/errors.js');
  const inner = await withSource(err, 'patching', info.source);
  if (!(inner instanceof ApiStatusError)) return inner;
  const r = info.resource;
  const target = `Resource: "${r.group}/${r.version}, Resource=${r.resource}", GroupVersionKind: "${r.group}/${r.version}, Kind=${r.kind}"\nName: "${info.name}", Namespace: "${info.namespace ?? ''}"`;
  const text = `error when applying patch:\n${goJson(patch).trimEnd()}\nto:\n${target}\nfor: "${info.source}": ${inner.message}`;
  return new ApiStatusError(inner.code, inner.reason, text, inner.details);
}
