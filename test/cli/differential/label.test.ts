/**
 * `kd label` and `kd annotate` against the real kubectl v1.35.2: kubectl acts on twin pods in one
 * namespace and kd in another, and their outputs (namespace masked) and resulting metadata must be
 * identical. Cases run in order, each seeing the state the earlier ones left in both namespaces.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['label-a', 'label-b'];
/** klog's warning prefix carries a timestamp and a pid. */
const maskKlog = (t: string) => t.replace(/^W\d{4} [\d:.]+\s+\d+ /gm, 'W ');
const POD_MANIFEST = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\n  namespace: NAMESPACE\n';

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('run', 'solo', '--image=nginx:1.27', '--labels=tier=front', '-n', ns);
    await ok('run', 'other', '--image=nginx:1.27', '--labels=tier=back', '-n', ns);
    await ok('run', 'lone', '--image=nginx:1.27', '--labels=only=one', '-n', ns);
    await ok('annotate', 'pod', 'lone', 'note=single', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

/** Each case: the arguments for a namespace, kubectl's exit code, and stdin if any. */
const CASES: Array<[(ns: string) => string[], number, string?]> = [
  [(ns) => ['label', 'pod', 'solo', 'env=prod', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'env=dev', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'env=prod', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'env=dev', '--overwrite', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'env=dev', '--overwrite', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'env-', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'env-', '-n', ns], 0],
  [(ns) => ['label', 'pods', '--all', 'x=1', '--dry-run=client', '-n', ns], 0],
  [(ns) => ['label', 'pods', '-l', 'tier=back', 'x=1', '--dry-run=server', '-o', 'name', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'x=1', '--dry-run', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'nope', 'other', 'seen=yes', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'x=a b', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'a=b=c', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'x_=1', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'k=v', 'k-', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'k=v', 'solo', '-n', ns], 1],
  [(ns) => ['label', 'pods', 'k=v', '-n', ns], 1],
  [(ns) => ['label', 'pods/solo', '-l', 'a=b', 'k=v', '-n', ns], 1],
  [(ns) => ['label', 'widgets', 'x', 'k=v', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'k=v', '--dry-run=bogus', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'solo', 'k=v', '--resource-version=1', '-n', ns], 1],
  [(ns) => ['label', 'pod', 'lone', '--list', '-n', ns], 0],
  [(ns) => ['label', 'pods', '-l', 'only=one', '--list', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'z=1', '-o', 'jsonpath={.metadata.labels}', '-n', ns], 0],
  [(ns) => ['label', 'pod', 'solo', 'w=1', '-o', 'wide', '-n', ns], 1],
  [() => ['label', '-f', '-', 'from=file'], 0, POD_MANIFEST],
  [(ns) => ['annotate', 'pod', 'solo', 'note=hi', '-n', ns], 0],
  [(ns) => ['annotate', 'pod', 'solo', 'note=hi', '-n', ns], 0],
  [(ns) => ['annotate', 'pod', 'solo', 'note=bye', '-n', ns], 1],
  [(ns) => ['annotate', 'pod', 'solo', 'note=bye', '--overwrite', '-o', 'jsonpath={.metadata.annotations}', '-n', ns], 0],
  [(ns) => ['annotate', 'pod', 'solo', 'note-', 'gone-', '--dry-run=client', '-n', ns], 0],
  [(ns) => ['annotate', 'pod', 'lone', '--list', '-n', ns], 0],
  [(ns) => ['annotate', 'pods', '--all', '--dry-run=server', 'k=v', '-n', ns], 0],
  [(ns) => ['annotate', 'pod', 'solo', 'a=1', 'a-', '-n', ns], 1],
  [(ns) => ['annotate', 'pod', 'solo', '=x', '-n', ns], 1],
  [(ns) => ['annotate', 'pods', '--all', '-l', 'x=y', 'k=v', '-n', ns], 1],
  [(ns) => ['annotate', 'pod', 'solo', 'bad key=1', '-n', ns], 1],
];

for (const [args, code, stdin] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS, { stdin, mask: maskKlog });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('label and annotate leave the same metadata in both namespaces', async () => {
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/pods/solo`)));
  assert.deepEqual(b.metadata.labels, a.metadata.labels);
  assert.deepEqual(b.metadata.annotations, a.metadata.annotations);
  assert.equal(a.metadata.labels.from, 'file');
  const [oa, ob] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/pods/other`)));
  assert.deepEqual(ob.metadata.labels, oa.metadata.labels);
  assert.equal(oa.metadata.labels.seen, 'yes');
});
