import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadResourceTable, type ResourceInfo, type ResourceTable } from '../../../../schemas/index.js';
import { StatusError } from '../../../../server/api/errors.js';
import { DEFAULT_VERSION_INFO, discoveryRoutes, healthBody, negotiateDiscoveryFormat } from '../../../../server/api/routes/discovery.js';
import {
  aggregatedDiscovery,
  legacyGroupList,
  legacyResourceList,
  type APIGroupDiscoveryList,
  type APIResourceList,
} from '../../../../server/api/routes/discovery-docs.js';

// What kubectl v1.35.2 sends for /api and /apis (kubectl-wire.md §3.1).
const KUBECTL_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const V2_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

async function build(t: TestContext, table: ResourceTable = loadResourceTable()): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((e, _req, reply) => (e instanceof StatusError ? reply.code(e.code).send(e.toStatus()) : reply.send(e)));
  await app.register(discoveryRoutes, { table, version: DEFAULT_VERSION_INFO });
  await app.ready();
  t.after(() => app.close());
  return app;
}

function res(over: Partial<ResourceInfo> & Pick<ResourceInfo, 'group' | 'version' | 'kind' | 'plural'>): ResourceInfo {
  return { singular: over.kind.toLowerCase(), shortNames: [], namespaced: true, verbs: ['get', 'list'], categories: [], subresources: [], ...over };
}

// A two-version group to check version priority (GA before beta) and preferredVersion.
const TWO_VERSION_TABLE: ResourceTable = {
  groupOrder: ['', 'example.com'],
  resources: [
    res({ group: '', version: 'v1', kind: 'Pod', plural: 'pods' }),
    res({ group: 'example.com', version: 'v1beta1', kind: 'Widget', plural: 'widgets' }),
    res({ group: 'example.com', version: 'v1', kind: 'Widget', plural: 'widgets' }),
    res({ group: 'zzz.io', version: 'v1alpha1', kind: 'Gadget', plural: 'gadgets' }),
  ],
  lookup: () => undefined,
  byKind: () => undefined,
};

