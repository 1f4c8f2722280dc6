import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ResourceTable } from '../../../schemas/index.js';
import { notFoundPath } from '../errors.js';
import {
  aggregatedDiscovery,
  legacyAPIVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
  servedGroups,
  type AggregatedVersion,
} from './discovery-docs.js';
import { SERVER_VERSION_INFO, type VersionInfo } from '../../../schemas/version.js';

/** The version we claim (schemas/version.ts), re-exported for the app and its tests. */
export const DEFAULT_VERSION_INFO: VersionInfo = SERVER_VERSION_INFO;

/** Options of {@link discoveryRoutes}. */
export interface DiscoveryRoutesOptions {
  table: ResourceTable;
  version: VersionInfo;
}

/** The Content-Type kubectl requires to read a body as aggregated discovery (plain JSON hides every resource). */
export function aggregatedContentType(v: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${v};as=APIGroupDiscoveryList`;
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function parseAccept(accept: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [type = '', ...rest] = part.split(';').map((s) => s.trim());
    if (type === '') continue;
    const params = new Map<string, string>();
    for (const p of rest) {
      const eq = p.indexOf('=');
      if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
    }
    const q = params.has('q') ? Number(params.get('q')) : 1;
    ranges.push({ type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 1 });
  }
  // Array.prototype.sort is stable, so equal q values keep the client's order.
  return ranges.filter((r) => r.q > 0).sort((a, b) => b.q - a.q);
}

/**
 * Picks the `/api` and `/apis` format from the Accept header, like the apiserver's
 * WrappedHandler: the first acceptable range wins; an aggregated range needs JSON with
 * g=apidiscovery.k8s.io, as=APIGroupDiscoveryList and v=v2|v2beta1. Anything else is legacy JSON.
 * @example negotiateDiscoveryFormat('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList') // 'v2'
 */
export function negotiateDiscoveryFormat(accept: string | undefined): AggregatedVersion | 'legacy' {
  for (const r of parseAccept(accept ?? '')) {
    if (r.params.has('as')) {
      const v = r.params.get('v');
      const aggregated =
        r.type === 'application/json' &&
        r.params.get('as') === 'APIGroupDiscoveryList' &&
        r.params.get('g') === 'apidiscovery.k8s.io' &&
        (v === 'v2' || v === 'v2beta1');
      if (aggregated) return v;
      continue; // protobuf or Table ranges: we only produce JSON, try the next one
    }
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return 'legacy';
  }
  // Nothing we can produce was asked for: the apiserver would answer 406; plain JSON is friendlier.
  return 'legacy';
}

/** A response body serialised once at registration. */
interface Prepared {
  body: Buffer;
  contentType: string;
  etag?: string;
}

function prepare(obj: unknown, contentType = 'application/json', indent?: number): Prepared {
  return { body: Buffer.from(JSON.stringify(obj, null, indent)), contentType };
}

function prepareAggregated(table: ResourceTable, core: boolean, v: AggregatedVersion): Prepared {
  const p = prepare(aggregatedDiscovery(table, { core, version: v }), aggregatedContentType(v));
  // The apiserver's ETag: upper-case hex sha512 of the document, quoted (discovery/aggregated/etag.go).
  p.etag = `"${createHash('sha512').update(p.body).digest('hex').toUpperCase()}"`;
  return p;
}

// A Buffer payload keeps the Content-Type byte-exact: Fastify appends `; charset=utf-8` to JSON strings.
function sendPrepared(req: FastifyRequest, reply: FastifyReply, p: Prepared): FastifyReply {
  reply.header('content-type', p.contentType);
  if (p.etag !== undefined) {
    reply.header('etag', p.etag).header('vary', 'Accept').header('cache-control', 'public');
    if (req.headers['if-none-match'] === p.etag) return reply.code(304).send();
  }
  return reply.send(p.body);
}

/** The pre-serialised discovery documents, keyed for O(1) lookup per request. */
interface DiscoveryDocs {
  coreAggregated: Record<AggregatedVersion, Prepared>;
  apisAggregated: Record<AggregatedVersion, Prepared>;
  groupList: Prepared;
  groups: Map<string, Prepared>;
  /** Key `group/version`; the core group is `/v1`. */
  resourceLists: Map<string, Prepared>;
}

function prepareDocs(table: ResourceTable): DiscoveryDocs {
  const groups = new Map<string, Prepared>();
  const resourceLists = new Map<string, Prepared>();
  for (const g of servedGroups(table)) {
    const group = legacyGroup(table, g.name);
    if (group) groups.set(g.name, prepare(group));
    for (const v of g.versions) resourceLists.set(`${g.name}/${v}`, prepare(legacyResourceList(table, g.name, v)));
  }
  return {
    coreAggregated: { v2: prepareAggregated(table, true, 'v2'), v2beta1: prepareAggregated(table, true, 'v2beta1') },
    apisAggregated: { v2: prepareAggregated(table, false, 'v2'), v2beta1: prepareAggregated(table, false, 'v2beta1') },
    groupList: prepare(legacyGroupList(table)),
    groups,
    resourceLists,
  };
}

/** Orders the fields like Go's version.Info so `kubectl get --raw /version` reads like the apiserver's. */
function versionBody(v: VersionInfo): Prepared {
  const body = {
    major: v.major,
    minor: v.minor,
    emulationMajor: v.emulationMajor ?? v.major,
    emulationMinor: v.emulationMinor ?? v.minor,
    minCompatibilityMajor: v.minCompatibilityMajor ?? v.major,
    minCompatibilityMinor: v.minCompatibilityMinor ?? String(Math.max(0, Number(v.minor) - 1)),
    gitVersion: v.gitVersion,
    gitCommit: v.gitCommit,
    gitTreeState: v.gitTreeState,
    buildDate: v.buildDate,
    goVersion: v.goVersion,
    compiler: v.compiler,
    platform: v.platform,
  };
  // The apiserver writes /version with WriteRawJSON, i.e. indented by two spaces.
  return prepare(body, 'application/json', 2);
}

// Check names as kube-apiserver lists them (without its many poststarthooks); all pass while we serve.
const HEALTH_CHECKS = {
  healthz: ['ping', 'log', 'etcd'],
  livez: ['ping', 'log', 'etcd'],
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', 'shutdown'],
} as const;

type HealthQuery = Record<string, string | string[] | undefined>;

/**
 * The body of `/healthz`, `/livez` or `/readyz`: `ok`, or with `?verbose` one `[+]check ok` line per
 * check and `<name> check passed` (healthz.go handleRootHealth, including `?exclude=`).
 */
export function healthBody(name: keyof typeof HEALTH_CHECKS, query: HealthQuery): string {
  if (!('verbose' in query)) return 'ok';
  const raw = query['exclude'];
  const excluded = new Set(raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
  const lines: string[] = [];
  for (const check of HEALTH_CHECKS[name]) {
    lines.push(excluded.delete(check) ? `[+]${check} excluded: ok` : `[+]${check} ok`);
  }
  if (excluded.size > 0) {
    const quoted = [...excluded].sort().map((e) => JSON.stringify(e));
    lines.push(`warn: some health checks cannot be excluded: no matches for ${quoted.join(',')}`);
  }
  return `${lines.join('\n')}\n${name} check passed\n`;
}

function sendText(reply: FastifyReply, text: string): FastifyReply {
  return reply.header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(text);
}

function healthRoutes(app: FastifyInstance): void {
  for (const name of Object.keys(HEALTH_CHECKS) as (keyof typeof HEALTH_CHECKS)[]) {
    app.get(`/${name}`, async (req, reply) => sendText(reply, healthBody(name, req.query as HealthQuery)));
    app.get<{ Params: { check: string } }>(`/${name}/:check`, async (req, reply) => {
      if (!(HEALTH_CHECKS[name] as readonly string[]).includes(req.params.check)) throw notFoundPath();
      return sendText(reply, 'ok');
    });
  }
}

/** The address clients reached us at, for APIVersions.serverAddressByClientCIDRs. */
function serverAddress(req: FastifyRequest): string {
  return req.headers.host || `${req.socket.localAddress ?? '127.0.0.1'}:${req.socket.localPort ?? 6443}`;
}

// The only per-request document; clients use one or two Host values, so a tiny cache suffices.
const MAX_CACHED_HOSTS = 16;

function apiVersionsCache(table: ResourceTable): (host: string) => Prepared {
  const cache = new Map<string, Prepared>();
  return (host) => {
    let p = cache.get(host);
    if (!p) {
      p = prepare(legacyAPIVersions(table, host));
      if (cache.size >= MAX_CACHED_HOSTS) cache.clear();
      cache.set(host, p);
    }
    return p;
  };
}

/**
 * Fastify plugin serving discovery (`/api`, `/apis` aggregated v2/v2beta1 and legacy, the per-group and
 * per-group-version documents), `/version` and the health endpoints, all generated from the resource
 * table once at registration.
 * @example await app.register(discoveryRoutes, { table: loadResourceTable(), version: DEFAULT_VERSION_INFO });
 */
export async function discoveryRoutes(app: FastifyInstance, opts: DiscoveryRoutesOptions): Promise<void> {
  const docs = prepareDocs(opts.table);
  const version = versionBody(opts.version);
  const apiVersions = apiVersionsCache(opts.table);

  app.get('/version', async (req, reply) => sendPrepared(req, reply, version));
  healthRoutes(app);

  app.get('/api', async (req, reply) => {
    const format = negotiateDiscoveryFormat(req.headers.accept);
    const p = format === 'legacy' ? apiVersions(serverAddress(req)) : docs.coreAggregated[format];
    return sendPrepared(req, reply, p);
  });
  app.get<{ Params: { version: string } }>('/api/:version', async (req, reply) => {
    const p = docs.resourceLists.get(`/${req.params.version}`);
    if (!p) throw notFoundPath();
    return sendPrepared(req, reply, p);
  });

  app.get('/apis', async (req, reply) => {
    const format = negotiateDiscoveryFormat(req.headers.accept);
    return sendPrepared(req, reply, format === 'legacy' ? docs.groupList : docs.apisAggregated[format]);
  });
  app.get<{ Params: { group: string } }>('/apis/:group', async (req, reply) => {
    const p = docs.groups.get(req.params.group);
    if (!p) throw notFoundPath();
    return sendPrepared(req, reply, p);
  });
  app.get<{ Params: { group: string; version: string } }>('/apis/:group/:version', async (req, reply) => {
    // The core group lives under /api only; `/apis//v1` must not reach it.
    const p = req.params.group === '' ? undefined : docs.resourceLists.get(`${req.params.group}/${req.params.version}`);
    if (!p) throw notFoundPath();
    return sendPrepared(req, reply, p);
  });
}
