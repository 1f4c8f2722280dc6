/**
 * The `-f` side of kubectl's resource builder for the writing verbs (cli-runtime pkg/resource/
 * builder.go, mapper.go, visitor.go): each manifest mapped to its served resource, its namespace
 * defaulted or checked against an explicit `-n`, and the per-object errors kubectl collects
 * (mapping errors come after the others, as the builder reports them).
 */
import type { Connection } from '../kube/connect.js';
import type { ApiResource } from '../kube/discovery.js';

/** One object of `-f`, ready to write. */
export interface Info {
  source: string;
  obj: any;
  resource: ApiResource;
  /** The namespace the object goes to; undefined for cluster-scoped resources. */
  namespace: string | undefined;
  name: string;
}

/** Options of readInfos. */
export interface ReadOptions {
  filenames: string[];
  recursive?: boolean;
  /** The effective namespace (flag, context or default). */
  namespace: string;
  /** Whether `-n` was given: objects of another namespace are then an error. */
  enforceNamespace: boolean;
}

/** The error kubectl prints when `-n` and an object's namespace disagree. */
export function namespaceMismatch(objNs: string, ns: string): Error {
  return new Error(`the namespace from the provided object "${objNs}" does not match the namespace "${ns}". You must pass '--namespace=${objNs}' to perform this operation.`);
}

/**
 * Reads and maps the objects of the `-f` arguments. Objects that cannot be mapped or whose
 * namespace conflicts are left out and their errors returned in `errors`, in kubectl's order.
 */
export async function readInfos(conn: Connection, o: ReadOptions): Promise<{ infos: Info[]; errors: unknown[] }> {
  const { readManifests } = await import('../kube/builder.js');
  const manifests = await readManifests(o.filenames, { recursive: o.recursive });
  const infos: Info[] = [];
  const errors: unknown[] = [];
  const mappingErrors: unknown[] = [];
  for (const { source, obj } of manifests) {
    if (typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    const name = String(obj.metadata?.name ?? '');
    const objNs = String(obj.metadata?.namespace ?? '');
    if (!obj.kind) throw new Error(`error validating "${source}": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false`);
    let resource: ApiResource;
    try {
      resource = await conn.resourceFor(String(obj.apiVersion ?? ''), String(obj.kind));
    } catch (err) {
      // With or without validation: kubectl's OpenAPI v2 check passes a kind it does not know.
      mappingErrors.push(new Error(`resource mapping not found for name: "${name}" namespace: "${objNs}" from "${source}": ${(err as Error).message}\nensure CRDs are installed first`));
      continue;
    }
    if (!resource.namespaced) {
      infos.push({ source, obj, resource, namespace: undefined, name });
      continue;
    }
    if (o.enforceNamespace && objNs !== '' && objNs !== o.namespace) {
      errors.push(namespaceMismatch(objNs, o.namespace));
      continue;
    }
    infos.push({ source, obj, resource, namespace: objNs || o.namespace, name });
  }
  return { infos, errors: [...errors, ...mappingErrors] };
}

/**
 * kubectl's AddSourceToErr: an API error's message gets `error when <verb> "<source>": ` in front
 * (Invalid errors keep printing their causes, as kubectl builds those from the details).
 */
export async function withSource(err: unknown, verb: string, source: string): Promise<unknown> {
  const { ApiStatusError } = await import('../kube/errors.js');
  if (err instanceof ApiStatusError) return new ApiStatusError(err.code, err.reason, `error when ${verb} "${source}": ${err.message}`, err.details);
  return err;
}

/** Throws the collected errors as kubectl prints an aggregate: one alone as itself, several one per line. */
export async function throwAll(errors: unknown[]): Promise<void> {
  if (errors.length === 0) return;
  if (errors.length === 1) throw errors[0];
  const { PreformattedError } = await import('../commands/kube-flags.js');
  throw new PreformattedError(errors);
}
