/**
 * `kd run` against the real kubectl v1.35.2 in twin namespaces: the Pod kubectl generates (printed
 * by client dry runs in its Go field order), creation, server dry runs and the flag errors.
 * Attaching (-i/-t/--rm) is not covered: kd does not offer it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['run-a', 'run-b'];
const maskKlog = (t: string) => t.replace(/^W\d{4} [\d:.]+\s+\d+ /gm, 'W ');

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) await ok('create', 'namespace', ns);
});
after(async () => {
  await d.stop();
});

const CASES: Array<[(ns: string) => string[], number]> = [
  [(ns) => ['run', 'web', '--image=nginx:1.27', '-n', ns], 0],
  [(ns) => ['run', 'web', '--image=nginx:1.27', '-n', ns], 1],
  [(ns) => ['run', 't1', '--image=nginx', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['run', 't2', '--image=nginx', '--port=80', '--labels=a=b,c=d', '--env=A=1', '--env=B=2', '--restart=Never', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['run', 't3', '--image=busybox', '--command', '--dry-run=client', '-o', 'yaml', '-n', ns, 'sleep', '3600'], 0],
  [(ns) => ['run', 't4', '--image=busybox', '--restart=OnFailure', '--dry-run=client', '-o', 'yaml', '-n', ns, 'echo', 'hi'], 0],
  [(ns) => ['run', 't5', '--image=nginx', '--annotations=team=a', '--image-pull-policy=Never', '--privileged', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['run', 't6', '--image=nginx', '--dry-run', '-n', ns], 0],
  [(ns) => ['run', 't7', '--image=nginx', '--dry-run=server', '-n', ns], 0],
  [(ns) => ['run', 't8', '--image=nginx', '-o', 'name', '-n', ns], 0],
  [(ns) => ['run', 't9', '--image=busybox', '--restart=Never', '-o', 'jsonpath={.spec.restartPolicy} {.spec.containers[0].args}', '-n', ns, 'true'], 0],
  [(ns) => ['run', 'nope', '-n', ns], 1],
  [(ns) => ['run', '--image=nginx', '-n', ns], 1],
  [(ns) => ['run', 't10', '--image=nginx', '--restart=Bad', '-n', ns], 1],
  [(ns) => ['run', 'T11', '--image=nginx', '-n', ns], 1],
  [(ns) => ['run', 't12', '--image=nginx', '--labels=bad', '-n', ns], 1],
  [(ns) => ['run', 't13', '--image=nginx', '--dry-run=bogus', '-n', ns], 1],
  [(ns) => ['run', 't14', '--image=nginx', '-o', 'wide', '-n', ns], 1],
  // --expose: a ClusterIP Service printed before the Pod, which is created first.
  [(ns) => ['run', 'x1', '--image=nginx', '--port=80', '--expose', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['run', 'x2', '--image=nginx', '--port=8080', '--expose', '--labels=app=x,tier=y', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['run', 'x3', '--image=nginx', '--port=80', '--expose', '-n', ns], 0],
  [(ns) => ['run', 'x4', '--image=nginx', '--expose', '-n', ns], 1],
  [(ns) => ['run', 'x5', '--image=nginx', '--port=80', '--expose=false', '-o', 'name', '-n', ns], 0],
  [(ns) => ['run', 'x6', '--image=nginx', '--port=80', '--expose=maybe', '-n', ns], 1],
  [(ns) => ['run', 'x7', '--expose=maybe', '-n', ns], 1],
  [(ns) => ['run', 'x3b', '--image=nginx', '--port=80', '--expose', '--dry-run=server', '-o', 'name', '-n', ns], 0],
];

for (const [args, code] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS, { mask: maskKlog });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('run creates the same Pods in both namespaces', async () => {
  const [sa, sb] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/services/x3`)));
  assert.deepEqual([sb.spec.selector, sb.spec.ports, sb.metadata.managedFields[0].manager], [sa.spec.selector, sa.spec.ports, sa.metadata.managedFields[0].manager]);
  for (const name of ['web', 't8', 't9', 'x3']) {
    const [a, b] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/pods/${name}`)));
    assert.deepEqual(b.metadata.labels, a.metadata.labels);
    // The service-account volume's name has a random suffix; the rest of each container must match.
    const plain = (pod: any) => pod.spec.containers.map(({ volumeMounts: _v, ...c }: any) => c);
    assert.deepEqual(plain(b), plain(a));
    assert.equal(b.spec.restartPolicy, a.spec.restartPolicy);
  }
  const [la, lb] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/pods`)));
  assert.deepEqual(
    lb.items.map((p: any) => p.metadata.name),
    la.items.map((p: any) => p.metadata.name),
  );
});
