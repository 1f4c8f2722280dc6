import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client } from 'undici';
import { buildTestApp, type TestApp } from '../../support/app.js';

const CMS = '/api/v1/namespaces/default/configmaps';

interface WatchEvent {
  type: string;
  object: Record<string, any>;
}

/** Opens a watch on a listening app and collects its NDJSON events. */
async function openWatch(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
  const client = new Client(url);
  const res = await client.request({ method: 'GET', path, headers });
  const events: WatchEvent[] = [];
  let buf = '';
  let ended = false;
  res.body.setEncoding('utf8');
  res.body.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      events.push(JSON.parse(buf.slice(0, nl)) as WatchEvent);
      buf = buf.slice(nl + 1);
    }
  });
  res.body.on('end', () => (ended = true));
  const waitFor = async (n: number): Promise<WatchEvent[]> => {
    for (let i = 0; i < 200 && events.length < n && !ended; i++) await new Promise((r) => setTimeout(r, 10));
    return events;
  };
  return {
    status: res.statusCode,
    events,
    waitFor,
    ended: () => ended,
    waitEnd: async () => {
      for (let i = 0; i < 200 && !ended; i++) await new Promise((r) => setTimeout(r, 10));
      return ended;
    },
    close: async () => {
      res.body.destroy();
      await client.destroy();
    },
  };
}

const create = (t: TestApp, name: string, labels: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: CMS, payload: { metadata: { name, labels } } });
const label = (t: TestApp, name: string, labels: Record<string, string | null>) =>
  t.app.inject({ method: 'PATCH', url: `${CMS}/${name}`, headers: { 'content-type': 'application/merge-patch+json' }, payload: { metadata: { labels } } });

test('a watch from a resourceVersion sends only later changes, no replay', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'old');
  const rv = JSON.parse((await t.app.inject({ url: CMS })).body).metadata.resourceVersion;
  const w = await openWatch(t, `${CMS}?watch=true&resourceVersion=${rv}`);
  tt.after(w.close);
  assert.equal(w.status, 200);
  await create(t, 'new');
  await label(t, 'old', { x: '1' });
  await t.app.inject({ method: 'DELETE', url: `${CMS}/new` });
  const evs = await w.waitFor(3);
  assert.deepEqual(evs.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED new', 'MODIFIED old', 'DELETED new']);
  assert.ok(Number(evs[2]!.object.metadata.resourceVersion) > Number(evs[1]!.object.metadata.resourceVersion));
});

test('a watch from resourceVersion 0 starts with synthetic ADDED events for the current state', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'a');
  await create(t, 'b');
  const w = await openWatch(t, `${CMS}?fieldSelector=metadata.name%3Db&resourceVersion=0&watch=true`);
  tt.after(w.close);
  await label(t, 'a', { ignored: 'yes' });
  await label(t, 'b', { seen: 'yes' });
  const evs = await w.waitFor(2);
  assert.deepEqual(evs.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'MODIFIED b']);
});

test('watch-list sends initial events then the initial-events-end bookmark', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'a');
  const w = await openWatch(t, `${CMS}?allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan&sendInitialEvents=true&timeoutSeconds=300&watch=true`);
  tt.after(w.close);
  const evs = await w.waitFor(2);
  assert.equal(evs[0]!.type, 'ADDED');
  assert.equal(evs[1]!.type, 'BOOKMARK');
  assert.equal(evs[1]!.object.kind, 'ConfigMap');
  assert.deepEqual(evs[1]!.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
  assert.ok(Number(evs[1]!.object.metadata.resourceVersion) >= Number(evs[0]!.object.metadata.resourceVersion));
});

test('label selectors turn selector transitions into ADDED and DELETED', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'c');
  const rv = JSON.parse((await t.app.inject({ url: CMS })).body).metadata.resourceVersion;
  const w = await openWatch(t, `${CMS}?watch=true&labelSelector=tier%3Dfe&resourceVersion=${rv}`);
  tt.after(w.close);
  await label(t, 'c', { tier: 'fe' });
  await label(t, 'c', { tier: 'fe', more: '1' });
  await label(t, 'c', { tier: 'be' });
  const evs = await w.waitFor(3);
  assert.deepEqual(evs.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
});

test('Table watches encode each event as a one-row Table, columns first time only', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'a');
  const w = await openWatch(t, `${CMS}?watch=true&resourceVersion=0`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  tt.after(w.close);
  await label(t, 'a', { x: 'y' });
  const evs = await w.waitFor(2);
  assert.equal(evs[0]!.object.kind, 'Table');
  assert.deepEqual(evs[0]!.object.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Data', 'Age']);
  assert.deepEqual(evs[1]!.object.columnDefinitions, []);
  assert.equal(evs[1]!.object.rows[0].object.metadata.labels.x, 'y');
});

test('timeoutSeconds ends the stream and bookmarks follow the virtual clock', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'a');
  const rv = JSON.parse((await t.app.inject({ url: CMS })).body).metadata.resourceVersion;
  const w = await openWatch(t, `${CMS}?watch=true&allowWatchBookmarks=true&timeoutSeconds=120&resourceVersion=${rv}`);
  tt.after(w.close);
  t.clock.advance(60_000);
  const evs = await w.waitFor(1);
  assert.equal(evs[0]!.type, 'BOOKMARK');
  assert.equal(evs[0]!.object.metadata.resourceVersion, rv);
  assert.equal(w.ended(), false);
  t.clock.advance(60_000);
  assert.equal(await w.waitEnd(), true);
});

test('a long watch keeps one bookmark timer: closing it cancels that one, not every bookmark sent', async (tt) => {
  const t = await buildTestApp(tt);
  await create(t, 'a');
  let cancelled = 0;
  const setTimer = t.clock.setTimer.bind(t.clock);
  t.clock.setTimer = (fn, ms) => {
    const cancel = setTimer(fn, ms);
    return () => {
      cancelled++;
      cancel();
    };
  };
  const w = await openWatch(t, `${CMS}?watch=true&allowWatchBookmarks=true`);
  for (let i = 0; i < 10; i++) t.clock.advance(60_000);
  assert.equal((await w.waitFor(11)).filter((e) => e.type === 'BOOKMARK').length, 10);
  await w.close();
  for (let i = 0; i < 200 && cancelled === 0; i++) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(cancelled, 1);
});

test('a watch from a compacted resourceVersion gets a 410 Expired ERROR event', async (tt) => {
  const t = await buildTestApp(tt, { compactionRetain: 2 });
  const first = JSON.parse((await create(t, 'a')).body).metadata.resourceVersion;
  for (const n of ['b', 'c', 'd', 'e']) await create(t, n);
  t.clock.advance(5 * 60_000);
  const w = await openWatch(t, `${CMS}?watch=true&resourceVersion=${first}`);
  tt.after(w.close);
  const evs = await w.waitFor(1);
  assert.equal(evs[0]!.type, 'ERROR');
  assert.equal(evs[0]!.object.code, 410);
  assert.equal(evs[0]!.object.reason, 'Expired');
  assert.match(evs[0]!.object.message, /^too old resource version: \d+ \(\d+\)$/);
  assert.equal(await w.waitEnd(), true);
});
