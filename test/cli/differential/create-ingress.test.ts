/**
 * `kd create ingress` against the real kubectl v1.35.2 on one daemon: rule syntax (Exact and `*`
 * Prefix paths, hosts merged, TLS entries grouped by secret, numeric and named ports), the default
 * backend, class and annotations under `--dry-run=client`, kubectl's validation errors, and
 * creations run by kubectl in one namespace and by kd in its twin with the objects compared.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, getJson } = e2e(() => d);
const NS: [string, string] = ['ing-a', 'ing-b'];
/** Generated fields that differ between the twins. */
const maskGenerated = (t: string) => t.replace(/(uid|resourceVersion|creationTimestamp): .*/g, '$1: X').replace(/"(uid|resourceVersion|creationTimestamp)": ".*"/g, '"$1": "X"');

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) await ok('create', 'namespace', ns);
});
after(async () => {
  await d.stop();
});

const RULES = ['--rule=foo.com/bar=svc1:8080,tls=my-cert', '--rule=foo.com/x*=svc2:http', '--rule=/a=b:c,tls', '--rule=bar.com/=s:80,tls=my-cert'];

/** Read-only cases: client dry runs and validation errors, with kubectl's exit code. */
const DRY_RUN_CASES: Array<[string[], number]> = [
  [['create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080,tls=my-cert', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'ingress', 'multi', ...RULES, '--default-backend=def:http', '--class=nginx', '--annotation', 'a=b', '--annotation', 'c=', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'ing', 'multi', ...RULES, '--annotation', 'z=1', '--annotation', 'a=2', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'ingress', 'prefix', '--rule=/*=c:-1', '--rule=*.a.com/=c:99999999999', '--rule=a/b=c:0', '--rule=a/c=d:08', '-n', 'kube-public', '--dry-run=client', '-o', 'json'], 0],
  // kubectl checks only a prefix of each rule; what follows decides the TLS entry.
  [['create', 'ingress', 'loose', '--rule=a/b=c:d,tls=x,tls', '--rule=b/b=c:d,foo', '--rule=c/=c:d e', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'ingress', 'tls', '--rule=a/b=c:d,tls=', '--rule=a/c=c:d,tls=y', '--rule=b/=c:d,tls=y', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'ingress', 'backend-only', '--default-backend=a:', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'ingress', 'named', '--default-backend=a:b', '--dry-run=client', '-o', 'name'], 0],
  [['create', 'ingress', 'plain', '--rule=a/b=c:d', '--dry-run=client'], 0],
  [['create', 'ingress', 'x'], 1],
  [['create', 'ingress', 'x', '--rule=foo'], 1],
  [['create', 'ingress', 'x', '--rule=a/b=c:d', '--annotation', 'foo'], 1],
  [['create', 'ingress', 'x', '--default-backend=a:b:c'], 1],
  [['create', 'ingress', 'x', '--default-backend=ab'], 1],
  [['create', 'ingress', '--rule=a/b=c:d'], 1],
  [['create', 'ingress', 'x', 'y', '--rule=a/b=c:d'], 1],
  [['create', 'ingress', 'x', '--rule=a/b=c:d', '--dry-run=bogus'], 1],
];

for (const [args, code] of DRY_RUN_CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args);
    assert.equal(r.code, code, r.stderr);
  });
}

test('kd create ingress creates the same object as kubectl', async () => {
  const args = (ns: string) => ['create', 'ingress', 'web', '--rule=foo.com/=svc:80,tls=cert', '--rule=foo.com/api*=api:http', '--class=nginx', '--annotation=team=a', '-n', ns];
  const r = await assertSameInNamespaces(d, args, NS);
  assert.equal(r.stdout, 'ingress.networking.k8s.io/web created\n');
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/web`)));
  assert.deepEqual(b.spec, a.spec);
  assert.deepEqual(b.metadata.annotations, a.metadata.annotations);
});

test('kd create ingress of an existing name fails with the failed to create prefix', async () => {
  const r = await assertSameInNamespaces(d, (ns) => ['create', 'ingress', 'web', '--rule=foo.com/=svc:80', '-n', ns], NS);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: failed to create ingress: /);
});

test('kd create ingress -o json and a server dry run print the answer as kubectl', async () => {
  await assertSameInNamespaces(d, (ns) => ['create', 'ingress', 'json', '--rule=a/b=c:d', '--default-backend=def:80', '-n', ns, '-o', 'json'], NS, { mask: maskGenerated });
  const r = await assertSameInNamespaces(d, (ns) => ['create', 'ingress', 'dry', '--rule=a/b=c:d', '-n', ns, '--dry-run=server', '-o', 'yaml'], NS, { mask: maskGenerated });
  assert.match(r.stdout, /name: dry/);
  await assertSameInNamespaces(d, (ns) => ['create', 'ingress', 'dry', '--rule=a/b=c:d', '-n', ns, '--dry-run=server'], NS);
});
