import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Store, type StoreEvent } from '../../../server/storage/store.js';

function tempStore(t: { after(fn: () => void): void }): Store {
  const dir = mkdtempSync(join(tmpdir(), 'kd-heartbeat-'));
  const store = new Store(join(dir, 'state.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return store;
}

const NODES = 100;
const lease = (name: string, renew: number) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime: String(renew) } });
const leaseRef = (name: string) => ({ resource: 'leases', namespace: 'kube-node-lease', name });
const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } });
const cmRef = (name: string) => ({ resource: 'configmaps', namespace: 'default', name });

function beat(store: Store, rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < NODES; i++) store.update(leaseRef(`node${i}`), lease(`node${i}`, r), undefined, { heartbeat: true });
  }
}

test('heartbeats keep one log row per key however often they beat', (t) => {
  const store = tempStore(t);
  for (let i = 0; i < NODES; i++) store.create(leaseRef(`node${i}`), lease(`node${i}`, -1));
  const before = store.logRows();
  const rev = store.revision;
  beat(store, 50);
  assert.equal(store.revision, rev + 50 * NODES, 'every heartbeat still takes a revision');
  assert.equal(store.logRows(), before + NODES, 'one heartbeat row per lease, not 5000');
});

test('watchers get every heartbeat live; a resume from an old revision gets the latest beat', (t) => {
  const store = tempStore(t);
  store.create(leaseRef('n'), lease('n', 0));
  const start = store.create(cmRef('a'), cm('a', '1')).modRevision;
  const live: StoreEvent[] = [];
  store.onEvent((e) => live.push(e));
  for (let r = 1; r <= 5; r++) store.update(leaseRef('n'), lease('n', r), undefined, { heartbeat: true });
  store.update(cmRef('a'), cm('a', '2'));
  assert.equal(live.filter((e) => e.resource === 'leases').length, 5);
  const resumed = store.eventsSince('leases', start);
  assert.equal(resumed.length, 1);
  assert.equal(resumed[0]!.type, 'MODIFIED');
  assert.equal((resumed[0]!.object.spec as { renewTime: string }).renewTime, '5');
  assert.equal(resumed[0]!.object.metadata.resourceVersion, String(resumed[0]!.revision));
  assert.deepEqual(store.eventsSince('configmaps', start).map((e) => e.object.data), [{ v: '2' }]);
});

test('a real change is never coalesced: the heartbeat after it starts a new row', (t) => {
  const store = tempStore(t);
  store.create(leaseRef('n'), lease('n', 0));
  store.update(leaseRef('n'), lease('n', 1), undefined, { heartbeat: true });
  const real = store.update(leaseRef('n'), { ...lease('n', 1), spec: { holderIdentity: 'other', renewTime: '1' } });
  store.update(leaseRef('n'), lease('n', 2), undefined, { heartbeat: true });
  store.update(leaseRef('n'), lease('n', 3), undefined, { heartbeat: true });
  const evs = store.eventsSince('leases', 0);
  assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'MODIFIED', 'MODIFIED', 'MODIFIED']);
  assert.ok(evs.some((e) => e.revision === real.modRevision), 'the real change stays in the log');
  assert.equal((evs.at(-1)!.object.spec as { renewTime: string }).renewTime, '3');
});

test('the compaction window counts rows, so heartbeats do not push real changes out', (t) => {
  const store = tempStore(t);
  for (let i = 0; i < NODES; i++) store.create(leaseRef(`node${i}`), lease(`node${i}`, -1));
  const changes: number[] = [];
  for (let i = 0; i < 20; i++) changes.push(store.create(cmRef(`c${i}`), cm(`c${i}`, '0')).modRevision);
  beat(store, 30);
  store.compact(store.retainTarget(200));
  const since = changes[0]! - 1;
  const replay = store.eventsSince('configmaps', since);
  assert.equal(replay.length, 20, 'all 20 real changes survive 3000 heartbeats with a 200-row window');
  assert.equal(store.logRows(), 200);
});
