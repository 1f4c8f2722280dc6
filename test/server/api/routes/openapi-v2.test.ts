import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { loadResourceTable } from '../../../../schemas/index.js';
import { openapiV2Type } from '../../../../schemas/proto/openapi-v2.js';
import { OPENAPI_V2_PROTOBUF, openapiV2Routes, toSwaggerSchema } from '../../../../server/api/routes/openapi-v2.js';

// What kubectl v1.35.2 sends (client-go discovery.OpenAPISchema).
const KUBECTL_ACCEPT = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type Msg = Record<string, any>;

async function build(t: TestContext): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(openapiV2Routes);
  await app.ready();
  t.after(() => app.close());
  return app;
}

async function servedDocument(app: FastifyInstance): Promise<Msg> {
  const res = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: KUBECTL_ACCEPT } });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], OPENAPI_V2_PROTOBUF);
  const type = openapiV2Type('Document');
  return type.toObject(type.decode(res.rawPayload)) as Msg;
}

const definition = (doc: Msg, name: string): Msg => doc.definitions.additionalProperties.find((d: Msg) => d.name === name)?.value;
const property = (schema: Msg, name: string): Msg => schema.properties.additionalProperties.find((p: Msg) => p.name === name)?.value;
const extension = (schema: Msg, name: string): unknown => {
  const e = (schema.vendorExtension ?? []).find((x: Msg) => x.name === name);
  return e ? parse(e.value.yaml) : undefined;
};

describe('/openapi/v2 protobuf', () => {
  it('decodes as a swagger 2.0 gnostic Document with the definitions kubectl validates against', async (t) => {
    const doc = await servedDocument(await build(t));
    assert.equal(doc.swagger, '2.0');
    assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.35.2' });
    const names = doc.definitions.additionalProperties.map((d: Msg) => d.name);
    assert.deepEqual(names, [...names].sort(), 'definitions sorted by name');

    const deploy = definition(doc, 'io.k8s.api.apps.v1.Deployment');
    assert.deepEqual(deploy.type.value, ['object']);
    assert.deepEqual(extension(deploy, 'x-kubernetes-group-version-kind'), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.equal(property(deploy, 'spec').ref, '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');

    const spec = definition(doc, 'io.k8s.api.apps.v1.DeploymentSpec');
    assert.deepEqual(property(spec, 'replicas').type.value, ['integer']);
    assert.equal(property(spec, 'replicas').format, 'int32');
    assert.ok(spec.required.includes('selector'));

    const podSpec = definition(doc, 'io.k8s.api.core.v1.PodSpec');
    const containers = property(podSpec, 'containers');
    assert.deepEqual(containers.type.value, ['array']);
    assert.equal(containers.items.schema.length, 1, 'kube-openapi needs exactly one items schema');
    assert.equal(containers.items.schema[0].ref, '#/definitions/io.k8s.api.core.v1.Container');
    const nodeSelector = property(podSpec, 'nodeSelector');
    assert.deepEqual(nodeSelector.additionalProperties.schema.type.value, ['string']);

    // The core group is written as an empty string, as the apiserver's YAML does.
    assert.deepEqual(extension(definition(doc, 'io.k8s.api.core.v1.ConfigMap'), 'x-kubernetes-group-version-kind'), [{ group: '', kind: 'ConfigMap', version: 'v1' }]);
    const intOrString = definition(doc, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.deepEqual([intOrString.type.value, intOrString.format], [['string'], 'int-or-string']);
    assert.deepEqual(definition(doc, 'io.k8s.apimachinery.pkg.api.resource.Quantity').type.value, ['string']);
  });

  it('gives every served kind a definition tagged with its group-version-kind', async (t) => {
    const doc = await servedDocument(await build(t));
    const tagged = new Set<string>();
    for (const d of doc.definitions.additionalProperties) {
      for (const g of (extension(d.value, 'x-kubernetes-group-version-kind') ?? []) as Msg[]) tagged.add(`${g.group}/${g.version}/${g.kind}`);
    }
    // metrics.k8s.io is an aggregated API: the apiserver's own document has no models for it either.
    const missing = loadResourceTable().resources.filter((r) => r.group !== 'metrics.k8s.io' && !tagged.has(`${r.group}/${r.version}/${r.kind}`));
    assert.deepEqual(missing.map((r) => r.kind), []);
  });

  it('publishes no x-kubedojo keys and resolves every $ref', async (t) => {
    const res = await (await build(t)).inject({ method: 'GET', url: '/openapi/v2', headers: { accept: 'application/json' } });
    assert.equal(res.headers['content-type'], 'application/json');
    assert.doesNotMatch(res.body, /x-kubedojo-/);
    const defs = JSON.parse(res.body).definitions as Record<string, unknown>;
    for (const [, ref] of res.body.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(defs[ref!], ref);
  });

  it('answers a matching If-None-Match with 304, per encoding', async (t) => {
    const app = await build(t);
    const proto = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: KUBECTL_ACCEPT } });
    const json = await app.inject({ method: 'GET', url: '/openapi/v2' });
    assert.match(String(proto.headers.etag), /^"[0-9A-F]{128}"$/);
    assert.notEqual(proto.headers.etag, json.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: KUBECTL_ACCEPT, 'if-none-match': String(proto.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
  });
});

describe('toSwaggerSchema', () => {
  it('keeps property names that look like keywords', () => {
    const out = toSwaggerSchema({ type: 'object', properties: { anyOf: { type: 'array', items: { type: 'string' } } }, 'x-kubedojo-go-type': 'X' });
    assert.deepEqual(out, { type: 'object', properties: { anyOf: { type: 'array', items: { type: 'string' } } } });
  });
});
