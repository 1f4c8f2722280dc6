import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store, StoreEvent } from '../../../server/storage/store.js';
import { Hub } from '../../../server/watch/hub.js';

/** A hub over a stand-in store: `publish` is what Store does after each commit. */
function newHub(): { hub: Hub; publish(resource: string, revision: number): void } {
  let listener: (e: StoreEvent) => void = () => {};
  const hub = new Hub({ onEvent: (l: (e: StoreEvent) => void) => (listener = l) } as unknown as Store);
  const publish = (resource: string, revision: number): void =>
    listener({ type: 'MODIFIED', revision, key: `/registry/${resource}/default/x`, resource, namespace: 'default', raw: Buffer.from('{}'), object: { metadata: { name: 'x' } } });
  return { hub, publish };
}

const settle = () => new Promise((r) => setImmediate(r));

test('events of every resource are delivered in revision order before the work their handlers queue', async () => {
  const { hub, publish } = newHub();
  const seen: string[] = [];
  hub.subscribe('replicasets', (e) => {
    seen.push(`rs ${e.revision}`);
    // A controller's handler only queues its sync; the sync reads the other resources' caches.
    void Promise.resolve().then(() => seen.push('sync'));
  });
  hub.subscribe('deployments', (e) => seen.push(`deploy ${e.revision}`));
  publish('replicasets', 10);
  publish('deployments', 11);
  publish('deployments', 12);
  publish('replicasets', 13);
  await settle();
  assert.deepEqual(seen, ['rs 10', 'deploy 11', 'deploy 12', 'rs 13', 'sync', 'sync']);
});

test('events published by a handler go to the next drain; a closed subscription gets nothing more', async () => {
  const { hub, publish } = newHub();
  const seen: string[] = [];
  const pods = hub.subscribe('pods', (e) => {
    seen.push(`pod ${e.revision}`);
    if (e.revision === 1) publish('nodes', 3);
  });
  hub.subscribe('nodes', (e) => {
    seen.push(`node ${e.revision}`);
    pods.close();
  });
  publish('pods', 1);
  publish('nodes', 2);
  publish('pods', 4);
  await settle();
  assert.deepEqual(seen, ['pod 1', 'node 2']);
  await settle();
  assert.deepEqual(seen, ['pod 1', 'node 2', 'node 3']);
});
