/**
 * `kd create` against the real kubectl v1.35.2 on one daemon: the generators' `--dry-run=client`
 * output (what CKA users turn into manifests), their usage errors, and creations that change state,
 * run by kubectl in one namespace and by kd in its twin, with the objects left behind compared.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, getJson } = e2e(() => d);
const NS: [string, string] = ['create-a', 'create-b'];
const dir = mkdtempSync(join(tmpdir(), 'kd-create-'));
/** Generated fields that differ between the twins. */
const maskGenerated = (t: string) => t.replace(/(uid|resourceVersion|creationTimestamp|time): .*/g, '$1: X').replace(/"(uid|resourceVersion|creationTimestamp|time)": ".*"/g, '"$1": "X"');

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) await ok('create', 'namespace', ns);
  await ok('create', 'deployment', 'taken', '--image=nginx', '-n', NS[0]);
  await ok('create', 'deployment', 'taken', '--image=nginx', '-n', NS[1]);
  for (const ns of NS) await ok('create', 'cronjob', 'nightly', '--image=busybox', '--schedule=@daily', '-n', ns);
  writeFileSync(join(dir, 'file.txt'), 'from a file\n');
  writeFileSync(join(dir, 'unknown.yaml'), 'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n');
});
after(async () => {
  await d.stop();
});

