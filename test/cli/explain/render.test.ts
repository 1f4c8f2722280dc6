import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typeName, wrap } from '../../../cli/explain/render.js';

test('wrap breaks greedily at whitespace and keeps words longer than the line whole', () => {
  assert.equal(wrap('aaa bbb ccc', 7), 'aaa bbb\nccc');
  assert.equal(wrap('More info: https://example.com/a/very/long/path', 12), 'More info:\nhttps://example.com/a/very/long/path');
  // Existing newlines and blank lines stay; a tab counts as one column.
  assert.equal(wrap('one two\n\n\tthree four', 9), 'one two\n\n\tthree\nfour');
  assert.equal(wrap('a  b', 10), 'a  b');
});

test('type names follow refs, arrays and maps like kubectl explain', () => {
  const components = {
    'io.k8s.api.core.v1.Container': { type: 'object', properties: { name: { type: 'string' } } },
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { description: 'Quantity' },
  };
  const ref = (name: string) => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });
  assert.equal(typeName({ type: 'array', items: ref('io.k8s.api.core.v1.Container') }, components), '[]Container');
  assert.equal(typeName(ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), components), 'string');
  assert.equal(typeName({ type: 'object', additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity') }, components), 'map[string]Quantity');
  assert.equal(typeName({ type: 'object', additionalProperties: { type: 'string' } }, components), 'map[string]string');
  assert.equal(typeName({ type: 'object' }, components), 'Object');
});
