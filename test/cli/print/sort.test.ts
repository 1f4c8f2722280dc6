/** `--sort-by` ordering and custom-columns cells on hand-made objects. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goValue, parseCustomColumns, printCustomColumns, relaxedJsonPath } from '../../../cli/print/custom-columns.js';
import { sortBy } from '../../../cli/print/sort.js';

const pod = (name: string, ip?: string, restarts?: number) => ({ metadata: { name }, status: { ...(ip ? { podIP: ip } : {}), restarts } });

test('strings sort bytewise, numbers numerically, missing fields first', () => {
  const pods = [pod('a', '10.0.0.8', 10), pod('b', '10.0.0.32', 9), pod('c', undefined, 2)];
  assert.deepEqual(sortBy(pods, '.status.podIP', (p) => p)!.map((p) => p.metadata.name), ['c', 'b', 'a']);
  assert.deepEqual(sortBy(pods, '.status.podIP', (p) => p, true)!.map((p) => p.metadata.name), ['c', 'b', 'a']);
  assert.deepEqual(sortBy(pods, '{.status.restarts}', (p) => p)!.map((p) => p.metadata.name), ['c', 'b', 'a']);
  assert.throws(() => sortBy(pods, '.status', (p) => p), /unsortable type/);
});

test('a null sorts first and two quantities by amount, as the real kubectl 1.35.2 orders them', () => {
  // An events.k8s.io Event has `lastTimestamp: null`.
  const events = [{ n: 'late', t: '2026-01-01T00:00:09Z' }, { n: 'scheduled', t: null }, { n: 'early', t: '2026-01-01T00:00:01Z' }];
  assert.deepEqual(sortBy(events, '.t', (e) => e)!.map((e) => e.n), ['scheduled', 'early', 'late']);
  // `kubectl get cm --sort-by=.data.v` with 1Gi, 512Mi, web and 2: quantities by amount, then bytewise.
  const cms = [{ v: '1Gi' }, { v: '512Mi' }, { v: 'web' }, { v: '2' }];
  assert.deepEqual(sortBy(cms, '.v', (c) => c)!.map((c) => c.v), ['2', '512Mi', '1Gi', 'web']);
});

test('a field no item has: an error for a list, no rows for a table', () => {
  const pods = [pod('a', '10.0.0.8'), pod('b')];
  assert.throws(() => sortBy(pods, '.spec.foo', (p) => p), { message: 'couldn\'t find any field with path "{.spec.foo}" in the list of objects' });
  assert.equal(sortBy(pods, 'spec.foo', (p) => p, true), undefined);
  assert.deepEqual(sortBy([], '.spec.foo', (p) => p), []);
});

test('custom columns: escaped dots, Go value formatting, <none>', async () => {
  assert.equal(relaxedJsonPath(String.raw`.metadata.annotations.deployment\.kubernetes\.io/revision`), ".metadata.annotations['deployment.kubernetes.io/revision']");
  assert.equal(goValue({ b: [1, 'x'], a: true }), 'map[a:true b:[1 x]]');
  const columns = await parseCustomColumns('NAME:.metadata.name,IP:{.status.podIP}');
  assert.equal(printCustomColumns(columns, [pod('web', '10.0.0.1'), pod('solo')], false), 'NAME   IP\nweb    10.0.0.1\nsolo   <none>\n');
  await assert.rejects(parseCustomColumns('NAME'), /unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>/);
  await assert.rejects(parseCustomColumns(''), /custom-columns format specified but no custom columns given/);
});
