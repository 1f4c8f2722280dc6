import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadResourceTable } from '../../../schemas/index.js';
import { LocalClient } from '../../../server/client/api-client.js';
import { FakeClock } from '../../../server/clock.js';
import { Informer } from '../../../server/informers/informer.js';
import { seededRandom } from '../../../server/random.js';
import { Registry } from '../../../server/registry/rest.js';
import { Store } from '../../../server/storage/store.js';
import { Hub } from '../../../server/watch/hub.js';

function setup(t: { after(fn: () => void): void }): LocalClient {
  const dir = mkdtempSync(join(tmpdir(), 'kd-informer-'));
  const store = new Store(join(dir, 'state.db'));
  t.after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const client = new LocalClient(new Registry({ store, clock: new FakeClock(), random: seededRandom(1) }), new Hub(store), loadResourceTable(), 'test-controller');
  client.create('namespaces', { metadata: { name: 'default' } });
  return client;
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

test('an informer sees the initial list as adds, then every change once, in order', async (t) => {
  const client = setup(t);
  client.create('configmaps', { metadata: { name: 'a', namespace: 'default' } });
  const informer = new Informer(client, 'configmaps');
  const seen: string[] = [];
  informer.on({
    add: (o) => seen.push(`add ${o.metadata.name}`),
    update: (old, o) => seen.push(`update ${o.metadata.name} ${old.metadata.resourceVersion}->${o.metadata.resourceVersion}`),
    delete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  informer.start();
  assert.deepEqual(seen, ['add a']);
  const b = client.create('configmaps', { metadata: { name: 'b', namespace: 'default' } });
  const updated = client.mutate('configmaps', { namespace: 'default', name: 'b' }, (cur) => ({ ...cur, data: { k: 'v' } }));
  client.delete('configmaps', { namespace: 'default', name: 'a' });
  await settle();
  assert.deepEqual(seen, ['add a', 'add b', `update b ${b.metadata.resourceVersion}->${updated.metadata.resourceVersion}`, 'delete a']);
  assert.deepEqual(informer.list('default').map((o) => o.metadata.name), ['b']);
  assert.deepEqual(informer.get('default/b')?.data, { k: 'v' });
  informer.stop();
});

test('the local client writes through the registry: validation and managedFields apply', (t) => {
  const client = setup(t);
  assert.throws(() => client.create('configmaps', { metadata: { name: 'Bad_Name', namespace: 'default' } }), /is invalid/);
  const cm = client.create('configmaps', { metadata: { name: 'ok', namespace: 'default' }, data: { a: 'b' } });
  assert.equal((cm.metadata.managedFields as Array<{ manager: string }>)[0]!.manager, 'test-controller');
  assert.equal(client.get('configmaps', { namespace: 'default', name: 'missing' }), undefined);
  client.delete('configmaps', { namespace: 'default', name: 'missing' });
  assert.deepEqual(client.list('configmaps', { namespace: 'default' }).map((o) => o.metadata.name), ['ok']);
});

test('an index answers objects by value and follows updates and deletes', async (t) => {
  const client = setup(t);
  const informer = new Informer(client, 'configmaps');
  informer.addIndex('color', (o) => (o.metadata.labels?.color ? [o.metadata.labels.color] : []));
  client.create('configmaps', { metadata: { name: 'a', namespace: 'default', labels: { color: 'red' } } });
  informer.start();
  client.create('configmaps', { metadata: { name: 'b', namespace: 'default', labels: { color: 'red' } } });
  client.mutate('configmaps', { namespace: 'default', name: 'a' }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { color: 'blue' } } }));
  await settle();
  assert.deepEqual(informer.byIndex('color', 'red').map((o) => o.metadata.name), ['b']);
  assert.deepEqual(informer.byIndex('color', 'blue').map((o) => o.metadata.name), ['a']);
  client.delete('configmaps', { namespace: 'default', name: 'b' });
  await settle();
  assert.deepEqual(informer.byIndex('color', 'red'), []);
  informer.stop();
});

test('an index entry belongs to one version of an object: a change gives a new entry without the memo', async (t) => {
  const client = setup(t);
  const informer = new Informer(client, 'configmaps');
  informer.addIndex('team', (o) => [o.metadata.labels?.['team'] ?? '']);
  client.create('configmaps', { metadata: { name: 'a', namespace: 'default', labels: { team: 'x' } } });
  client.create('configmaps', { metadata: { name: 'b', namespace: 'default', labels: { team: 'x' } } });
  informer.start();
  const first = [...informer.indexEntries('team', 'x')];
  assert.deepEqual(first.map((e) => e.obj.metadata.name), ['a', 'b']);
  for (const e of first) e.memo = `seen ${e.obj.metadata.resourceVersion}`;
  client.mutate('configmaps', { namespace: 'default', name: 'a' }, (cur) => ({ ...cur, data: { k: 'v' } }));
  client.mutate('configmaps', { namespace: 'default', name: 'b' }, (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: { team: 'y' } } }));
  await settle();
  const after = [...informer.indexEntries('team', 'x')];
  assert.deepEqual(after.map((e) => [e.obj.metadata.name, e.obj.data, e.memo]), [['a', { k: 'v' }, undefined]]);
  assert.deepEqual([...informer.indexEntries('team', 'y')].map((e) => e.obj.metadata.name), ['b']);
  assert.deepEqual(informer.byIndex('team', 'x').map((o) => o.metadata.name), ['a']);
  assert.deepEqual([...informer.indexEntries('team', 'none')], []);
  informer.stop();
});
