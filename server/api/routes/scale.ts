import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { formatLabelSelector } from '../../../schemas/format/labels.js';
import type { Scope } from '../../registry/rest.js';
import { applyJsonPatch } from '../../patch/json-patch.js';
import { mergePatch } from '../../patch/merge-patch.js';
import { invalid } from '../../validation/field-errors.js';
import { badRequest, invalidError, methodNotAllowed, unsupportedMediaType } from '../errors.js';
import { decodeRequestBody, mediaType, writeOptions, type ResourcePath } from '../request.js';
import type { ResourceRouteDeps } from './resources.js';

interface ScaleObject extends KubeObject {
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

/** The autoscaling/v1 Scale view of a workload (deployments, replicasets, statefulsets, RCs). */
export function scaleOf(obj: KubeObject): ScaleObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: unknown };
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata;
  const sel = spec.selector as Record<string, unknown> | undefined;
  // ReplicationControllers keep a plain map as selector; the apps kinds a LabelSelector.
  const selector = !sel ? '' : 'matchLabels' in sel || 'matchExpressions' in sel ? formatLabelSelector(sel) : formatLabelSelector({ matchLabels: sel as Record<string, string> });
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, ...(selector && selector !== '<none>' ? { selector } : {}) },
  };
}

function newScale(req: FastifyRequest, current: ScaleObject): ScaleObject {
  const body = decodeRequestBody(req);
  if (req.method === 'PUT') {
    const b = body as KubeObject | undefined;
    if (!b || typeof b !== 'object') throw badRequest(`Object 'Kind' is missing in '${JSON.stringify(body)}'`);
    if (b.kind !== undefined && b.kind !== 'Scale') throw badRequest(`the kind in the data (${String(b.kind)}) does not match the expected kind (Scale)`);
    return { ...current, ...b, metadata: { ...current.metadata, resourceVersion: b.metadata?.resourceVersion } } as ScaleObject;
  }
  const type = mediaType(req);
  if (type === 'application/merge-patch+json') return mergePatch(current, body) as ScaleObject;
  if (type === 'application/json-patch+json') return applyJsonPatch(current, body) as ScaleObject;
  throw unsupportedMediaType();
}

/** GET, PUT and PATCH on …/scale: reads and writes spec.replicas of the parent object. */
export async function scaleRoutes(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const scope: Scope = { info: p.info, namespace: p.namespace, name: p.name ?? '' };
  reply.type('application/json');
  if (req.method === 'GET') return reply.send(JSON.stringify(scaleOf(deps.registry.get(scope).object as KubeObject)));
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed();
  const opts = writeOptions(req.query as Record<string, string>, req.headers['user-agent']);
  const res = deps.registry.guaranteedUpdate(scope, opts, (current) => {
    const scale = newScale(req, scaleOf(current));
    const replicas = scale.spec?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalidError('Scale', 'autoscaling', scope.name ?? '', [invalid('spec.replicas', replicas ?? null, 'must be greater than or equal to 0')]);
    }
    const next = current;
    next.spec = { ...(next.spec as object), replicas };
    next.metadata.resourceVersion = scale.metadata?.resourceVersion || current.metadata.resourceVersion;
    return { obj: next, warnings: [] };
  }, 'scale');
  return reply.send(JSON.stringify(scaleOf(res.object)));
}
