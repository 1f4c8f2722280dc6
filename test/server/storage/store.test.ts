import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../../../server/storage/errors.js';
import { deepFreeze, Store, type StoreEvent } from '../../../server/storage/store.js';

function tempStore(t: { after(fn: () => void): void }): { store: Store; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kd-store-'));
  const path = join(dir, 'state.db');
  const store = new Store(path);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, path };
}

const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data });
const ref = (name: string) => ({ resource: 'configmaps', namespace: 'default', name });

test('create stamps the global revision as resourceVersion and rejects duplicates', (t) => {
  const { store } = tempStore(t);
  const start = store.revision;
  const a = store.create(ref('a'), cm('a'));
  const b = store.create(ref('b'), cm('b'));
  assert.equal(a.object.metadata.resourceVersion, String(start + 1));
  assert.equal(b.object.metadata.resourceVersion, String(start + 2));
  assert.equal(JSON.parse(b.raw.toString('utf8')).metadata.resourceVersion, String(start + 2));
  assert.throws(() => store.create(ref('a'), cm('a')), KeyExistsError);
  assert.equal(store.revision, start + 2);
});

test('update with a stale revision is a conflict and writes nothing', (t) => {
  const { store } = tempStore(t);
  const a = store.create(ref('a'), cm('a'));
  store.update(ref('a'), cm('a', { k: '1' }), a.modRevision);
  const rev = store.revision;
  assert.throws(() => store.update(ref('a'), cm('a', { k: '2' }), a.modRevision), ConflictError);
  assert.equal(store.revision, rev);
  assert.deepEqual(store.get(ref('a'))!.object.data, { k: '1' });
  assert.throws(() => store.update(ref('zz'), cm('zz')), KeyNotFoundError);
});

test('list returns key order and narrows by namespace', (t) => {
  const { store } = tempStore(t);
  for (const n of ['c', 'a', 'b']) store.create(ref(n), cm(n));
  store.create({ resource: 'configmaps', namespace: 'kube-system', name: 'a' }, { ...cm('a'), metadata: { name: 'a', namespace: 'kube-system' } });
  assert.deepEqual(store.list('configmaps', 'default').map((o) => o.object.metadata.name), ['a', 'b', 'c']);
  assert.deepEqual(store.list('configmaps').map((o) => `${o.namespace}/${o.object.metadata.name}`), ['default/a', 'default/b', 'default/c', 'kube-system/a']);
});

test('delete appends a DELETED event carrying the last state at the delete revision', (t) => {
  const { store } = tempStore(t);
  const events: StoreEvent[] = [];
  store.onEvent((e) => events.push(e));
  store.create(ref('a'), cm('a', { x: 'y' }));
  const del = store.delete(ref('a'));
  assert.equal(del.type, 'DELETED');
  assert.equal(del.object.metadata.resourceVersion, String(store.revision));
  assert.deepEqual(del.object.data, { x: 'y' });
  assert.equal(store.get(ref('a')), undefined);
  assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED']);
});

test('eventsSince replays the log after a revision; previous states come from the replay', (t) => {
  const { store } = tempStore(t);
  const a = store.create(ref('a'), cm('a'));
  store.update(ref('a'), cm('a', { k: 'v1' }));
  store.update(ref('a'), cm('a', { k: 'v2' }));
  store.delete(ref('a'));
  const evs = store.eventsSince('configmaps', a.modRevision);
  assert.deepEqual(evs.map((e) => e.type), ['MODIFIED', 'MODIFIED', 'DELETED']);
  assert.equal(evs[0]!.prev, undefined, 'the state before the replay is not known');
  assert.deepEqual(evs[1]!.prev?.data, { k: 'v1' });
  assert.deepEqual(evs[2]!.object.data, { k: 'v2' });
  assert.equal(store.eventsSince('secrets', 0).length, 0);
});

