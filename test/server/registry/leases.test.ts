import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadResourceTable } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { bootstrap } from '../../../server/bootstrap.js';
import { LocalClient } from '../../../server/client/api-client.js';
import { FakeClock, rfc3339Micro } from '../../../server/clock.js';
import { seededRandom } from '../../../server/random.js';
import { renewLeaseSpec, type LeaseRenewal } from '../../../server/registry/leases.js';
import { Registry, type Scope } from '../../../server/registry/rest.js';
import { Store } from '../../../server/storage/store.js';
import { Hub } from '../../../server/watch/hub.js';

const KEY = { namespace: 'kube-node-lease', name: 'node01' };

/** A registry with the bootstrap objects, the node01 Lease as the kubelet creates it, and a count of general updates. */
function setUp(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'kd-leases-'));
  const store = new Store(join(dir, 'state.db'));
  const clock = new FakeClock();
  const table = loadResourceTable();
  const registry = new Registry({ store, clock, random: seededRandom(1) });
  bootstrap(registry, table);
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const hub = new Hub(store);
  const kubelet = new LocalClient(registry, hub, table, 'kubelet');
  const user = new LocalClient(registry, hub, table, 'kubectl-edit');
  kubelet.create('leases.coordination.k8s.io', {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...KEY, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node01', uid: 'a7c4f2e0-0000-4000-8000-000000000001' }] },
    spec: { holderIdentity: 'node01', leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) },
  });
  const info = table.resources.find((r) => r.plural === 'leases' && r.group === 'coordination.k8s.io')!;
  const scope: Scope = { info, ...KEY };
  const general = { updates: 0 };
  const guaranteedUpdate = registry.guaranteedUpdate.bind(registry);
  registry.guaranteedUpdate = (...args) => {
    general.updates++;
    return guaranteedUpdate(...args);
  };
  const opts = { dryRun: false, fieldValidation: 'Strict' as const, fieldManager: 'kubelet', typed: true, heartbeat: true };
  /** What the general update would store for this renewal now (a dry run), and then the renewal itself. */
  const renew = (renewal: LeaseRenewal) => {
    const before = general.updates;
    const expected = guaranteedUpdate(scope, { ...opts, dryRun: true }, (lease) => ({ obj: renewLeaseSpec(lease, renewal), warnings: [] })).object;
    const object = kubelet.renewLease(KEY, renewal);
    return { expected, object, general: general.updates - before };
  };
  return { store, clock, kubelet, user, renew };
}

const entriesOf = (o: KubeObject) => (o.metadata.managedFields ?? []) as Array<{ manager: string; operation: string; time: string }>;

/** The object as JSON without its resourceVersion, which a dry run leaves at the old one. */
function withoutVersion(o: KubeObject): string {
  return JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
}

const renewal = (clock: FakeClock, holderIdentity = 'node01'): LeaseRenewal => ({ holderIdentity, leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) });

test('a renewal of a Lease as the kubelet left it is stored as the general update would store it, without running it', (t) => {
  const { clock, store, renew } = setUp(t);
  for (let i = 1; i <= 3; i++) {
    clock.advance(10_000);
    const before = store.get({ resource: 'leases', ...KEY })!.modRevision;
    const r = renew(renewal(clock));
    assert.equal(r.general, 0, `renewal ${i} took the general update`);
    assert.equal(withoutVersion(r.object), withoutVersion(r.expected), `renewal ${i}: same bytes but the resourceVersion`);
    assert.ok(Number(r.object.metadata.resourceVersion) > before);
    assert.equal((r.object.spec as { renewTime: string }).renewTime, `2026-01-01T00:00:${10 * i}.000000Z`);
    assert.deepEqual(entriesOf(r.object).map((e) => `${e.manager} ${e.operation} ${e.time}`), [`kubelet Update 2026-01-01T00:00:${10 * i}Z`]);
    assert.equal(store.get({ resource: 'leases', ...KEY })!.raw.toString(), JSON.stringify(r.object), 'the stored bytes are the object');
  }
});

test('a Lease a user edited, another holder, a deleting Lease or an unchanged renewTime take the general update', (t) => {
  const { clock, user, kubelet, renew } = setUp(t);
  // A second manager (a label): the kubelet is no longer the only one.
  clock.advance(10_000);
  user.mutate('leases.coordination.k8s.io', KEY, (lease) => ({ ...lease, metadata: { ...lease.metadata, labels: { team: 'a' } } }));
  clock.advance(10_000);
  let r = renew(renewal(clock));
  assert.equal(r.general, 1);
  assert.equal(withoutVersion(r.object), withoutVersion(r.expected));
  assert.deepEqual(entriesOf(r.object).map((e) => `${e.manager} ${e.time}`), ['kubectl-edit 2026-01-01T00:00:10Z', 'kubelet 2026-01-01T00:00:20Z']);
  // Another holder, the label gone: the kubelet takes the Lease back, and with it holderIdentity.
  user.mutate('leases.coordination.k8s.io', KEY, (lease) => ({ ...lease, metadata: { ...lease.metadata, labels: undefined }, spec: { ...(lease.spec as object), holderIdentity: 'someone-else' } }));
  clock.advance(10_000);
  r = renew(renewal(clock));
  assert.equal(r.general, 1);
  assert.equal(withoutVersion(r.object), withoutVersion(r.expected));
  assert.equal((r.object.spec as { holderIdentity: string }).holderIdentity, 'node01');
  assert.deepEqual(entriesOf(r.object).map((e) => e.manager), ['kubelet']);
  // The kubelet alone again: no general update.
  clock.advance(10_000);
  const last = renew(renewal(clock));
  assert.equal(last.general, 0);
  assert.equal(withoutVersion(last.object), withoutVersion(last.expected));
  // The same renewTime again changes nothing, and nothing is written.
  const same = renew(renewal(clock));
  assert.equal(same.general, 1);
  assert.equal(same.object.metadata.resourceVersion, last.object.metadata.resourceVersion);
  // A Lease being deleted (held by the kubelet's own finalizer) is renewed by the general update.
  kubelet.mutate('leases.coordination.k8s.io', KEY, (lease) => ({ ...lease, metadata: { ...lease.metadata, finalizers: ['example.com/hold'] } }));
  user.delete('leases.coordination.k8s.io', KEY);
  clock.advance(10_000);
  r = renew(renewal(clock));
  assert.equal(r.general, 1);
  assert.ok(r.object.metadata.deletionTimestamp);
  assert.deepEqual(entriesOf(r.object).map((e) => e.manager), ['kubelet']);
  assert.equal(withoutVersion(r.object), withoutVersion(r.expected));
});
