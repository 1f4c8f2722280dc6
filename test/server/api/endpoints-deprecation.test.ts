import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../support/app.js';

const WARNING = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';

test('every request on v1 Endpoints carries the deprecation warning, and only those', async (t) => {
  const { app } = await buildTestApp(t);
  const create = await app.inject({ method: 'POST', url: '/api/v1/namespaces/default/endpoints', payload: { metadata: { name: 'x' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] } });
  assert.equal(create.statusCode, 201);
  assert.deepEqual([create.headers.warning].flat(), [WARNING]);
  const list = await app.inject({ url: '/api/v1/namespaces/default/endpoints' });
  assert.equal(list.statusCode, 200);
  assert.deepEqual([list.headers.warning].flat(), [WARNING]);
  const missing = await app.inject({ url: '/api/v1/namespaces/default/endpoints/nope' });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual([missing.headers.warning].flat(), [WARNING]);
  const slices = await app.inject({ url: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices' });
  assert.equal(slices.headers.warning, undefined);
});
