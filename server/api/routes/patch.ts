import type { FastifyRequest } from 'fastify';
import { apiVersionOf } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { rfc3339 } from '../../clock.js';
import { ApplyConflictError, serverSideApply } from '../../patch/apply.js';
import { definitionFor } from '../../validation/schema.js';
import { decodeBody, type WriteOptions } from '../../registry/decode.js';
import { fromEventsV1, toEventsV1 } from '../../registry/event-conversion.js';
import type { Registry, Scope, WriteResult } from '../../registry/rest.js';
import { applyJsonPatch, JsonPatchError } from '../../patch/json-patch.js';
import { mergePatch } from '../../patch/merge-patch.js';
import { strategicMergePatch, StrategicMergePatchError } from '../../patch/strategic.js';
import { badRequest, invalidError, StatusError, unsupportedMediaType } from '../errors.js';
import { required } from '../../validation/field-errors.js';
import { decodeRequestBody, mediaType } from '../request.js';

const PATCH_TYPES = new Set(['application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json']);

/** Applies the patch body of a PATCH request to the object's current state (in its served version). */
function applyPatch(type: string, current: unknown, patch: unknown, definition: string | undefined): unknown {
  switch (type) {
    case 'application/merge-patch+json':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new StatusError(400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
      return mergePatch(current, patch);
    case 'application/json-patch+json':
      try {
        return applyJsonPatch(current, patch);
      } catch (e) {
        if (e instanceof JsonPatchError) throw new StatusError(422, 'Invalid', e.message);
        throw e;
      }
    case 'application/strategic-merge-patch+json':
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new StatusError(400, 'BadRequest', 'json: cannot unmarshal array into Go value of type map[string]interface {}');
      try {
        return strategicMergePatch(current, patch, definition);
      } catch (e) {
        if (e instanceof StrategicMergePatchError) throw new StatusError(e.code, e.code === 422 ? 'Invalid' : e.code === 400 ? 'BadRequest' : 'InternalError', e.message);
        throw e;
      }
    default:
      throw unsupportedMediaType();
  }
}

/**
 * PATCH: the patch is applied to the current object inside the registry's read-modify-write, so
 * the result is validated and stored like a PUT.
 */
export function patchObject(registry: Registry, scope: Scope, req: FastifyRequest, opts: WriteOptions, mode: 'main' | 'status'): WriteResult {
  const type = mediaType(req);
  if (type === 'application/apply-patch+yaml') return applyObject(registry, scope, req, opts);
  if (!PATCH_TYPES.has(type)) throw unsupportedMediaType();
  const definition = definitionFor(scope.info.group, scope.info.version, scope.info.kind);
  const patch = decodeRequestBody(req);
  const events = scope.info.group === 'events.k8s.io';
  return registry.guaranteedUpdate(scope, opts, (current) => {
    const served = events ? toEventsV1(current) : current;
    const patched = applyPatch(type, served, patch, definition) as KubeObject;
    const { obj, warnings } = decodeBody(scope.info, patched, opts);
    return { obj: events ? fromEventsV1(obj) : obj, warnings };
  }, mode);
}

/**
 * Server-side apply: merge the applied configuration into the live object (or create it) under the
 * request's field manager, refusing to take fields other managers own unless forced.
 */
function applyObject(registry: Registry, scope: Scope, req: FastifyRequest, opts: WriteOptions): WriteResult {
  const { info } = scope;
  if (!opts.fieldManager) throw invalidError('PatchOptions', 'meta.k8s.io', '', [required('fieldManager', 'is required for apply patch')]);
  const body = decodeRequestBody(req);
  const { obj, warnings } = decodeBody(info, body, opts);
  if (obj.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  if (obj.metadata.name !== undefined && obj.metadata.name !== scope.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${scope.name ?? ''})`);
  }
  obj.metadata.name = scope.name;
  const force = (req.query as { force?: string }).force === 'true';
  const applyOpts = { manager: opts.fieldManager, force, apiVersion: apiVersionOf(info), time: rfc3339(registry.deps.clock.now()), definition: definitionFor(info.group, info.version, info.kind) };
  try {
    if (!registry.deps.store.get(registry.ref(scope))) {
      const created = registry.create(scope, serverSideApply(undefined, obj, applyOpts), opts, true);
      return { ...created, warnings: [...warnings, ...created.warnings] };
    }
    const res = registry.guaranteedUpdate(scope, opts, (current) => ({ obj: serverSideApply(current, obj, applyOpts), warnings }), 'apply');
    return res;
  } catch (e) {
    if (!(e instanceof ApplyConflictError)) throw e;
    throw new StatusError(409, 'Conflict', e.message, {
      name: scope.name ?? '', group: info.group, kind: info.plural,
      causes: e.conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: c.message, field: c.field })),
    });
  }
}
