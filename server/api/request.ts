import type { FastifyRequest } from 'fastify';
import YAML from 'yaml';
import type { ResourceInfo, ResourceTable } from '../../schemas/index.js';
import type { DeleteOptions, ListOptions } from '../registry/rest.js';
import type { FieldValidation, WriteOptions } from '../registry/decode.js';
import { badRequest, notFoundPath, unsupportedMediaType } from './errors.js';
import { decodeProtobuf, ProtobufDecodeError } from './protobuf.js';

/** What a resource URL names: the resource, namespace, object name and subresource. */
export interface ResourcePath {
  info: ResourceInfo;
  namespace: string;
  name?: string;
  subresource?: string;
}

/**
 * Parses `/api/v1/…` and `/apis/G/V/…` paths. `namespaces/NS/<resource>…` is a namespaced path only
 * when <resource> is a namespaced resource of the group-version; otherwise it names the Namespace
 * object itself (`/api/v1/namespaces/NS/status`).
 */
export function parseResourcePath(table: ResourceTable, url: string): ResourcePath {
  const path = url.split('?')[0]!.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  let group = '';
  let version: string;
  let rest: string[];
  if (path[0] === 'api') {
    version = path[1] ?? '';
    rest = path.slice(2);
  } else {
    group = path[1] ?? '';
    version = path[2] ?? '';
    rest = path.slice(3);
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const info = table.lookup(group, version, rest[2]!);
    if (info?.namespaced) return finish(info, rest[1]!, rest.slice(3));
  }
  const info = table.lookup(group, version, rest[0] ?? '');
  if (!info) throw notFoundPath();
  return finish(info, '', rest.slice(1));
}

function finish(info: ResourceInfo, namespace: string, rest: string[]): ResourcePath {
  if (rest.length > 2) throw notFoundPath();
  const p: ResourcePath = { info, namespace };
  if (rest[0] !== undefined) p.name = rest[0];
  if (rest[1] !== undefined) {
    if (!info.subresources.some((s) => s.name === rest[1])) throw notFoundPath();
    p.subresource = rest[1];
  }
  return p;
}

type Query = Record<string, string | string[] | undefined>;

function one(q: Query, key: string): string | undefined {
  const v = q[key];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

function intParam(q: Query, key: string): number | undefined {
  const v = one(q, key);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${key}: ${JSON.stringify(v)}: strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** List options from the query string. */
export function listOptions(q: Query): ListOptions {
  const o: ListOptions = {};
  const copy = ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'resourceVersionMatch'] as const;
  for (const k of copy) {
    const v = one(q, k);
    if (v !== undefined) o[k] = v;
  }
  const limit = intParam(q, 'limit');
  if (limit !== undefined) o.limit = limit;
  return o;
}

function dryRunOf(values: unknown): boolean {
  const list = (Array.isArray(values) ? values : values === undefined ? [] : [values]) as unknown[];
  for (const v of list) if (v !== 'All') throw badRequest(`Invalid dryRun value: ${JSON.stringify(v)}: supported values: "All"`);
  return list.length > 0;
}

/** Write options from the query string (dryRun, fieldValidation, fieldManager) and the User-Agent. */
export function writeOptions(q: Query, userAgent?: string): WriteOptions {
  const fv = one(q, 'fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(fv)) {
    throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Strict", "Warn"`);
  }
  const o: WriteOptions = { dryRun: dryRunOf(q.dryRun), fieldValidation: fv as FieldValidation };
  const fm = one(q, 'fieldManager');
  if (fm !== undefined) o.fieldManager = fm;
  if (userAgent !== undefined) o.userAgent = userAgent;
  return o;
}

/** Delete options from the DeleteOptions body merged with query parameters. */
export function deleteOptions(q: Query, body: unknown): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  if (b.kind !== undefined && b.kind !== 'DeleteOptions') throw badRequest(`the kind in the data (${String(b.kind)}) does not match the expected kind (DeleteOptions)`);
  const grace = intParam(q, 'gracePeriodSeconds') ?? (b.gracePeriodSeconds as number | undefined);
  const policy = one(q, 'propagationPolicy') ?? (b.propagationPolicy as string | undefined);
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    throw badRequest(`propagationPolicy: Unsupported value: ${JSON.stringify(policy)}: supported values: "Foreground", "Background", "Orphan"`);
  }
  const o: DeleteOptions = { dryRun: dryRunOf(q.dryRun ?? b.dryRun) };
  if (grace !== undefined) o.gracePeriodSeconds = grace;
  if (policy !== undefined) o.propagationPolicy = policy;
  if (b.preconditions && typeof b.preconditions === 'object') o.preconditions = b.preconditions as DeleteOptions['preconditions'];
  return o;
}

/** The media type of a request, lower-cased and without parameters. */
export function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes a request body (raw Buffer from the catch-all parser) as JSON or YAML. */
export function decodeRequestBody(req: FastifyRequest): unknown {
  const raw = req.body as Buffer | undefined;
  const type = mediaType(req);
  if (!raw || raw.length === 0) return undefined;
  if (type === 'application/vnd.kubernetes.protobuf') return decodeProtobufBody(raw);
  const text = raw.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') {
    try {
      return YAML.parse(text);
    } catch (e) {
      throw badRequest(`error converting YAML to JSON: ${(e as Error).message.split('\n')[0]}`);
    }
  }

  if (type !== '' && type !== 'application/json' && !type.endsWith('+json') && type !== '*/*') throw unsupportedMediaType();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** Whether the client asked for a meta.k8s.io Table (kubectl get with human-readable output). */
export function wantsTable(req: FastifyRequest): boolean {
  return /as=Table/.test(req.headers.accept ?? '');
}

function decodeProtobufBody(raw: Buffer): unknown {
  try {
    return decodeProtobuf(raw).object;
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw badRequest(`the body of the request could not be decoded as protobuf: ${e.message}`);
    throw e;
  }
}
