import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { httpRequest, runKubectl, startDaemon } from '../support/daemon.js';

const CMS = '/api/v1/namespaces/default/configmaps';

function manifest(dir: string): string {
  const p = join(dir, 'objects.yaml');
  writeFileSync(p, ['a', 'b', 'c'].map((n) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${n}}\ndata: {v: "${n}"}\n`).join('---\n'));
  return p;
}

function events(body: string): Array<{ type: string; object: Record<string, any> }> {
  return body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
}

test('objects and resourceVersions survive a restart; watches resume from old revisions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-restart-'));
  const first = await startDaemon();
  assert.equal((await runKubectl(first, ['create', '-f', manifest(dir)])).code, 0);
  const before = await runKubectl(first, ['get', 'cm', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}']);
  const listRv = JSON.parse((await httpRequest(first, 'GET', CMS)).body).metadata.resourceVersion as string;
  assert.equal((await runKubectl(first, ['label', 'cm', 'a', 'phase=one'])).code, 0);
  assert.equal(await first.stop(), 0);

  const second = await startDaemon({ dataDir: first.dataDir });
  try {
    const after = await runKubectl(second, ['get', 'cm', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.resourceVersion} {end}']);
    const [a0, ...rest0] = before.stdout.trim().split(' ');
    const [a1, ...rest1] = after.stdout.trim().split(' ');
    assert.deepEqual(rest1, rest0, 'untouched objects keep their resourceVersions');
    assert.notEqual(a1, a0, 'the label changed a');
    assert.equal((await runKubectl(second, ['get', 'cm', 'a', '-o', 'jsonpath={.metadata.labels.phase}'])).stdout, 'one');
    await runKubectl(second, ['label', 'cm', 'b', 'phase=two']);
    // A watch resumed from the list revision taken before the restart gets every change since.
    const resumed = await httpRequest(second, 'GET', `${CMS}?watch=true&resourceVersion=${listRv}&timeoutSeconds=1`);
    assert.equal(resumed.status, 200);
    assert.deepEqual(events(resumed.body).map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.phase}`), ['MODIFIED a one', 'MODIFIED b two']);
  } finally {
    assert.equal(await second.stop(), 0);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a watch from a revision compacted away gets 410 Gone after a restart', async () => {
  const d = await startDaemon({ extraArgs: ['--compaction-retain', '2'] });
  const created = JSON.parse((await httpRequest(d, 'POST', CMS, { body: { metadata: { name: 'x' } } })).body);
  for (let i = 0; i < 5; i++) await httpRequest(d, 'PATCH', `${CMS}/x`, { body: JSON.stringify({ data: { i: String(i) } }), headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(await d.stop(), 0);
  const again = await startDaemon({ dataDir: d.dataDir, extraArgs: ['--compaction-retain', '2'] });
  try {
    const res = await httpRequest(again, 'GET', `${CMS}?watch=true&resourceVersion=${created.metadata.resourceVersion}&timeoutSeconds=1`);
    const [ev] = events(res.body);
    assert.equal(ev?.type, 'ERROR');
    assert.equal(ev?.object.code, 410);
    assert.equal(ev?.object.reason, 'Expired');
    const list = await httpRequest(again, 'GET', `${CMS}/x`);
    assert.equal(JSON.parse(list.body).data.i, '4', 'compaction never touches current state');
  } finally {
    await again.stop();
  }
});
