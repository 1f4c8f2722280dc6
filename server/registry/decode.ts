import { apiVersionOf, type ResourceInfo } from '../../schemas/index.js';
import type { KubeObject } from '../../schemas/types/meta.js';
import { badRequest } from '../api/errors.js';
import { normalizeLikeGo } from '../validation/normalize.js';
import { decodeError, decodesCleanly, strictDecodingMessage, unknownFieldMessage, unknownFields } from '../validation/schema.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options every write carries (query parameters of the request). */
export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: FieldValidation;
  /** The manager recorded in managedFields; without it, derived from the User-Agent. */
  fieldManager?: string;
  userAgent?: string;
  /**
   * The body was built by an in-process component against the API types, as upstream's
   * controllers build Go structs: it cannot carry a mistyped value or an unknown field, so the
   * wire decoder's type and unknown-field checks (a schema walk per object) are skipped.
   */
  typed?: boolean;
}

/** Removes a field named like `spec.template.spec.containers[0].foo` from obj. */
function dropField(obj: unknown, path: string): void {
  const tokens = path.match(/[^.[\]]+/g) ?? [];
  let cur: unknown = obj;
  for (const t of tokens.slice(0, -1)) {
    if (cur === null || typeof cur !== 'object') return;
    cur = (cur as Record<string, unknown>)[t];
  }
  if (cur && typeof cur === 'object') delete (cur as Record<string, unknown>)[tokens[tokens.length - 1]!];
}

/**
 * Checks a request body the way the apiserver's decoder does: apiVersion and kind must be the
 * endpoint's, values must have the schema's types, and unknown fields are rejected (Strict), reported
 * (Warn) or dropped silently (Ignore). Returns the warnings to send back.
 */
export function decodeBody(expected: ResourceInfo, body: unknown, opts: WriteOptions): { obj: KubeObject; warnings: string[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
  }
  const obj = body as KubeObject;
  const apiVersion = apiVersionOf(expected);
  if (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (obj.kind !== undefined && obj.kind !== expected.kind) {
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${expected.kind})`);
  }
  // One schema check for the common case; the walkers below only run on a body it rejects.
  const clean = opts.typed === true || decodesCleanly(expected.group, expected.version, expected.kind, obj);
  const typeError = clean ? undefined : decodeError(expected.group, expected.version, expected.kind, obj);
  if (typeError) throw badRequest(typeError);
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  obj.apiVersion = apiVersion;
  obj.kind = expected.kind;
  normalizeLikeGo(expected.group, expected.version, expected.kind, obj);
  if (obj.metadata === undefined) obj.metadata = {};
  if (clean) return { obj, warnings: [] };
  const unknown = unknownFields(expected.group, expected.version, expected.kind, obj);
  if (unknown.length === 0) return { obj, warnings: [] };
  if (opts.fieldValidation === 'Strict') throw badRequest(strictDecodingMessage(expected.kind, expected.version, unknown));
  for (const f of unknown) dropField(obj, f);
  return { obj, warnings: opts.fieldValidation === 'Warn' ? unknown.map(unknownFieldMessage) : [] };
}
