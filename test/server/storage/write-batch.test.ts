import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store } from '../../../server/storage/store.js';
import { packedTransfers, unpackBatch, WriteBatch } from '../../../server/storage/write-batch.js';

const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });
const ref = (name: string) => ({ resource: 'configmaps', namespace: 'default', name });

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-batch-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a burst of writes logs every revision and stores the newest state', async (t) => {
  const path = join(tempDir(t), 'state.db');
  const store = new Store(path);
  store.create(ref('a'), cm('a', '0'));
  for (let i = 1; i <= 5; i++) store.update(ref('a'), cm('a', String(i)));
  // Let the burst end: the batch commits on its own once a tick passes without writes.
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(store.eventsSince('configmaps', 0).map((e) => [e.type, e.object.data]), [
    ['ADDED', { v: '0' }], ['MODIFIED', { v: '1' }], ['MODIFIED', { v: '2' }], ['MODIFIED', { v: '3' }], ['MODIFIED', { v: '4' }], ['MODIFIED', { v: '5' }],
  ]);
  const rev = store.revision;
  store.close();
  const reopened = new Store(path);
  t.after(() => reopened.close());
  assert.equal(reopened.revision, rev);
  assert.deepEqual(reopened.get(ref('a'))?.object.data, { v: '5' });
});

test('a key deleted and created again in one batch comes back with its new create revision', (t) => {
  const path = join(tempDir(t), 'state.db');
  const store = new Store(path);
  store.create(ref('a'), cm('a', 'old'));
  store.flush();
  store.delete(ref('a'));
  const again = store.create(ref('a'), cm('a', 'new'));
  store.create(ref('gone'), cm('gone', 'x'));
  store.delete(ref('gone'));
  store.close();
  const reopened = new Store(path);
  t.after(() => reopened.close());
  const a = reopened.get(ref('a'));
  assert.equal(a?.createRevision, again.createRevision);
  assert.deepEqual(a?.object.data, { v: 'new' });
  assert.equal(reopened.get(ref('gone')), undefined);
  assert.deepEqual(reopened.eventsSince('configmaps', 0).map((e) => e.type), ['ADDED', 'DELETED', 'ADDED', 'ADDED', 'DELETED']);
});

test('a packed batch carries each value once in one buffer and unpacks to the same rows', () => {
  const a = Buffer.from('{"a":1}');
  const b = Buffer.from('{"b":22}');
  const c = Buffer.from('{"c":333}');
  const batch = new WriteBatch(() => {});
  const refOf = (name: string) => ({ resource: 'x', namespace: name === 'a' ? '' : 'ns', name });
  // A heartbeat row replaced in the batch, a row whose key's state a later row replaces, a
  // deleted key, and a key whose state has bytes of its own (not its row's).
  batch.add({ revision: 9, key: '/registry/x/ns/b', resource: 'x', type: 'MODIFIED', raw: c }, { ref: refOf('b'), createRevision: 5, modRevision: 9, raw: c });
  batch.dropRow(9);
  batch.dropRow(3);
  batch.add({ revision: 10, key: '/registry/x/a', resource: 'x', type: 'ADDED', raw: a }, { ref: refOf('a'), createRevision: 10, modRevision: 10, raw: a });
  batch.add({ revision: 11, key: '/registry/x/ns/b', resource: 'x', type: 'MODIFIED', raw: b }, { ref: refOf('b'), createRevision: 5, modRevision: 11, raw: b });
  batch.add({ revision: 12, key: '/registry/x/ns/c', resource: 'x', type: 'DELETED', raw: a }, { ref: refOf('c'), createRevision: 4, modRevision: 12 });
  batch.add({ revision: 13, key: '/registry/x/ns/d', resource: 'x', type: 'ADDED', raw: b }, { ref: refOf('d'), createRevision: 13, modRevision: 13, raw: Buffer.from(b) });
  const packed = batch.pack();
  assert.ok(batch.empty);
  assert.equal(packed.values.byteLength, a.length + b.length + a.length + b.length + b.length);
  const text = (v: Uint8Array | null) => (v ? Buffer.from(v).toString('utf8') : null);
  const back = unpackBatch(structuredClone(packed, { transfer: packedTransfers(packed) }));
  assert.equal(packed.values.byteLength, 0, 'transferred, not copied');
  assert.deepEqual(back.dropped, [3]);
  assert.deepEqual(back.rows.map((r) => [...r.slice(0, 4), text(r[4])]), [
    [10, '/registry/x/a', 'x', 'ADDED', '{"a":1}'],
    [11, '/registry/x/ns/b', 'x', 'MODIFIED', '{"b":22}'],
    [12, '/registry/x/ns/c', 'x', 'DELETED', '{"a":1}'],
    [13, '/registry/x/ns/d', 'x', 'ADDED', '{"b":22}'],
  ]);
  assert.deepEqual(back.dirty.map((r) => [...r.slice(0, 6), text(r[6])]), [
    ['/registry/x/ns/b', 'x', 'ns', 'b', 5, 11, '{"b":22}'],
    ['/registry/x/a', 'x', '', 'a', 10, 10, '{"a":1}'],
    ['/registry/x/ns/c', 'x', 'ns', 'c', 4, 12, null],
    ['/registry/x/ns/d', 'x', 'ns', 'd', 13, 13, '{"b":22}'],
  ]);
});
