import type { FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { decodeBody, type WriteOptions } from '../../registry/decode.js';
import { fromEventsV1, toEventsV1 } from '../../registry/event-conversion.js';
import type { Registry, Scope, WriteResult } from '../../registry/rest.js';
import { applyJsonPatch, JsonPatchError } from '../../patch/json-patch.js';
import { mergePatch } from '../../patch/merge-patch.js';
import { StatusError, unsupportedMediaType } from '../errors.js';
import { decodeRequestBody, mediaType } from '../request.js';

/** Applies the patch body of a PATCH request to the object's current state (in its served version). */
function applyPatch(type: string, current: unknown, patch: unknown): unknown {
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
  if (type !== 'application/merge-patch+json' && type !== 'application/json-patch+json') throw unsupportedMediaType();
  const patch = decodeRequestBody(req);
  const events = scope.info.group === 'events.k8s.io';
  return registry.guaranteedUpdate(scope, opts, (current) => {
    const served = events ? toEventsV1(current) : current;
    const patched = applyPatch(type, served, patch) as KubeObject;
    const { obj, warnings } = decodeBody(scope.info, patched, opts);
    return { obj: events ? fromEventsV1(obj) : obj, warnings };
  }, mode);
}