/** Read-only cases: generators with `--dry-run=client` and argument errors, and kubectl's exit code. */
const DRY_RUN_CASES: Array<[string[], number]> = [
  [['create', 'deployment', 'web', '--image=nginx:1.27', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '--port=80', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'deploy', 'web', '--image=registry.io/team/my_app:1.0', '--image=busybox', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'deployment', 'web', '--image=nginx', '-n', 'kube-public', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'deployment', 'web', '--image=nginx', '--dry-run=client'], 0],
  [['create', 'deployment', 'web', '--image=nginx', '--dry-run=client', '-o', 'name'], 0],
  [['create', 'namespace', 'team', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'configmap', 'cfg', '--from-literal=a=b', '--from-literal=c=d=e', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=pass=s3cret', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'secret', 'docker-registry', 'pull', '--docker-server=r.io', '--docker-username=u', '--docker-password=p', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '--tcp=443', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'svc', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'service', 'clusterip', 'headless', '--clusterip=None', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'service', 'loadbalancer', 'lb', '--tcp=80', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'job', 'once', '--image=busybox', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'cronjob', 'tick', '--image=busybox', '--schedule=*/5 * * * *', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'serviceaccount', 'bot', '-n', 'kube-public', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'role', 'reader', '--verb=get,list', '--resource=pods,deploy,rs,deployments.apps/scale', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'clusterrole', 'nodes', '--verb=get', '--resource=nodes', '--resource-name=node01', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'rolebinding', 'rb', '--role=reader', '--user=alice', '--group=devs', '--serviceaccount=default:bot', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'clusterrolebinding', 'crb', '--clusterrole=nodes', '--user=bob', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'quota', 'q', '--hard=pods=10,cpu=2,memory=1Gi', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'pdb', 'p', '--selector=app=web', '--min-available=1', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'poddisruptionbudget', 'p', '--selector=app=web', '--max-unavailable=50%', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'priorityclass', 'high', '--value=1000', '--dry-run=client', '-o', 'json'], 0],
  [['create', 'pc', 'high', '--value=1000', '--global-default=true', '--description=for important pods', '--preemption-policy=Never', '--dry-run=client', '-o', 'yaml'], 0],
  [['create', 'priorityclass', 'high', '--value=x'], 1],
  [['create', 'priorityclass', 'high', '--global-default=maybe'], 1],
  [['create', 'priorityclass', 'high', '--value=1', '--preemption-policy=Bogus', '--dry-run=server'], 1],
  [['create', 'priorityclass', 'system-node-critical', '--value=5', '--dry-run=server'], 1],
  [['create', 'deployment', 'web', '--image=nginx', '--dry-run=bogus'], 1],
  [['create', 'deployment', 'web', '--image=nginx', '-o', 'xml'], 1],
  [['create', 'deployment', 'web'], 1],
  [['create', 'deployment', 'a', 'b', '--image=x'], 1],
  [['create', 'cronjob', 'c'], 1],
  [['create', 'configmap'], 1],
  [['create', 'configmap', 'c', '--from-literal=nokey'], 1],
  [['create', 'service', 'clusterip', 'a'], 1],
  [['create', 'job', 'j'], 1],
  [['create', 'role', 'r', '--verb=get'], 1],
  [['create', 'role', 'r', '--resource=pods'], 1],
  [['create', 'role', 'r', '--verb=get', '--resource=widgets'], 1],
  [['create', 'rolebinding', 'rb', '--role=a', '--clusterrole=b'], 1],
  [['create', 'pdb', 'p', '--selector=a=b'], 1],
  [['create'], 1],
  [['create', 'widget'], 1],
];

/** kubectl names a container after an image with `_` or `.` with a random suffix. */
const maskSuffix = (t: string) => t.replace(/"my-app-[a-z0-9]{5}"/g, '"my-app-XXXXX"');

for (const [args, code] of DRY_RUN_CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args, { mask: maskSuffix });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('kd create configmap --from-file', async () => {
  const want = await assertSameAsKubectl(d, ['create', 'configmap', 'files', `--from-file=${join(dir, 'file.txt')}`, `--from-file=other=${join(dir, 'file.txt')}`, '--dry-run=client', '-o', 'yaml']);
  assert.equal(want.code, 0);
});

test('kd create -f --dry-run=client prints the objects with the namespace filled in', async () => {
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  k: v\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: dry\n';
  for (const output of ['yaml', 'json']) {
    const want = await assertSameAsKubectl(d, ['create', '-f', '-', '--dry-run=client', '-o', output], { stdin: manifest });
    assert.equal(want.code, 0);
    assert.match(want.stdout, /namespace.*default/);
  }
});

test('kd create -f with an unknown kind and validation on', async () => {
  const want = await assertSameAsKubectl(d, ['create', '-f', join(dir, 'unknown.yaml')]);
  assert.equal(want.code, 1);
});

const twin = (args: (ns: string) => string[], opts: { stdin?: string; mask?: (t: string) => string } = {}) => assertSameInNamespaces(d, args, NS, opts);

test('kd create deployment, then the same again (AlreadyExists with the generator prefix)', async () => {
  assert.equal((await twin((ns) => ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', ns])).code, 0);
  assert.equal((await twin((ns) => ['create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns])).code, 1);
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.deepEqual(b.spec, a.spec);
  assert.deepEqual(b.metadata.labels, a.metadata.labels);
});

test('kd create of every generator kind that practice uses', async () => {
  const runs: Array<(ns: string) => string[]> = [
    (ns) => ['create', 'configmap', 'cfg', '--from-literal=a=b', '-n', ns],
    (ns) => ['create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '-n', ns],
    (ns) => ['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '-n', ns],
    (ns) => ['create', 'serviceaccount', 'bot', '-n', ns],
    (ns) => ['create', 'role', 'reader', '--verb=get', '--resource=pods', '-n', ns],
    (ns) => ['create', 'rolebinding', 'rb', '--role=reader', '--serviceaccount=x:bot', '-n', ns],
    (ns) => ['create', 'quota', 'q', '--hard=pods=10', '-n', ns],
    (ns) => ['create', 'pdb', 'p', '--selector=app=web', '--min-available=1', '-n', ns],
    (ns) => ['create', 'job', 'once', '--image=busybox', '-n', ns],
    (ns) => ['create', 'job', 'manual', '--from=cronjob/nightly', '-n', ns],
    (ns) => ['create', 'job', 'manual2', '--from=cronjob/nope', '-n', ns],
    (ns) => ['create', 'configmap', 'cfg', '-n', ns],
    (ns) => ['create', 'deployment', 'Bad', '--image=nginx', '-n', ns],
    (ns) => ['create', 'deployment', 'web2', '--image=nginx', '--dry-run=server', '-o', 'name', '-n', ns],
  ];
  for (const args of runs) await twin(args);
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/batch/v1/namespaces/${ns}/jobs/manual`)));
  assert.equal(b.metadata.annotations['cronjob.kubernetes.io/instantiate'], 'manual');
  assert.equal(b.metadata.ownerReferences[0].name, a.metadata.ownerReferences[0].name);
});

test('kd create -f from stdin, -o yaml, and the errors kubectl collects', async () => {
  for (const ns of NS) await ok('create', 'configmap', 'stdin-taken', '-n', ns);
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromfile\ndata:\n  k: v\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stdin-taken\n';
  const want = await twin((ns) => ['create', '-f', '-', '-n', ns, '-o', 'yaml'], { stdin: manifest, mask: maskGenerated });
  assert.equal(want.code, 1, want.stderr);
  const other = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n  namespace: default\n';
  assert.equal((await twin((ns) => ['create', '-f', '-', '-n', ns], { stdin: other })).code, 1);
  const bogus = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\n';
  assert.equal((await twin((ns) => ['create', '-f', '-', '-n', ns], { stdin: bogus })).code, 1);
  assert.equal((await twin((ns) => ['create', '-f', '-', '-n', ns, '--validate=false'], { stdin: bogus })).code, 0);
});
