import type { FastifyReply, FastifyRequest } from 'fastify';
import { createEviction } from '../../registry/eviction.js';
import { methodNotAllowed } from '../errors.js';
import { decodeRequestBody, deleteOptions, writeOptions, type ResourcePath } from '../request.js';
import type { ResourceRouteDeps } from './resources.js';

type Query = Record<string, string | string[] | undefined>;

/**
 * POST `pods/NAME/eviction` (policy/v1 or v1beta1 Eviction, JSON or protobuf). Answers with the
 * Status the eviction returns: 201 Success, or 500 when several PDBs cover the pod; PDB refusals
 * are 429 errors. The request's dryRun reaches the delete through the Eviction's deleteOptions.
 */
export function eviction(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (req.method !== 'POST' || p.name === undefined) throw methodNotAllowed();
  const q = req.query as Query;
  const opts = writeOptions(q, req.headers['user-agent']);
  const body = decodeRequestBody(req) ?? {};
  const rawOptions = (body as { deleteOptions?: unknown }).deleteOptions;
  // propagateDryRun: the Eviction's own dryRun wins; the query's fills it in when unset.
  const options = deleteOptions({}, rawOptions ?? {});
  if (!options.dryRun && opts.dryRun) options.dryRun = true;
  const status = createEviction({ registry: deps.registry, table: deps.table }, { namespace: p.namespace, name: p.name, body, opts, deleteOptions: options });
  return reply.code(status.code).type('application/json').send(JSON.stringify(status));
}