test('compaction drops old log entries and older resumes fail', (t) => {
  const { store } = tempStore(t);
  for (let i = 0; i < 10; i++) store.create(ref(`n${i}`), cm(`n${i}`));
  const target = store.revision - 3;
  store.compact(target);
  assert.equal(store.compactRevision, target);
  assert.throws(() => store.eventsSince('configmaps', target - 1), CompactedError);
  assert.equal(store.eventsSince('configmaps', target).length, 3);
  assert.equal(store.list('configmaps').length, 10, 'current state is untouched by compaction');
});

test('state, revision and compaction survive reopening the database', (t) => {
  const { store, path } = tempStore(t);
  store.create(ref('a'), cm('a', { k: '1' }));
  store.create(ref('b'), cm('b'));
  store.delete(ref('b'));
  store.compact(store.revision - 1);
  const rev = store.revision;
  const compacted = store.compactRevision;
  store.close();
  const again = new Store(path);
  t.after(() => again.close());
  assert.equal(again.revision, rev);
  assert.equal(again.compactRevision, compacted);
  assert.deepEqual(again.list('configmaps').map((o) => [o.object.metadata.name, o.object.data]), [['a', { k: '1' }]]);
  const c = again.create(ref('c'), cm('c'));
  assert.equal(c.modRevision, rev + 1);
});

const ev = (name: string, message: string) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: 'default' }, message });
const evRef = (name: string) => ({ resource: 'events', namespace: 'default', name });
/** Whether a disk-only object still holds its bytes in memory. */
const resident = (o: unknown) => (o as { bytes?: Buffer }).bytes !== undefined;

test('Events keep their bytes in memory only until they are committed, then read them from SQLite', (t) => {
  const { store, path } = tempStore(t);
  const a = store.create(evRef('a'), ev('a', 'first'));
  const written = Buffer.from(a.raw);
  assert.ok(resident(store.get(evRef('a'))));
  store.flush();
  const stored = store.get(evRef('a'))!;
  assert.ok(!resident(stored));
  assert.deepEqual(stored.raw, written);
  assert.equal(stored.object.message, 'first');
  // A state replaced within the same batch never became an objects row: its log row has it.
  const b1 = store.create(evRef('b'), ev('b', 'one'));
  const held = store.get(evRef('b'))!;
  store.update(evRef('b'), ev('b', 'two'), b1.modRevision);
  store.flush();
  assert.ok(!resident(held));
  assert.equal(held.object.message, 'one');
  assert.equal(store.get(evRef('b'))!.object.message, 'two');
  store.create({ resource: 'events', namespace: 'kube-system', name: 'c' }, { ...ev('c', 'elsewhere'), metadata: { name: 'c', namespace: 'kube-system' } });
  store.flush();
  // A list reads the rows of its key range in one scan: its objects come with their bytes.
  const listed = store.list('events', 'default');
  assert.ok(listed.every(resident));
  assert.deepEqual(listed.map((o) => JSON.parse(o.raw.toString('utf8')).message), ['first', 'two']);
  assert.deepEqual(store.list('events').map((o) => o.object.message), ['first', 'two', 'elsewhere']);
  // Updates and deletes read the old state back from disk.
  store.update(evRef('a'), ev('a', 'again'), stored.modRevision);
  assert.equal(store.delete(evRef('b')).object.message, 'two');
  assert.deepEqual(store.list('events').map((o) => o.object.message), ['again', 'elsewhere']);
  store.close();
  const reopened = new Store(path);
  t.after(() => reopened.close());
  const loaded = reopened.get(evRef('a'))!;
  assert.ok(!resident(loaded));
  assert.equal(loaded.object.message, 'again');
});

test('other objects drop their bytes once committed and serialise the same bytes again', (t) => {
  const { store } = tempStore(t);
  const a = store.create(ref('a'), { ...cm('a', { '2': 'x', b: 'é' }), metadata: { name: 'a', namespace: 'default', labels: { z: '1', a: '2' } } });
  const written = Buffer.from(a.raw);
  store.flush();
  const stored = store.get(ref('a'))!;
  assert.ok(!resident(stored));
  assert.deepEqual(stored.raw, written);
  assert.equal(stored.object, a.object, 'the parsed form stays');
});

