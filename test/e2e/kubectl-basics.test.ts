import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { maskAge, runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';
import { kubectlPath } from '../support/kubectl.js';

const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
  labels: {app: shop, tier: fe}
data:
  mode: fast
  level: "3"
---
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: shop}
type: Opaque
stringData: {user: admin}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.25", ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop, labels: {run: debug}}
spec:
  containers: [{name: box, image: "busybox:1.36", command: [sleep, "3600"]}]
`;

let d: Daemon;
const files = tempFiles('kd-e2e-');
const file = files.file;
const kubectl = (...args: string[]) => runKubectl(d, args);

before(async () => {
  // A fast clock, and a settled cluster before and after the manifests, so outputs are the same each run.
  d = await startDaemon({ extraArgs: ['--random-seed', '7', '--speed', '20'] });
  await clusterSettled();
  const res = await kubectl('create', '-f', file('shop.yaml', SHOP));
  assert.equal(res.stderr, '');
  assert.equal(res.stdout, 'namespace/shop created\nconfigmap/settings created\nsecret/creds created\ndeployment.apps/web created\nservice/web created\npod/debug created\n');
  const ready = await kubectl('wait', '--for=condition=Ready', 'pods', '--all', '-n', 'shop', '--timeout=60s');
  assert.equal(ready.code, 0, ready.stderr);
  await kubectl('wait', '--for=condition=Available', 'deployment/web', '-n', 'shop', '--timeout=60s');
});

/** Waits until every node is Ready and the node controller has lifted the not-ready taints. */
async function clusterSettled(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const taints = await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].spec.taints[*].key}');
    if (taints.code === 0 && taints.stdout.split(' ').filter((k) => k === 'node.kubernetes.io/not-ready').length === 0 && taints.stdout.includes('control-plane')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the cluster did not settle:\n${d.output()}`);
}
after(async () => {
  await d.stop();
  files.remove();
});

test('api-resources lists every served resource from discovery', async () => {
  const res = await kubectl('api-resources');
  assert.equal(res.code, 0, res.stderr);
  assertGolden('e2e/testdata/api-resources.txt', res.stdout);
});

test('get prints the server Tables for several kinds', async () => {
  const res = await kubectl('get', 'deploy,svc,cm,secret', '-n', 'shop');
  assert.equal(res.code, 0, res.stderr);
  const ip = await clusterIP('web');
  const ipCol = (s: string): string => s.padEnd(Math.max('CLUSTER-IP'.length, ip.length) + 3);
  assert.equal(maskAge(res.stdout), [
    'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
    'deployment.apps/web   2/2     2            2           <age>',
    '',
    `NAME          TYPE        ${ipCol('CLUSTER-IP')}EXTERNAL-IP   PORT(S)   AGE`,
    `service/web   ClusterIP   ${ipCol(ip)}<none>        80/TCP    <age>`,
    '',
    'NAME                         DATA   AGE',
    'configmap/kube-root-ca.crt   1      <age>',
    'configmap/settings           2      <age>',
    '',
    'NAME           TYPE     DATA   AGE',
    'secret/creds   Opaque   1      <age>',
    '',
  ].join('\n'));
});

/**
 * Masks the Age cell of describe's Events rows (scheduler retries make it timing-dependent) and
 * collapses the column padding that depends on it.
 */
function maskEventAges(text: string): string {
  const at = text.indexOf('\nEvents:\n');
  if (at < 0) return text;
  const rows = text.slice(at).split('\n').map((line) => {
    const m = /^  (Normal|Warning) +(\S+) +(.+?) {2,}(\S+) {2,}(.*)$/.exec(line);
    if (m) return `  ${m[1]}  ${m[2]}  <age>  ${m[4]}  ${m[5]}`;
    return line.startsWith('  ') ? line.replace(/ {2,}/g, '  ') : line;
  });
  return text.slice(0, at) + rows.join('\n');
}

async function clusterIP(svc: string): Promise<string> {
  const res = await kubectl('get', 'svc', svc, '-n', 'shop', '-o', 'jsonpath={.spec.clusterIP}');
  assert.match(res.stdout, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  return res.stdout;
}

test('get -o wide adds the priority-1 columns', async () => {
  const res = await kubectl('get', 'pods', '-n', 'shop', '-o', 'wide');
  // The ReplicaSet controller names the deployment's pods <rs>-<5 random chars>.
  const masked = maskAge(res.stdout).replace(/web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}/g, 'web-<hash>-<id>');
  // Placement and pod IPs depend on which pod the scheduler takes first; their shape does not.
  const [header, ...rows] = masked.trimEnd().split('\n');
  assert.equal(header, 'NAME                  READY   STATUS    RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES');
  assert.deepEqual(rows.map((r) => r.split(/\s+/)[0]), ['debug', 'web-<hash>-<id>', 'web-<hash>-<id>']);
  for (const row of rows) assert.match(row, /^(debug  |web-<hash>-<id>) +1\/1 {5}Running {3}0 {10}<age> {3}10\.244\.[12]\.\d {3}node0[12] {3}<none> {11}<none>$/);
});

