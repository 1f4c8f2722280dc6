import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileJsonPath } from '../../../cli/print/jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'x' } }, spec: { replicas: 2 }, status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'b' }, spec: { replicas: 0 }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};
const run = (template: string) => compileJsonPath(template)(list);

test('fields, wildcards, indexes and slices; several results joined by spaces', () => {
  assert.equal(run('{.items[*].metadata.name}'), 'a b');
  assert.equal(run('{.items[-1].metadata.name}/{.items[0:1].metadata.name}'), 'b/a');
  assert.equal(run("{.items[0].metadata['name']}"), 'a');
  assert.equal(run('{..replicas}'), '2 0');
});

test('range blocks, literals and filters', () => {
  assert.equal(run('{range .items[*]}{.metadata.name}={.spec.replicas}{"\\n"}{end}'), 'a=2\nb=0\n');
  assert.equal(run('{.items[?(@.status.conditions[0].status=="True")].metadata.name}'), 'a');
  assert.equal(run('{.items[?(@.spec.replicas>1)].metadata.name}'), 'a');
  assert.equal(run('{.items[?(@.metadata.labels)].metadata.name}'), 'a');
});

test('maps and lists print as compact JSON with sorted keys; missing keys print nothing', () => {
  assert.equal(run('{.items[0].status.conditions[0]}'), '{"status":"True","type":"Ready"}');
  assert.equal(run('[{.nothing}]'), '[]');
});

test('syntax errors carry kubectl’s prefix', () => {
  assert.throws(() => compileJsonPath('{.a'), { message: 'error parsing jsonpath {.a, unclosed action' });
  assert.throws(() => compileJsonPath('{.a[}'), { message: 'error parsing jsonpath {.a[}, unterminated array' });
});
