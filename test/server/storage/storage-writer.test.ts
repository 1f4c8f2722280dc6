import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { CompactedError } from '../../../server/storage/errors.js';
import { DDL } from '../../../server/storage/schema.js';
import { Store } from '../../../server/storage/store.js';
import { DONE } from '../../../server/storage/storage-writer.js';
import { packedTransfers, WriteBatch } from '../../../server/storage/write-batch.js';

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const ref = (name: string) => ({ resource: 'configmaps', namespace: 'default', name });

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-writer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

test('with the writer thread, every write is in SQLite for the log readers and after a reopen', async (t) => {
  const path = tempDir(t);
  const store = new Store(path, { writerThread: true });
  const start = store.revision;
  store.create(ref('a'), cm('a'));
  store.update(ref('a'), cm('a', { k: '1' }));
  // A burst ends and its batch goes to the writer on its own.
  await new Promise((r) => setImmediate(r));
  store.create(ref('b'), cm('b'));
  const lease = { resource: 'leases', namespace: 'default', name: 'node01' };
  store.create(lease, cm('node01'));
  // The second beat's row replaces the first one, which the writer has committed by now.
  store.update(lease, cm('node01', { beat: '1' }), undefined, { heartbeat: true });
  store.flush();
  store.update(lease, cm('node01', { beat: '2' }), undefined, { heartbeat: true });
  assert.deepEqual(store.eventsSince('configmaps', start).map((e) => [e.type, e.object.metadata.name, e.object.data]), [
    ['ADDED', 'a', {}],
    ['MODIFIED', 'a', { k: '1' }],
    ['ADDED', 'b', {}],
  ]);
  assert.deepEqual(store.eventsSince('leases', start).map((e) => [e.type, e.object.data]), [['ADDED', {}], ['MODIFIED', { beat: '2' }]]);
  assert.equal(store.logRows(), 5);
  store.delete(ref('b'));
  store.compact(start + 2);
  assert.deepEqual(store.eventsSince('configmaps', start + 2).map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'b'], ['DELETED', 'b']]);
  const revision = store.revision;
  store.close();

  const reopened = new Store(path, { writerThread: true });
  assert.equal(reopened.revision, revision);
  assert.equal(reopened.compactRevision, start + 2);
  assert.deepEqual(reopened.list('configmaps').map((o) => [o.object.metadata.name, o.object.data]), [['a', { k: '1' }]]);
  reopened.reset();
  assert.equal(reopened.logRows(), 0);
  assert.deepEqual(reopened.list('configmaps'), []);
  reopened.close();
});

test('with the writer thread, compaction runs there: the revision moves once it is done, and old watches are refused', (t) => {
  const path = tempDir(t);
  const store = new Store(path, { writerThread: true });
  const start = store.revision;
  for (let i = 0; i < 10; i++) store.create(ref(`c${i}`), cm(`c${i}`));
  store.compactRetaining(4);
  // logRows waits for the writer, so the compaction is done when it answers.
  assert.equal(store.logRows(), 4);
  assert.equal(store.compactRevision, start + 6);
  assert.throws(() => store.eventsSince('configmaps', start + 5), CompactedError);
  assert.deepEqual(store.eventsSince('configmaps', start + 6).map((e) => e.object.metadata.name), ['c6', 'c7', 'c8', 'c9']);
  store.close();
  const reopened = new Store(path);
  assert.equal(reopened.compactRevision, start + 6);
  reopened.close();
});

test('with the writer thread, an Event drops its bytes once the writer has committed them', (t) => {
  const store = new Store(tempDir(t), { writerThread: true });
  t.after(() => store.close());
  const evRef = (name: string) => ({ resource: 'events', namespace: 'default', name });
  store.create(evRef('a'), { apiVersion: 'v1', kind: 'Event', metadata: { name: 'a', namespace: 'default' }, message: 'hello' });
  store.flush();
  const held = store.get(evRef('a')) as unknown as { bytes?: Buffer; object: { message: string } };
  assert.ok(held.bytes, 'not committed when posted');
  store.logRows(); // waits for the writer
  // The next flush sees the commit.
  store.create(evRef('b'), { apiVersion: 'v1', kind: 'Event', metadata: { name: 'b', namespace: 'default' }, message: 'later' });
  store.flush();
  assert.equal(held.bytes, undefined);
  assert.equal(held.object.message, 'hello');
});

test('the writer thread commits each posted batch and hands its values buffer back, once', { timeout: 30_000 }, async (t) => {
  const path = tempDir(t);
  const setup = new Database(path);
  for (const d of DDL) setup.exec(d);
  setup.close();
  const state = new SharedArrayBuffer(24);
  const worker = new Worker(new URL('../../../server/storage/writer-thread.js', import.meta.url), { workerData: { path, state } });
  t.after(() => worker.terminate());
  const returned: unknown[] = [];
  const twoBack = new Promise<void>((resolve) => worker.on('message', (m) => returned.push(m) === 2 && resolve()));
  for (const [revision, name] of [[7, 'a'], [8, 'b']] as const) {
    const value = Buffer.from(`{"name":"${name}"}`);
    const key = `/configmaps/default/${name}`;
    const batch = new WriteBatch(() => {});
    batch.add({ revision, key, resource: 'configmaps', type: 'ADDED', raw: value }, { ref: { resource: 'configmaps', namespace: 'default', name }, createRevision: revision, modRevision: revision, raw: value });
    const packed = batch.pack();
    worker.postMessage({ batch: packed, revision }, packedTransfers(packed));
    assert.equal(packed.values.byteLength, 0, 'transferred, not copied');
  }
  await twoBack;
  assert.deepEqual(returned.map((m) => (m instanceof ArrayBuffer ? Buffer.from(m).toString() : m)), ['{"name":"a"}', '{"name":"b"}']);
  assert.equal(Atomics.load(new Int32Array(state), DONE), 2);
  const db = new Database(path, { readonly: true });
  t.after(() => db.close());
  assert.deepEqual(db.prepare('SELECT key, mod_revision, CAST(value AS TEXT) AS v FROM objects ORDER BY key').all(), [
    { key: '/configmaps/default/a', mod_revision: 7, v: '{"name":"a"}' },
    { key: '/configmaps/default/b', mod_revision: 8, v: '{"name":"b"}' },
  ]);
});

test("a Store's connection keeps SQLite's own page cache size, not better-sqlite3's 16 MB", (t) => {
  const store = new Store(tempDir(t));
  t.after(() => store.close());
  const { db } = store as unknown as { db: Database.Database };
  assert.equal(db.pragma('cache_size', { simple: true }), -2000);
});