test('get -o name, -o jsonpath, -o json and -A -l', async () => {
  assert.equal((await kubectl('get', 'cm', '-n', 'shop', '-o', 'name')).stdout, 'configmap/kube-root-ca.crt\nconfigmap/settings\n');
  assert.equal((await kubectl('get', 'cm', 'settings', '-n', 'shop', '-o', 'jsonpath={.data.mode}')).stdout, 'fast');
  const secret = JSON.parse((await kubectl('get', 'secret', 'creds', '-n', 'shop', '-o', 'json')).stdout);
  assert.deepEqual(secret.data, { user: Buffer.from('admin').toString('base64') });
  assert.equal(secret.stringData, undefined);
  const all = await kubectl('get', 'cm', '-A', '-l', 'app=shop');
  assert.equal(maskAge(all.stdout), 'NAMESPACE   NAME       DATA   AGE\nshop        settings   2      <age>\n');
  const none = await kubectl('get', 'cm', '-n', 'shop', '-l', 'app=nothing');
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, 'No resources found in shop namespace.\n');
});

test('get -o yaml prints the stored object with apiserver metadata', async () => {
  const res = await kubectl('get', 'deploy', 'web', '-n', 'shop', '-o', 'yaml');
  const masked = res.stdout
    .replace(/creationTimestamp: "[^"]+"/g, 'creationTimestamp: "<time>"')
    .replace(/resourceVersion: "\d+"/g, 'resourceVersion: "<rv>"')
    .replace(/uid: [0-9a-f-]{36}/g, 'uid: <uid>')
    // The controllers' conditions carry wall-clock times.
    .replace(/(lastTransitionTime|lastUpdateTime): "[^"]+"/g, '$1: "<time>"');
  assertGolden('e2e/testdata/deployment-web.yaml', masked);
});

test('label and annotate patch the object; a clash needs --overwrite', async () => {
  assert.equal((await kubectl('label', 'cm', 'settings', '-n', 'shop', 'env=prod')).stdout, 'configmap/settings labeled\n');
  const clash = await kubectl('label', 'cm', 'settings', '-n', 'shop', 'tier=be');
  assert.equal(clash.code, 1);
  assert.equal(clash.stderr, "error: 'tier' already has a value (fe), and --overwrite is false\n");
  assert.equal((await kubectl('label', 'cm', 'settings', '-n', 'shop', 'tier=be', '--overwrite')).stdout, 'configmap/settings labeled\n');
  assert.equal((await kubectl('annotate', 'cm', 'settings', '-n', 'shop', 'note=hello')).stdout, 'configmap/settings annotated\n');
  const shown = await kubectl('get', 'cm', 'settings', '-n', 'shop', '--show-labels');
  assert.equal(maskAge(shown.stdout), 'NAME       DATA   AGE   LABELS\nsettings   2      <age>   app=shop,env=prod,tier=be\n');
  const describe = await kubectl('describe', 'cm', 'settings', '-n', 'shop');
  assert.equal(describe.code, 0, describe.stderr);
  assertGolden('e2e/testdata/describe-configmap.txt', describe.stdout);
});

test('describe, label and annotate work on deployments, services, secrets and pods', async () => {
  assert.equal((await kubectl('label', 'deploy', 'web', '-n', 'shop', 'team=blue')).stdout, 'deployment.apps/web labeled\n');
  assert.equal((await kubectl('annotate', 'svc', 'web', '-n', 'shop', 'owner=ops')).stdout, 'service/web annotated\n');
  assert.equal((await kubectl('label', 'pod', 'debug', '-n', 'shop', 'run-')).stdout, 'pod/debug unlabeled\n');
  for (const [kind, name] of [['deploy', 'web'], ['svc', 'web'], ['secret', 'creds'], ['pod', 'debug']] as const) {
    const res = await kubectl('describe', kind, name, '-n', 'shop');
    assert.equal(res.code, 0, res.stderr);
    // Which worker a pod lands on (a scoring tie) and how long its pull waited depend on timing.
    const masked = maskEventAges(res.stdout.replace(/(Start Time|CreationTimestamp|Started):( +).*/g, '$1:$2<time>'))
      .replace(/node0[12]\/172\.30\.1\.[34]/g, '<node>/<node-ip>')
      .replace(/\bnode0[12]\b/g, '<node>')
      .replace(/10\.244\.[12]\.\d+/g, '<pod-ip>')
      .replace(/in \S+ \(\S+ including waiting\)/g, 'in <duration> (<duration> including waiting)');
    assertGolden(`e2e/testdata/describe-${kind}.txt`, masked);
  }
});

