import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compiledDecoders, decodeError, precompileDecoders } from '../../../server/validation/schema.js';

const turns = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

// One process per test file: the decoders compiled here are this file's alone.
test('precompileDecoders compiles one kind per turn, skips unknown kinds, and stops when told', async () => {
  const before = compiledDecoders();
  const stop = precompileDecoders(['/v1/Pod', 'example.com/v1/Widget', 'apps/v1/Deployment', '/v1/ConfigMap']);
  assert.equal(compiledDecoders(), before, 'nothing is compiled before the event loop turns');
  await turns(1);
  assert.equal(compiledDecoders(), before + 1);
  await turns(1);
  stop();
  await turns(5);
  assert.equal(compiledDecoders(), before + 2, 'the ConfigMap was left when stopped');
  // A body of a precompiled kind is decided without compiling anything.
  assert.equal(decodeError('', 'v1', 'Pod', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }), undefined);
  assert.match(decodeError('apps', 'v1', 'Deployment', { spec: { replicas: 'three' } }) ?? '', /cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32/);
  assert.equal(compiledDecoders(), before + 2);
});
