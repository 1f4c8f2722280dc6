/** `--sort-by` ordering and custom-columns cells on hand-made objects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goValue, parseCustomColumns, printCustomColumns, relaxedJsonPath } from '../../../cli/print/custom-columns.js';
import { sortBy } from '../../../cli/print/sort.js';

const pod = (name: string, ip?: string, restarts?: number) => ({ metadata: { name }, status: { ...(ip ? { podIP: ip } : {}), restarts } });

test('strings sort bytewise, numbers numerically, missing fields first', () => {
  const pods = [pod('a', '10.0.0.8', 10), pod('b', '10.0.0.32', 9), pod('c', undefined, 2)];
  assert.deepEqual(sortBy(pods, '.status.podIP', (p) => p)!.map((p) => p.metadata.name), ['c', 'b', 'a']);
  assert.deepEqual(sortBy(pods, '{.status.restarts}', (p) => p)!.map((p) => p.metadata.name), ['c', 'b', 'a']);
  assert.equal(sortBy(pods, '.status.podIP', (p) => p, true), undefined);
  assert.throws(() => sortBy(pods, '.status', (p) => p), /unsortable type/);
});

test('custom columns: escaped dots, Go value formatting, <none>', async () => {
  assert.equal(relaxedJsonPath(String.raw`.metadata.annotations.deployment\.kubernetes\.io/revision`), ".metadata.annotations['deployment.kubernetes.io/revision']");
  assert.equal(goValue({ b: [1, 'x'], a: true }), 'map[a:true b:[1 x]]');
  const columns = await parseCustomColumns('NAME:.metadata.name,IP:{.status.podIP}');
  assert.equal(printCustomColumns(columns, [pod('web', '10.0.0.1'), pod('solo')], false), 'NAME   IP\nweb    10.0.0.1\nsolo   <none>\n');
  await assert.rejects(parseCustomColumns('NAME'), /unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>/);
  await assert.rejects(parseCustomColumns(''), /custom-columns format specified but no custom columns given/);
});
