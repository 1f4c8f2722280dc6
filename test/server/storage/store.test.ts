import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CompactedError, ConflictError, KeyExistsError, KeyNotFoundError } from '../../../server/storage/errors.js';
import { Store, type StoreEvent } from '../../../server/storage/store.js';

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
