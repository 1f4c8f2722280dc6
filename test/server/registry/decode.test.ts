import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadResourceTable } from '../../../schemas/index.js';
import { StatusError } from '../../../server/api/errors.js';
import { decodeBody } from '../../../server/registry/decode.js';

const configMaps = loadResourceTable().resources.find((r) => r.plural === 'configmaps' && r.group === '')!;
const wire = { dryRun: false, fieldValidation: 'Strict' as const };

function body(extra: object): object {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' }, ...extra };
}

test('a body from the wire is type-checked and strict about unknown fields', () => {
  assert.throws(() => decodeBody(configMaps, body({ data: 'x' }), wire), (e: unknown) => e instanceof StatusError && e.code === 400 && /cannot unmarshal string into Go struct field ConfigMap.data/.test(e.message));
  assert.throws(() => decodeBody(configMaps, body({ bogus: 1 }), wire), (e: unknown) => e instanceof StatusError && e.code === 400 && /unknown field "bogus"/.test(e.message));
  assert.deepEqual(decodeBody(configMaps, body({ bogus: 1 }), { ...wire, fieldValidation: 'Warn' }).warnings, ['unknown field "bogus"']);
});

test('a typed body from an in-process component skips the schema walk but not the endpoint checks', () => {
  const { obj, warnings } = decodeBody(configMaps, body({ bogus: 1 }), { ...wire, typed: true });
  assert.deepEqual(warnings, []);
  assert.equal((obj as { bogus?: number }).bogus, 1);
  assert.throws(() => decodeBody(configMaps, { ...body({}), kind: 'Secret' }, { ...wire, typed: true }), /the kind in the data \(Secret\) does not match the expected kind \(ConfigMap\)/);
});
