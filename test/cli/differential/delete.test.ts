/**
 * `kd delete` against the real kubectl v1.35.2 on one daemon: twin objects in two namespaces,
 * kubectl deletes in one and kd in the other; the lines, the errors and the objects left must match.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, kubectl } = e2e(() => d);
const NS: [string, string] = ['delete-a', 'delete-b'];

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    for (const name of ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']) await ok('create', 'configmap', name, '-n', ns);
    await ok('label', 'configmap', 'c6', 'c7', 'tier=x', '-n', ns);
    await ok('create', 'deployment', 'web', '--image=nginx', '-n', ns);
    await ok('run', 'solo', '--image=nginx', '-n', ns);
  }
  for (const ns of NS) await ok('wait', '--for=condition=Ready', 'pod/solo', '-n', ns, '--timeout=60s');
});
after(async () => {
  await d.stop();
});

const twin = (args: (ns: string) => string[], stdin?: string) => assertSameInNamespaces(d, args, NS, { stdin });
const names = async (ns: string) => (await kubectl('get', 'cm', '-n', ns, '-o', 'name')).stdout;

test('kd delete by name, TYPE/NAME, and a missing name among others', async () => {
  assert.equal((await twin((ns) => ['delete', 'configmap', 'c1', '-n', ns])).code, 0);
  assert.equal((await twin((ns) => ['delete', 'cm/c2', 'configmap/c3', '-n', ns, '-o', 'name'])).code, 0);
  assert.equal((await twin((ns) => ['delete', 'cm', 'c4', 'nope', 'c5', '-n', ns])).code, 1);
  assert.equal((await twin((ns) => ['delete', 'cm', 'nope', '-n', ns, '--ignore-not-found'])).code, 0);
  assert.equal(await names(NS[1]), await names(NS[0]));
});

test('kd delete -l, dry runs and an empty selection', async () => {
  await twin((ns) => ['delete', 'cm', '-l', 'tier=x', '-n', ns, '--dry-run=client']);
  await twin((ns) => ['delete', 'cm', '-l', 'tier=x', '-n', ns, '--dry-run=server']);
  await twin((ns) => ['delete', 'cm', '-l', 'tier=x', '-n', ns]);
  await twin((ns) => ['delete', 'cm', '-l', 'tier=x', '-n', ns]);
  assert.equal(await names(NS[1]), await names(NS[0]));
});

test('kd delete -f from stdin', async () => {
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n---\napiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n';
  assert.equal((await twin((ns) => ['delete', '-f', '-', '-n', ns], manifest)).code, 1);
});

test('kd delete of a running pod waits until it is gone; --cascade=orphan keeps the ReplicaSet', async () => {
  assert.equal((await twin((ns) => ['delete', 'pod', 'solo', '-n', ns])).code, 0);
  assert.equal((await twin((ns) => ['delete', 'deployment', 'web', '-n', ns, '--cascade=orphan'])).code, 0);
  for (const ns of NS) assert.notEqual((await ok('get', 'rs', '-n', ns, '-o', 'name')).trim(), '');
  assert.equal((await twin((ns) => ['delete', 'rs', '--all', '-n', ns, '--force', '--grace-period=0', '--wait=false'])).code, 0);
});

/** Argument errors, the same in any namespace. */
const ERRORS: string[][] = [
  ['delete'],
  ['delete', 'cm'],
  ['delete', 'cm', 'x', '--all'],
  ['delete', 'cm', '-l', 'a=b', '--all'],
  ['delete', 'cm', 'x', '-A'],
  ['delete', 'widgets', 'x'],
  ['delete', 'cm', 'x', '--cascade=bogus'],
  ['delete', 'cm', 'x', '-o', 'yaml'],
  ['delete', 'cm', 'x', '--dry-run=maybe'],
  ['delete', 'namespace', 'nowhere'],
];

for (const args of ERRORS) {
  test(`kd ${args.join(' ')}`, async () => {
    assert.equal((await assertSameAsKubectl(d, args)).code, 1);
  });
}

test('kd delete namespace waits for its contents to go', async () => {
  await ok('create', 'namespace', 'doomed-a');
  await ok('create', 'namespace', 'doomed-b');
  const want = await assertSameInNamespaces(d, (ns) => ['delete', 'namespace', ns], ['doomed-a', 'doomed-b']);
  assert.equal(want.stdout, 'namespace "NAMESPACE" deleted\n');
});