test('get all lists the workload kinds of a namespace', async () => {
  const res = await kubectl('get', 'all', '-n', 'shop');
  assert.equal(res.code, 0, res.stderr);
  // --random-seed makes the cluster IP part of the reviewed output.
  assertGolden('e2e/testdata/get-all.txt', maskAge(res.stdout));
});

test('--dry-run=server answers like a create but stores nothing', async () => {
  const extra = file('extra.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra, namespace: shop}\ndata: {a: b}\n');
  const res = await kubectl('create', '-f', extra, '--dry-run=server');
  assert.equal(res.stdout, 'configmap/extra created (server dry run)\n');
  const get = await kubectl('get', 'cm', 'extra', '-n', 'shop');
  assert.equal(get.code, 1);
  assert.equal(get.stderr, 'Error from server (NotFound): configmaps "extra" not found\n');
});

test('an invalid object prints the apiserver error', async () => {
  const bad = file('bad.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: bad, namespace: shop}\nspec:\n  replicas: -1\n  selector: {matchLabels: {app: bad}}\n  template:\n    metadata: {labels: {app: bad}}\n    spec: {containers: [{name: c, image: nginx}]}\n');
  const res = await kubectl('create', '-f', bad);
  assert.equal(res.code, 1);
  assert.equal(res.stderr, 'The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
  const strict = file('strict.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict, namespace: shop}\ndatas: {a: b}\n');
  const res2 = await kubectl('create', '-f', strict);
  assert.equal(res2.code, 1);
  assert.equal(res2.stderr, `Error from server (BadRequest): error when creating "${strict}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datas"\n`);
});

test('get -w prints the initial rows, then each change', async () => {
  const child = spawn(await kubectlPath(), ['--kubeconfig', d.kubeconfig, 'get', 'cm', 'settings', '-n', 'shop', '-w', '--show-labels'], { env: { PATH: process.env['PATH'] ?? '', HOME: d.home } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  const waitFor = async (n: number): Promise<void> => {
    for (let i = 0; i < 200 && out.split('\n').length - 1 < n; i++) await new Promise((r) => setTimeout(r, 50));
  };
  await waitFor(2);
  await kubectl('label', 'cm', 'settings', '-n', 'shop', 'watched=yes');
  await waitFor(3);
  child.kill('SIGTERM');
  // The AGE column is as wide as the longest age, which depends on how long the run took.
  const lines = maskAge(out).split('\n').map((l) => l.replace(/ {2,}/g, '  '));
  assert.equal(lines[0], 'NAME  DATA  AGE  LABELS');
  assert.equal(lines[1], 'settings  2  <age>  app=shop,env=prod,tier=be');
  assert.equal(lines[2], 'settings  2  <age>  app=shop,env=prod,tier=be,watched=yes');
});

test('get --raw serves discovery documents', async () => {
  const v1 = JSON.parse((await kubectl('get', '--raw', '/api/v1')).stdout);
  assert.equal(v1.kind, 'APIResourceList');
  const eviction = v1.resources.find((r: { name: string }) => r.name === 'pods/eviction');
  assert.deepEqual({ kind: eviction.kind, group: eviction.group, version: eviction.version }, { kind: 'Eviction', group: 'policy', version: 'v1' });
  const apps = JSON.parse((await kubectl('get', '--raw', '/apis/apps/v1')).stdout);
  assert.ok(apps.resources.some((r: { name: string }) => r.name === 'deployments/scale'));
});

test('delete prints the v1.35 message; missing objects are NotFound', async () => {
  assert.equal((await kubectl('delete', 'cm', 'settings', '-n', 'shop')).stdout, 'configmap "settings" deleted from shop namespace\n');
  const again = await kubectl('delete', 'cm', 'settings', '-n', 'shop');
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'Error from server (NotFound): configmaps "settings" not found\n');
  const system = await kubectl('delete', 'ns', 'kube-system');
  assert.equal(system.stderr, 'Error from server (Forbidden): namespaces "kube-system" is forbidden: this namespace may not be deleted\n');
  const ns = await kubectl('delete', 'ns', 'shop');
  assert.equal(ns.stdout, 'namespace "shop" deleted\n');
  const gone = await kubectl('get', 'ns', 'shop');
  assert.equal(gone.stderr, 'Error from server (NotFound): namespaces "shop" not found\n');
  const list = await kubectl('get', 'ns');
  assert.equal(maskAge(list.stdout), [
    'NAME              STATUS   AGE',
    'default           Active   <age>',
    'kube-node-lease   Active   <age>',
    'kube-public       Active   <age>',
    'kube-system       Active   <age>',
    '',
  ].join('\n'));
});
