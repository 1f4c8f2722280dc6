/**
 * `kd drain` against the real kubectl v1.35.2 on one daemon. Each namespace of a twin pair holds
 * the same pods pinned to node01 and labelled `home=<namespace>`, so `--pod-selector` confines
 * kubectl to one twin and kd to the other; node01 is uncordoned before every run so both print
 * the same cordon line. Cases whose error groups kubectl prints in Go's random map order are left
 * to the e2e drain test.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { maskAge, runKubectl, startDaemon, type Daemon, type RunResult } from '../../support/daemon.js';
import { assertSameAsKubectl, runKd } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['drain-a', 'drain-b'];

/** A bare pod, an emptyDir pod and a one-replica Deployment guarded by a PDB, all on node01. */
const twins = (ns: string) => `apiVersion: v1
kind: Pod
metadata: {name: bare, namespace: ${ns}, labels: {home: ${ns}, kind: bare}}
spec:
  nodeName: node01
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: "nginx:1.27"}]
---
apiVersion: v1
kind: Pod
metadata: {name: scratch, namespace: ${ns}, labels: {home: ${ns}, kind: scratch}}
spec:
  nodeName: node01
  terminationGracePeriodSeconds: 1
  containers: [{name: app, image: "nginx:1.27", volumeMounts: [{name: tmp, mountPath: /tmp}]}]
  volumes: [{name: tmp, emptyDir: {}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: guarded, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: guarded}}
  template:
    metadata: {labels: {app: guarded, home: ${ns}, kind: guarded}}
    spec:
      nodeSelector: {kubernetes.io/hostname: node01}
      containers: [{name: app, image: "nginx:1.27"}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: guarded, namespace: ${ns}}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: guarded}}
`;

let d: Daemon;
const { ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    const r = await runKubectl(d, ['apply', '-f', '-'], { stdin: twins(ns) });
    assert.equal(r.code, 0, r.stderr);
    await ok('rollout', 'status', 'deployment/guarded', '-n', ns, '--timeout=90s');
    await ok('wait', '--for=condition=Ready', 'pod/bare', 'pod/scratch', '-n', ns, '--timeout=90s');
  }
  await waitFor('both PDBs allow no disruption', async () => {
    const pdbs = await Promise.all(NS.map((ns) => getJson(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/guarded`)));
    return pdbs.every((p) => p.status?.observedGeneration === p.metadata.generation && p.status.currentHealthy === 1 && p.status.disruptionsAllowed === 0);
  });
});
after(async () => {
  await d.stop();
});

/** Generated pod names and the namespace replaced by placeholders. */
const mask = (ns: string) => (text: string) => maskAge(text.replaceAll(ns, 'NAMESPACE').replace(/\bguarded-[a-z0-9]+-[a-z0-9]{5}\b/g, 'guarded-<pod>'));

/**
 * kubectl drains node01 for the first twin and kd for the second, node01 uncordoned before each;
 * returns kubectl's masked result after asserting kd's is the same.
 */
async function sameDrain(extra: (ns: string) => string[]): Promise<RunResult> {
  const results: RunResult[] = [];
  for (const [i, ns] of NS.entries()) {
    await ok('uncordon', 'node01');
    const args = ['drain', 'node01', ...extra(ns)];
    const r = i === 0 ? await runKubectl(d, args) : await runKd(d, args);
    results.push({ stdout: mask(ns)(r.stdout), stderr: mask(ns)(r.stderr), code: r.code });
  }
  await ok('uncordon', 'node01');
  assert.deepEqual(results[1], results[0], 'kd drain differs from kubectl drain');
  return results[0]!;
}

test('drain refuses a pod without a controller', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=bare`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot delete cannot delete Pods that declare no controller/);
});

test('drain refuses a pod with local storage', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=scratch`, '--force']);
  assert.equal(r.code, 1);
});

test('drain --dry-run=client lists the evictions and changes nothing', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind in (bare,scratch)`, '--force', '--delete-emptydir-data', '--dry-run=client']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /evicting pod NAMESPACE\/bare \(dry run\)/);
});

test('drain --dry-run=server sends dry-run evictions', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=bare`, '--force', '--dry-run=server']);
  assert.equal(r.code, 0);
  for (const ns of NS) await getJson(`/api/v1/namespaces/${ns}/pods/bare`);
});

test('drain retries the evictions a PDB refuses until --timeout', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=guarded`, '--timeout=7s']);
  assert.equal(r.code, 1);
  // maskAge also masks the Go durations `5s` and `7s`.
  assert.match(r.stderr, /will retry after (5s|<age>)\): Cannot evict pod as it would violate the pod's disruption budget\./);
  assert.match(r.stderr, /global timeout reached: (7s|<age>)/);
});

test('drain evicts a bare pod with --force', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=bare`, '--force']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^pod\/bare evicted$/m);
});

test('drain --disable-eviction deletes the emptyDir pod', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=scratch`, '--force', '--delete-emptydir-data', '--disable-eviction', '--grace-period=0']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^pod\/scratch deleted$/m);
});

test('drain with nothing left to evict', async () => {
  const r = await sameDrain((ns) => ['--pod-selector', `home=${ns},kind=bare`]);
  assert.equal(r.code, 0);
});

/** Argument errors: nothing is cordoned, so both run against the same state. */
const ERRORS: string[][] = [
  ['drain'],
  ['drain', 'nope'],
  ['drain', 'node01', '-l', 'x=y'],
  ['drain', 'node01', '--grace-period=abc'],
  ['drain', 'node01', '--timeout=abc'],
  ['drain', 'node01', '--dry-run=bad'],
];

test('drain of a selector that matches no node does nothing', async () => {
  const r = await assertSameAsKubectl(d, ['drain', '-l', 'nothing=here']);
  assert.deepEqual([r.stdout, r.stderr, r.code], ['', '', 0]);
});

for (const args of ERRORS) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args);
    assert.notEqual(r.stdout + r.stderr, '');
  });
}
