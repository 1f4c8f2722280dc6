/**
 * `kd apply` and `kd replace` against the real kubectl v1.35.2 on one daemon: kubectl applies in
 * one namespace and kd in its twin, so create, configure (three-way patch), unchanged, server-side
 * apply, dry runs and the errors must print the same, and leave the same objects behind.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, getJson } = e2e(() => d);
const NS: [string, string] = ['apply-a', 'apply-b'];

const WEB_V1 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web, remove-me: "x"}
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: a
        image: nginx:1.27
        args: ["x", "y"]
        ports: [{containerPort: 80}, {containerPort: 81}]
        env: [{name: E1, value: "1"}, {name: E2, value: "2"}]
      - name: b
        image: busybox
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: {a: "1", b: "2"}
`;
const WEB_V2 = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: a
        image: nginx:1.28
        args: ["x", "z"]
        ports: [{containerPort: 80}]
        env: [{name: E2, value: "2"}, {name: E1, value: "1"}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: {a: "1"}
`;
const STRICT = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\nbogus: 1\n';
const INVALID = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: bad\nspec:\n  replicas: -1\n  selector:\n    matchLabels: {app: bad}\n  template:\n    metadata:\n      labels: {app: bad}\n    spec:\n      containers: [{name: c, image: nginx}]\n';
const OTHER_NS = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: elsewhere\n  namespace: default\n';
const UNKNOWN = 'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n';
/** Generated fields that differ between the twins. */
const maskGenerated = (t: string) => t.replace(/(uid|resourceVersion|creationTimestamp|time|lastTransitionTime|lastUpdateTime): .*/g, '$1: X');

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) await ok('create', 'namespace', ns);
});
after(async () => {
  await d.stop();
});

const twin = (args: (ns: string) => string[], stdin: string, mask?: (t: string) => string) => assertSameInNamespaces(d, args, NS, { stdin, mask });
const live = (path: (ns: string) => string) => Promise.all(NS.map((ns) => getJson(path(ns))));

test('kd apply: dry runs, create, unchanged, then a three-way patch', async () => {
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns, '--dry-run=client'], WEB_V1)).code, 0);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns, '--dry-run=server', '-o', 'name'], WEB_V1)).code, 0);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], WEB_V1)).stdout, 'deployment.apps/web created\nconfigmap/cfg created\n');
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], WEB_V1)).stdout, 'deployment.apps/web unchanged\nconfigmap/cfg unchanged\n');
  await twin((ns) => ['apply', '-f', '-', '-n', ns, '--dry-run=client'], WEB_V2);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], WEB_V2)).stdout, 'deployment.apps/web configured\nconfigmap/cfg configured\n');
  const [a, b] = await live((ns) => `/apis/apps/v1/namespaces/${ns}/deployments/web`);
  assert.deepEqual(b.spec, a.spec);
  assert.deepEqual(b.metadata.labels, a.metadata.labels);
  assert.equal(b.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'], a.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'].replaceAll(NS[0], NS[1]));
  const [ca, cb] = await live((ns) => `/api/v1/namespaces/${ns}/configmaps/cfg`);
  assert.deepEqual(cb.data, ca.data);
});

test('kd apply -o yaml prints a List of the applied objects', async () => {
  await twin((ns) => ['apply', '-f', '-', '-n', ns, '-o', 'yaml'], WEB_V2, maskGenerated);
});

test('kd apply of objects created without apply warns and patches the annotation', async () => {
  for (const ns of NS) await ok('create', 'configmap', 'plain', '--from-literal=a=1', '-n', ns);
  const want = await twin((ns) => ['apply', '-f', '-', '-n', ns], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  a: "2"\n');
  assert.match(want.stderr, /missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
});

test('kd apply --server-side, with and without conflicts', async () => {
  await twin((ns) => ['apply', '-f', '-', '-n', ns, '--server-side', '--dry-run=server'], WEB_V1);
  await twin((ns) => ['apply', '-f', '-', '-n', ns, '--server-side'], WEB_V1);
  await twin((ns) => ['apply', '-f', '-', '-n', ns, '--server-side', '--force-conflicts'], WEB_V1);
  const [a, b] = await live((ns) => `/apis/apps/v1/namespaces/${ns}/deployments/web`);
  assert.deepEqual(b.spec.template.spec.containers.map((c: any) => c.image), a.spec.template.spec.containers.map((c: any) => c.image));
});

test('kd apply errors: strict validation, Invalid, namespace mismatch, unknown kinds, no -f', async () => {
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], STRICT)).code, 1);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns, '--validate=false'], STRICT)).code, 0);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], INVALID)).code, 1);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], OTHER_NS)).code, 1);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns], UNKNOWN)).code, 1);
  assert.equal((await twin((ns) => ['apply', '-f', '-', '-n', ns, '--validate=false'], UNKNOWN)).code, 1);
  assert.equal((await assertSameAsKubectl(d, ['apply'])).code, 1);
  assert.equal((await assertSameAsKubectl(d, ['apply', '-f', 'nowhere.yaml'])).code, 1);
  assert.equal((await assertSameAsKubectl(d, ['apply', '-f', '-', '--validate=bogus'], { stdin: STRICT })).code, 1);
});

test('kd replace: PUT, --force, dry run and NotFound', async () => {
  assert.equal((await twin((ns) => ['replace', '-f', '-', '-n', ns], WEB_V1)).code, 0);
  assert.equal((await twin((ns) => ['replace', '-f', '-', '-n', ns, '--dry-run=server', '-o', 'name'], WEB_V2)).code, 0);
  assert.equal((await twin((ns) => ['replace', '-f', '-', '-n', ns, '--force'], WEB_V2)).code, 0);
  const [a, b] = await live((ns) => `/apis/apps/v1/namespaces/${ns}/deployments/web`);
  assert.deepEqual(b.spec.template.spec.containers, a.spec.template.spec.containers);
  assert.equal((await twin((ns) => ['replace', '-f', '-', '-n', ns], INVALID)).code, 1);
  assert.equal((await twin((ns) => ['replace', '-f', '-', '-n', ns], OTHER_NS)).code, 1);
  assert.equal((await assertSameAsKubectl(d, ['replace'])).code, 1);
});
