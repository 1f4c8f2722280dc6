import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, json } from '../../support/app.js';

const CMS = '/api/v1/namespaces/default/configmaps';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
const THREE_MIB = 3 * 1024 * 1024;

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  body?: string;
  type?: string;
  code: number;
  reason: string;
  message?: string | RegExp;
}

const big = JSON.stringify({ metadata: { name: 'big' }, data: { blob: 'x'.repeat(THREE_MIB) } });
const validDeploy = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };

const cases: Case[] = [
  { name: 'malformed JSON on create', method: 'POST', url: CMS, body: '{"metadata": {', code: 400, reason: 'BadRequest', message: /^couldn't get version\/kind; json parse error: / },
  { name: 'malformed JSON on update', method: 'PUT', url: `${CMS}/seed`, body: 'not json', code: 400, reason: 'BadRequest' },
  { name: 'malformed JSON on merge patch', method: 'PATCH', url: `${CMS}/seed`, body: '{"data":', type: 'application/merge-patch+json', code: 400, reason: 'BadRequest' },
  { name: 'malformed YAML on create', method: 'POST', url: CMS, body: 'metadata: [unclosed', type: 'application/yaml', code: 400, reason: 'BadRequest', message: /^error converting YAML to JSON/ },
  { name: 'malformed delete options', method: 'DELETE', url: `${CMS}/seed`, body: '{{', code: 400, reason: 'BadRequest' },
  { name: 'oversized create', method: 'POST', url: CMS, body: big, code: 413, reason: 'RequestEntityTooLarge', message: `Request entity too large: limit is ${THREE_MIB}` },
  { name: 'oversized update', method: 'PUT', url: `${CMS}/seed`, body: big, code: 413, reason: 'RequestEntityTooLarge' },
  { name: 'oversized patch', method: 'PATCH', url: `${CMS}/seed`, body: big, type: 'application/merge-patch+json', code: 413, reason: 'RequestEntityTooLarge' },
  { name: 'wrong apiVersion', method: 'POST', url: CMS, body: JSON.stringify({ apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest', message: 'the API version in the data (apps/v1) does not match the expected API version (v1)' },
  { name: 'wrong kind', method: 'POST', url: CMS, body: JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } }), code: 400, reason: 'BadRequest', message: 'the kind in the data (Secret) does not match the expected kind (ConfigMap)' },
  { name: 'body that is not an object', method: 'POST', url: CMS, body: '[1,2]', code: 400, reason: 'BadRequest' },
  { name: 'wrong value type', method: 'POST', url: DEPLOYS, body: JSON.stringify({ ...validDeploy, spec: { ...validDeploy.spec, replicas: 'three' } }), code: 400, reason: 'BadRequest', message: /cannot be handled as a Deployment/ },
  { name: 'unknown field with Strict', method: 'POST', url: `${DEPLOYS}?fieldValidation=Strict`, body: JSON.stringify({ ...validDeploy, spec: { ...validDeploy.spec, bogus: 1 } }), code: 400, reason: 'BadRequest', message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.bogus"' },
  { name: 'invalid name', method: 'POST', url: CMS, body: JSON.stringify({ metadata: { name: 'Bad_Name' } }), code: 422, reason: 'Invalid', message: /^ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/ },
  { name: 'missing name', method: 'POST', url: CMS, body: JSON.stringify({ metadata: {} }), code: 422, reason: 'Invalid', message: /metadata.name: Required value: name or generateName is required/ },
  { name: 'invalid object', method: 'POST', url: DEPLOYS, body: JSON.stringify({ ...validDeploy, spec: { ...validDeploy.spec, replicas: -1 } }), code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0' },
  { name: 'unknown resource', method: 'POST', url: '/api/v1/namespaces/default/widgets', body: '{}', code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' },
  { name: 'unknown group', method: 'GET', url: '/apis/nope.example.com/v1/things', code: 404, reason: 'NotFound' },
  { name: 'unknown subresource', method: 'GET', url: `${CMS}/seed/nope`, code: 404, reason: 'NotFound' },
  { name: 'undecodable protobuf', method: 'POST', url: CMS, body: 'k8s\u0000\u0001garbage', type: 'application/vnd.kubernetes.protobuf', code: 400, reason: 'BadRequest', message: /^the body of the request could not be decoded as protobuf: / },
  { name: 'protobuf without the magic', method: 'POST', url: CMS, body: 'hello', type: 'application/vnd.kubernetes.protobuf', code: 400, reason: 'BadRequest' },
  { name: 'unsupported media type', method: 'POST', url: CMS, body: 'hello', type: 'text/plain', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'unsupported patch type', method: 'PATCH', url: `${CMS}/seed`, body: '{}', type: 'application/x-unknown-patch', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'bad label selector', method: 'GET', url: `${CMS}?labelSelector=a%20in%20(b`, code: 400, reason: 'BadRequest' },
  { name: 'bad limit', method: 'GET', url: `${CMS}?limit=ten`, code: 400, reason: 'BadRequest' },
  { name: 'bad continue token', method: 'GET', url: `${CMS}?limit=1&continue=%%%`, code: 400, reason: 'BadRequest' },
  { name: 'bad dryRun', method: 'POST', url: `${CMS}?dryRun=Yes`, body: JSON.stringify({ metadata: { name: 'x' } }), code: 400, reason: 'BadRequest', message: 'Invalid dryRun value: "Yes": supported values: "All"' },
  { name: 'bad fieldValidation', method: 'POST', url: `${CMS}?fieldValidation=Loose`, body: JSON.stringify({ metadata: { name: 'x' } }), code: 400, reason: 'BadRequest' },
  { name: 'bad propagationPolicy', method: 'DELETE', url: `${CMS}/seed`, body: JSON.stringify({ propagationPolicy: 'Sideways' }), code: 400, reason: 'BadRequest' },
  { name: 'name mismatch on update', method: 'PUT', url: `${CMS}/seed`, body: JSON.stringify({ metadata: { name: 'other' } }), code: 400, reason: 'BadRequest', message: 'the name of the object (other) does not match the name on the URL (seed)' },
  { name: 'namespace mismatch on create', method: 'POST', url: CMS, body: JSON.stringify({ metadata: { name: 'x', namespace: 'kube-system' } }), code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' },
  { name: 'update of a missing object', method: 'PUT', url: `${CMS}/ghost`, body: JSON.stringify({ metadata: { name: 'ghost' } }), code: 404, reason: 'NotFound', message: 'configmaps "ghost" not found' },
  { name: 'patch of a missing object', method: 'PATCH', url: `${CMS}/ghost`, body: '{}', type: 'application/merge-patch+json', code: 404, reason: 'NotFound' },
  { name: 'delete of a missing object', method: 'DELETE', url: `${CMS}/ghost`, code: 404, reason: 'NotFound' },
  { name: 'PUT on a collection', method: 'PUT', url: CMS, body: '{}', code: 405, reason: 'MethodNotAllowed' },
  { name: 'POST on an object', method: 'POST', url: `${CMS}/seed`, body: '{}', code: 405, reason: 'MethodNotAllowed' },
  { name: 'watch with a bad resourceVersion', method: 'GET', url: `${CMS}?watch=true&resourceVersion=abc`, code: 422, reason: 'Invalid' },
  { name: 'watch-list without bookmarks', method: 'GET', url: `${CMS}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan`, code: 422, reason: 'Invalid' },
];

test('bad input gets a Status answer and leaves storage untouched', async (t) => {
  const { app } = await buildTestApp(t);
  const seeded = await app.inject({ method: 'POST', url: CMS, payload: { metadata: { name: 'seed' }, data: { k: 'v' } } });
  assert.equal(seeded.statusCode, 201);
  const revision = async (): Promise<string> => json(await app.inject({ url: '/api/v1/namespaces' })).metadata.resourceVersion;
  const before = await revision();
  for (const c of cases) {
    const headers: Record<string, string> = c.body !== undefined ? { 'content-type': c.type ?? 'application/json' } : {};
    const res = await app.inject({ method: c.method, url: c.url, headers, ...(c.body !== undefined ? { payload: c.body } : {}) });
    assert.equal(res.statusCode, c.code, `${c.name}: ${res.body.slice(0, 300)}`);
    const status = json(res);
    assert.equal(status.kind, 'Status', c.name);
    assert.equal(status.status, 'Failure', c.name);
    assert.equal(status.code, c.code, c.name);
    assert.equal(status.reason, c.reason, c.name);
    if (typeof c.message === 'string') assert.equal(status.message, c.message, c.name);
    else if (c.message) assert.match(status.message, c.message, c.name);
  }
  assert.equal(await revision(), before, 'no bad request may write');
  assert.deepEqual(json(await app.inject({ url: `${CMS}/seed` })).data, { k: 'v' });
});

test('unknown fields are dropped with Ignore and reported as warnings with Warn', async (t) => {
  const { app } = await buildTestApp(t);
  const warn = await app.inject({ method: 'POST', url: `${CMS}?fieldValidation=Warn`, payload: { metadata: { name: 'w' }, data: { a: 'b' }, bogus: true } });
  assert.equal(warn.statusCode, 201);
  assert.deepEqual([warn.headers.warning].flat(), ['299 - "unknown field \\"bogus\\""']);
  assert.equal(json(warn).bogus, undefined);
  const ignore = await app.inject({ method: 'POST', url: `${CMS}?fieldValidation=Ignore`, payload: { metadata: { name: 'i' }, bogus: true } });
  assert.equal(ignore.statusCode, 201);
  assert.equal(ignore.headers.warning, undefined);
  assert.equal(json(ignore).bogus, undefined);
});
