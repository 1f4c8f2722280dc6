import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { formatLabelSelector } from '../../../schemas/format/labels.js';
import type { Scope } from '../../registry/rest.js';
import { applyJsonPatch } from '../../patch/json-patch.js';
import { mergePatch } from '../../patch/merge-patch.js';
import { invalid } from '../../validation/field-errors.js';
import { badRequest, invalidError, methodNotAllowed, unsupportedMediaType } from '../errors.js';
import { decodeRequestBody, mediaType, wantsTable, writeOptions, type ResourcePath } from '../request.js';
import { ageColumn, col, NAME_DESCRIPTION, type Column } from '../tables/table.js';
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

/** Columns of the apiserver's Scale printer (printScale in pkg/printers/internalversion/printers.go). */
const SCALE_COLUMNS: Column[] = [
  // Unlike most Name columns this one has no `name` format, as upstream defines it.
  col({ name: 'Name', description: NAME_DESCRIPTION }, (o) => o.metadata.name ?? ''),
  col({ name: 'Desired', type: 'integer', description: 'replicas is the desired number of instances for the scaled object.' }, (o) => (o as ScaleObject).spec.replicas ?? 0),
  col({ name: 'Available', type: 'integer', description: 'replicas is the actual number of observed instances of the scaled object.' }, (o) => (o as ScaleObject).status.replicas),
  ageColumn(),
];

/** The Table `kubectl get <kind> <name> --subresource=scale` asks for. */
function scaleTable(scale: ScaleObject, includeObject: unknown, now: number): Record<string, unknown> {
  const include = includeObject ?? 'Metadata';
  if (include !== 'None' && include !== 'Metadata' && include !== 'Object') {
    throw badRequest(`includeObject: Unsupported value: ${JSON.stringify(include)}: supported values: "Metadata", "None", "Object"`);
  }
  const row: Record<string, unknown> = { cells: SCALE_COLUMNS.map((c) => c.cell(scale, now)) };
  if (include === 'Object') row.object = scale;
  if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: scale.metadata };
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: scale.metadata.resourceVersion },
    columnDefinitions: SCALE_COLUMNS.map(({ name, type, format, description, priority }) => ({ name, type, format, description, priority })),
    rows: [row],
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
  if (req.method === 'GET') {
    const scale = scaleOf(deps.registry.get(scope).object as KubeObject);
    if (!wantsTable(req)) return reply.send(JSON.stringify(scale));
    return reply.send(JSON.stringify(scaleTable(scale, (req.query as Record<string, unknown>).includeObject, deps.clock.now())));
  }
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