describe('discovery routes', () => {
  it('serves aggregated /apis with the exact v2 Content-Type and deployments/scale', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/apis?timeout=32s', headers: { accept: KUBECTL_DISCOVERY_ACCEPT } });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], V2_CONTENT_TYPE);
    const body = r.json() as APIGroupDiscoveryList;
    assert.equal(body.kind, 'APIGroupDiscoveryList');
    assert.equal(body.apiVersion, 'apidiscovery.k8s.io/v2');
    const apps = body.items.find((i) => i.metadata.name === 'apps');
    assert.ok(apps, 'apps group advertised');
    const v1 = apps.versions.find((v) => v.version === 'v1');
    assert.equal(v1?.freshness, 'Current');
    const deploy = v1?.resources?.find((x) => x.resource === 'deployments');
    assert.ok(deploy);
    assert.deepEqual(deploy.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(deploy.scope, 'Namespaced');
    assert.equal(deploy.singularResource, 'deployment');
    assert.deepEqual(deploy.shortNames, ['deploy']);
    assert.deepEqual(deploy.categories, ['all']);
    const scale = deploy.subresources?.find((s) => s.subresource === 'scale');
    assert.deepEqual(scale?.responseKind, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.deepEqual(scale?.verbs, ['get', 'patch', 'update']);
    assert.ok(!body.items.some((i) => i.metadata.name === undefined), 'core group stays out of /apis');
    assert.deepEqual(body.items.map((i) => i.metadata.name), loadResourceTable().groupOrder.filter((g) => g !== ''));
  });

  it('echoes v2beta1 when the client prefers it', async (t) => {
    const app = await build(t);
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
    const r = await app.inject({ method: 'GET', url: '/apis', headers: { accept } });
    assert.equal(r.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.equal((r.json() as APIGroupDiscoveryList).apiVersion, 'apidiscovery.k8s.io/v2beta1');
  });

  it('serves aggregated /api as one nameless item holding pods and pods/eviction', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/api', headers: { accept: KUBECTL_DISCOVERY_ACCEPT } });
    assert.equal(r.headers['content-type'], V2_CONTENT_TYPE);
    const body = r.json() as APIGroupDiscoveryList;
    assert.equal(body.items.length, 1);
    assert.deepEqual(body.items[0]!.metadata, { creationTimestamp: null });
    assert.ok(!('name' in body.items[0]!.metadata));
    const pods = body.items[0]!.versions[0]!.resources!.find((x) => x.resource === 'pods');
    assert.deepEqual(pods?.responseKind, { group: '', version: 'v1', kind: 'Pod' });
    const subs = new Map(pods?.subresources?.map((s) => [s.subresource, s.responseKind]));
    assert.deepEqual(subs.get('eviction'), { group: 'policy', version: 'v1', kind: 'Eviction' });
    assert.deepEqual(subs.get('log'), { group: '', version: 'v1', kind: 'Pod' });
    assert.deepEqual(subs.get('exec'), { group: '', version: 'v1', kind: 'PodExecOptions' });
  });

  it('answers 304 to a matching If-None-Match on aggregated discovery', async (t) => {
    const app = await build(t);
    const first = await app.inject({ method: 'GET', url: '/apis', headers: { accept: KUBECTL_DISCOVERY_ACCEPT } });
    const etag = first.headers['etag'];
    assert.match(String(etag), /^"[0-9A-F]{128}"$/);
    const again = await app.inject({ method: 'GET', url: '/apis', headers: { accept: KUBECTL_DISCOVERY_ACCEPT, 'if-none-match': String(etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  it('falls back to legacy APIVersions for a plain JSON client, with the Host as server address', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/api', headers: { accept: 'application/json', host: '127.0.0.1:6443' } });
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.json(), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  it('lists legacy /apis groups in groupOrder with preferredVersion', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/apis', headers: { accept: 'application/json, */*' } });
    assert.equal(r.headers['content-type'], 'application/json');
    const body = r.json() as { kind: string; groups: { name: string; versions: unknown[]; preferredVersion: unknown }[] };
    assert.equal(body.kind, 'APIGroupList');
    assert.deepEqual(body.groups.map((g) => g.name), loadResourceTable().groupOrder.filter((g) => g !== ''));
    const apps = body.groups.find((g) => g.name === 'apps');
    assert.deepEqual(apps?.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
    assert.deepEqual(apps?.versions, [{ groupVersion: 'apps/v1', version: 'v1' }]);
    const hpa = body.groups.find((g) => g.name === 'autoscaling');
    assert.deepEqual(hpa?.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
  });

  it('serves legacy /api/v1 with pods/eviction carrying group policy and version v1', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/api/v1?timeout=32s', headers: { accept: 'application/json, */*' } });
    assert.equal(r.statusCode, 200);
    const body = r.json() as APIResourceList;
    assert.equal(body.kind, 'APIResourceList');
    assert.equal(body.groupVersion, 'v1');
    const eviction = body.resources.find((x) => x.name === 'pods/eviction');
    assert.deepEqual(eviction, { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    const log = body.resources.find((x) => x.name === 'pods/log');
    assert.equal(log?.kind, 'Pod');
    assert.ok(!('group' in (log ?? {})), 'same-group subresources carry no group');
    const pods = body.resources.find((x) => x.name === 'pods');
    assert.equal(pods?.storageVersionHash, 'xPOwRZ+Yhw8=');
    const names = body.resources.map((x) => x.name);
    assert.deepEqual(names, [...names].sort(), 'entries sorted by name like the apiserver');
    assert.equal(body.resources.find((x) => x.name === 'bindings')?.storageVersionHash, undefined);
  });

  it('serves /apis/apps/v1 with shortNames, categories and verbs', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/apis/apps/v1' });
    const body = r.json() as APIResourceList;
    assert.equal(body.groupVersion, 'apps/v1');
    const deploy = body.resources.find((x) => x.name === 'deployments');
    assert.deepEqual(deploy, {
      name: 'deployments',
      singularName: 'deployment',
      namespaced: true,
      kind: 'Deployment',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['deploy'],
      categories: ['all'],
      storageVersionHash: '8aSe+NMegvE=',
    });
    const scale = body.resources.find((x) => x.name === 'deployments/scale');
    assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    assert.equal(body.resources.find((x) => x.name === 'controllerrevisions')?.shortNames, undefined);
  });

  it('serves /apis/apps as an APIGroup', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/apis/apps' });
    assert.deepEqual(r.json(), {
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'apps',
      versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
    });
  });

  it('answers 404 Status for unknown groups and versions', async (t) => {
    const app = await build(t);
    for (const url of ['/apis/nope.example.com', '/apis/nope.example.com/v1', '/apis/apps/v2', '/api/v2', '/apis/autoscaling/v1']) {
      const r = await app.inject({ method: 'GET', url });
      assert.equal(r.statusCode, 404, url);
      assert.deepEqual(r.json(), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the server could not find the requested resource',
        reason: 'NotFound',
        code: 404,
      });
    }
  });

  it('serves /version with the v1.35.2 build fields', async (t) => {
    const app = await build(t);
    const r = await app.inject({ method: 'GET', url: '/version?timeout=32s' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    const v = r.json() as Record<string, string>;
    assert.equal(v['major'], '1');
    assert.equal(v['minor'], '35');
    assert.equal(v['gitVersion'], 'v1.35.2');
    assert.equal(v['gitTreeState'], 'clean');
    assert.equal(v['compiler'], 'gc');
    assert.equal(v['platform'], 'linux/amd64');
    assert.match(v['gitCommit']!, /^[0-9a-f]{40}$/);
    assert.match(v['buildDate']!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(v['goVersion']!, /^go1\.\d+/);
    assert.ok(Number.isInteger(Number(v['major'])) && Number.isInteger(Number(v['minor'])));
  });

  it('serves health endpoints, verbose and per check', async (t) => {
    const app = await build(t);
    const plain = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(plain.body, 'ok');
    assert.equal(plain.headers['content-type'], 'text/plain; charset=utf-8');
    const verbose = await app.inject({ method: 'GET', url: '/livez?verbose' });
    assert.equal(verbose.body, '[+]ping ok\n[+]log ok\n[+]etcd ok\nlivez check passed\n');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz/etcd' })).body, 'ok');
    assert.equal((await app.inject({ method: 'GET', url: '/healthz/nope' })).statusCode, 404);
  });
});

describe('discovery builders', () => {
  it('orders versions GA first and prefers the GA version', () => {
    const list = legacyGroupList(TWO_VERSION_TABLE);
    assert.deepEqual(list.groups.map((g) => g.name), ['example.com', 'zzz.io']);
    assert.deepEqual(list.groups[0]!.versions.map((v) => v.version), ['v1', 'v1beta1']);
    assert.deepEqual(list.groups[0]!.preferredVersion, { groupVersion: 'example.com/v1', version: 'v1' });
    const agg = aggregatedDiscovery(TWO_VERSION_TABLE, { core: false });
    assert.deepEqual(agg.items[0]!.versions.map((v) => v.version), ['v1', 'v1beta1']);
  });

  it('returns undefined for an unserved group-version', () => {
    assert.equal(legacyResourceList(TWO_VERSION_TABLE, 'example.com', 'v2'), undefined);
    assert.equal(legacyResourceList(TWO_VERSION_TABLE, 'example.com', 'v1beta1')?.groupVersion, 'example.com/v1beta1');
  });

  it('negotiates the discovery format like the apiserver', () => {
    assert.equal(negotiateDiscoveryFormat(KUBECTL_DISCOVERY_ACCEPT), 'v2');
    assert.equal(negotiateDiscoveryFormat('application/json'), 'legacy');
    assert.equal(negotiateDiscoveryFormat(undefined), 'legacy');
    assert.equal(negotiateDiscoveryFormat('application/json, ' + V2_CONTENT_TYPE), 'legacy');
    assert.equal(negotiateDiscoveryFormat('application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,' + V2_CONTENT_TYPE), 'v2');
    assert.equal(negotiateDiscoveryFormat('application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList'), 'legacy');
    assert.equal(negotiateDiscoveryFormat('application/json;q=0.5,' + V2_CONTENT_TYPE), 'v2');
  });

  it('reports excluded and unknown checks in verbose health output', () => {
    assert.equal(
      healthBody('healthz', { verbose: '', exclude: ['etcd', 'bogus'] }),
      '[+]ping ok\n[+]log ok\n[+]etcd excluded: ok\nwarn: some health checks cannot be excluded: no matches for "bogus"\nhealthz check passed\n',
    );
    assert.equal(healthBody('readyz', {}), 'ok');
  });
});