test('deepFreeze freezes every object and list of a parsed object, an own __proto__ key included, and passes scalars through', () => {
  const o = JSON.parse('{"a":[{"b":{"c":1}},[2,{"d":null}]],"__proto__":{"e":{}},"s":"x"}') as Record<string, any>;
  assert.equal(deepFreeze(o), o);
  for (const part of [o, o.a, o.a[0], o.a[0].b, o.a[1], o.a[1][1], Object.getOwnPropertyDescriptor(o, '__proto__')!.value, Object.getOwnPropertyDescriptor(o, '__proto__')!.value.e]) {
    assert.ok(Object.isFrozen(part), JSON.stringify(part));
  }
  assert.equal(deepFreeze(null), null);
  assert.equal(deepFreeze('x'), 'x');
  assert.throws(() => { o.a[0].b.c = 2; }, TypeError);
});

test('written bytes are the UTF-8 of the object, multi-byte text across slab ends and large objects included', (t) => {
  const { store } = tempStore(t);
  // Three-byte and four-byte characters in sizes that end slabs at every offset, then objects
  // too large to share a slab.
  const texts = ['plain', '€uro', '😀 emoji', 'ü'.repeat(3000), '€'.repeat(5000), '𝄞'.repeat(20_000), 'x'.repeat(40_000)];
  const events: StoreEvent[] = [];
  store.onEvent((e) => events.push(e));
  for (let i = 0; i < 300; i++) store.create(ref(`c${i}`), cm(`c${i}`, { v: texts[i % texts.length]!.repeat(1 + (i % 5)) }));
  assert.equal(events.length, 300);
  for (const e of events) assert.ok(e.raw.equals(Buffer.from(JSON.stringify(e.object), 'utf8')), e.key);
});

/** How the SQLite file at `path` is laid out: its page size and whether objects is a WITHOUT ROWID table. */
function layout(path: string): { pageSize: number; withoutRowid: boolean } {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db.pragma('table_list') as Array<{ name: string; wr: number }>;
    return { pageSize: db.pragma('page_size', { simple: true }) as number, withoutRowid: tables.find((r) => r.name === 'objects')!.wr === 1 };
  } finally {
    db.close();
  }
}

test('a new data directory has 16 KiB pages and a rowid objects table; one made with 4 KiB pages and WITHOUT ROWID reads and writes alike', (t) => {
  const { store, path } = tempStore(t);
  store.flush();
  assert.deepEqual(layout(path), { pageSize: 16384, withoutRowid: false });
  // The objects table as it was made before, with SQLite's default page size; the rest is made by the Store.
  const dir = mkdtempSync(join(tmpdir(), 'kd-store-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const oldPath = join(dir, 'state.db');
  const db = new Database(oldPath);
  db.exec(`CREATE TABLE objects (key TEXT PRIMARY KEY, resource TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
    create_revision INTEGER NOT NULL, mod_revision INTEGER NOT NULL, value BLOB NOT NULL) WITHOUT ROWID`);
  db.close();
  const old = new Store(oldPath);
  for (const n of ['b', 'a']) old.create(ref(n), cm(n, { n }));
  old.update(ref('b'), cm('b', { n: 'b2' }));
  old.create(evRef('e'), ev('e', 'kept on disk'));
  old.flush();
  // A disk-only object is read back from its row, alone and in a list's range scan.
  assert.equal(old.get(evRef('e'))!.object.message, 'kept on disk');
  assert.deepEqual(old.list('events').map((o) => JSON.parse(o.raw.toString('utf8')).message), ['kept on disk']);
  old.delete(ref('a'));
  old.close();
  assert.deepEqual(layout(oldPath), { pageSize: 4096, withoutRowid: true });
  const reopened = new Store(oldPath);
  t.after(() => reopened.close());
  assert.deepEqual(reopened.list('configmaps').map((o) => [o.object.metadata.name, o.object.data]), [['b', { n: 'b2' }]]);
  assert.equal(reopened.get(evRef('e'))!.object.message, 'kept on disk');
});
