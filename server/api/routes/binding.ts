import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { bindPod } from '../../registry/binding.js';
import { decodeBody } from '../../registry/decode.js';
import { methodNotAllowed } from '../errors.js';
import { decodeRequestBody, writeOptions, type ResourcePath } from '../request.js';
import type { ResourceRouteDeps } from './resources.js';

/**
 * POST of a Binding, to `pods/NAME/binding` or to the `bindings` collection (the scheduler's
 * two ways to place a pod). Answers 201 with a Success Status, as the apiserver does.
 */
export function binding(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (req.method !== 'POST') throw methodNotAllowed();
  const bindingInfo = deps.table.lookup('', 'v1', 'bindings')!;
  const { obj } = decodeBody(bindingInfo, decodeRequestBody(req) ?? {}, writeOptions(req.query as Record<string, string>));
  const body = obj as KubeObject;
  if (p.subresource === 'binding') body.metadata.name = p.name;
  bindPod(deps.registry, p.namespace, body);
  return reply.code(201).type('application/json').send(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
}
