/**
 * `kubectl top` and the HPA through the real kubectl v1.35.2: metrics.k8s.io in discovery, the
 * simulated metrics-server's numbers (idle nginx, stress --vm-bytes, a CPU-limited busy loop),
 * sorting, containers, namespaces, the "not available yet" paths, and an HPA scaling a busy
 * Deployment. Pod names are masked to a fixed-width placeholder so columns keep their widths.
 * kubeadm's kube-system (control-plane mirror pods, CoreDNS, kube-proxy) is running and measured
 * like any other pods, so node usage is the node's own overhead plus theirs.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { maskAge, runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';

let d: Daemon;
const { kubectl, ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
});

const WORKLOADS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: 'nginx:1.27', resources: {requests: {cpu: 100m}}}
---
apiVersion: v1
kind: Pod
metadata: {name: stress}
spec:
  containers:
  - name: memory-demo
    image: polinux/stress
    command: [stress]
    args: [--vm, '1', --vm-bytes, 150M, --vm-hang, '1']
    resources: {limits: {memory: 200Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  containers:
  - name: hog
    image: busybox:1.36
    command: [sh, -c, 'while true; do :; done']
    resources: {limits: {cpu: 250m}}
  - name: sidecar
    image: busybox:1.36
    command: [sleep, '3600']
`;

const HOGS = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: hogs}
spec:
  replicas: 1
  selector: {matchLabels: {app: hogs}}
  template:
    metadata: {labels: {app: hogs}}
    spec:
      containers:
      - name: hog
        image: busybox:1.36
        command: [sh, -c, 'while true; do :; done']
        resources: {requests: {cpu: 200m}, limits: {cpu: 250m}}
`;

/** Generated pod names (ReplicaSet and DaemonSet pods), replaced by a placeholder of the same width. */
const maskPods = (s: string): string => s
  .replace(/\b(web|hogs|coredns)-[a-z0-9]{8,10}-[a-z0-9]{5}\b/g, (m) => m.replace(/-.*$/, '-') + 'x'.repeat(m.length - m.indexOf('-') - 1))
  .replace(/\bkube-proxy-[a-z0-9]{5}\b/g, 'kube-proxy-xxxxx');

const NANO: Record<string, number> = { n: 1, u: 1e3, m: 1e6, '': 1e9 };
const BYTES: Record<string, number> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
const cpuNano = (q: string): number => Number(/^\d+/.exec(q)![0]) * NANO[q.replace(/^\d+/, '')]!;
const memBytes = (q: string): number => Number(/^\d+/.exec(q)![0]) * BYTES[q.replace(/^\d+/, '')]!;

let idleNodes: Map<string, { cpu: number; memory: number }>;

test('metrics.k8s.io is discovered and an idle cluster shows the node baselines', async () => {
  assert.equal(
    await ok('api-resources', '--api-group=metrics.k8s.io'),
    'NAME    SHORTNAMES   APIVERSION               NAMESPACED   KIND\nnodes                metrics.k8s.io/v1beta1   false        NodeMetrics\npods                 metrics.k8s.io/v1beta1   true         PodMetrics\n',
  );
  // The idle baseline includes kube-system: measure once every system pod runs.
  await ok('wait', '--for=condition=Ready', 'pods', '--all', '-n', 'kube-system', '--timeout=60s');
  const out = await waitFor('node metrics', async () => {
    const r = await kubectl('top', 'nodes');
    if (r.code !== 0) assert.equal(r.stderr, 'error: metrics not available yet\n');
    return r.code === 0 && r.stdout;
  });
  assert.equal(out, [
    'NAME           CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ',
    'controlplane   161m         4%       1225Mi          15%         ',
    'node01         42m          1%       527Mi           6%          ',
    'node02         42m          1%       527Mi           6%          ',
    '',
  ].join('\n'));
  assert.equal(await ok('top', 'node', 'node01', '--no-headers'), 'node01   42m   1%    527Mi   6%    \n');
  assert.equal(await ok('top', 'nodes', '-l', 'node-role.kubernetes.io/control-plane', '--no-headers'), 'controlplane   161m   4%    1225Mi   15%   \n');
  assert.match(await ok('top', 'nodes', '--sort-by=memory', '--no-headers'), /^controlplane .*\nnode01 .*\nnode02 .*\n$/);
  const nope = await kubectl('top', 'node', 'nope');
  assert.deepEqual([nope.code, nope.stderr], [1, 'Error from server (NotFound): node "nope" not found\n']);
  const list = await getJson('/apis/metrics.k8s.io/v1beta1/nodes');
  assert.equal(list.kind, 'NodeMetricsList');
  idleNodes = new Map(list.items.map((n: any) => [n.metadata.name, { cpu: cpuNano(n.usage.cpu), memory: memBytes(n.usage.memory) }]));
});

test('top pods shows each program\'s usage: idle nginx, stress --vm-bytes, a CPU-limited busy loop', async () => {
  const r = await runKubectl(d, ['apply', '-f', '-'], { stdin: WORKLOADS });
  assert.equal(r.stdout, 'deployment.apps/web created\npod/stress created\npod/hog created\n');
  const before = await kubectl('top', 'pod', 'hog');
  if (before.code !== 0) assert.equal(before.stderr, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/hog" not found\n');
  const top = await waitFor('metrics of all 5 pods', async () => {
    const t = await kubectl('top', 'pods');
    return t.code === 0 && t.stdout.split('\n').length === 7 && t.stdout;
  });
  assert.equal(maskPods(top), [
    'NAME                   CPU(cores)   MEMORY(bytes)   ',
    'hog                    250m         1Mi             ',
    'stress                 0m           151Mi           ',
    'web-xxxxxxxxxxxxxxxx   1m           7Mi             ',
    'web-xxxxxxxxxxxxxxxx   1m           7Mi             ',
    'web-xxxxxxxxxxxxxxxx   1m           7Mi             ',
    '',
  ].join('\n'));
  const names = (s: string) => s.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]!.replace(/-.*/, ''));
  assert.deepEqual(names(await ok('top', 'pods', '--sort-by=cpu')), ['hog', 'web', 'web', 'web', 'stress']);
  assert.deepEqual(names(await ok('top', 'pods', '--sort-by=memory')), ['stress', 'web', 'web', 'web', 'hog']);
  assert.equal(await ok('top', 'pod', 'hog', '--containers'), [
    'POD   NAME      CPU(cores)   MEMORY(bytes)   ',
    'hog   hog       250m         0Mi             ',
    'hog   sidecar   0m           0Mi             ',
    '',
  ].join('\n'));
  assert.equal(maskPods(await ok('top', 'pods', '-l', 'app=web', '--no-headers')), 'web-xxxxxxxxxxxxxxxx   1m    7Mi   \n'.repeat(3));
  // kubectl get reads the same API as a Table (metrics-server's columns), by the kind's name too.
  // The first scrape after a container starts covers only its age (10–15 s), later ones 15 s.
  assert.match(await ok('get', 'podmetrics', 'hog'), /^NAME   CPU    MEMORY +WINDOW\nhog    250m   \d+Ki +(1[0-4](\.\d+)?|15)s\n$/);
  assert.match(await ok('get', 'nodemetrics', '--no-headers'), /^controlplane +\d+n +\d+Ki +15s\nnode01 +\d+n +\d+Ki +15s\nnode02 +\d+n +\d+Ki +15s\n$/);
  assert.equal(maskPods(await ok('top', 'pods', '-A')), [
    'NAMESPACE     NAME                                   CPU(cores)   MEMORY(bytes)   ',
    'default       hog                                    250m         1Mi             ',
    'default       stress                                 0m           151Mi           ',
    'default       web-xxxxxxxxxxxxxxxx                   1m           7Mi             ',
    'default       web-xxxxxxxxxxxxxxxx                   1m           7Mi             ',
    'default       web-xxxxxxxxxxxxxxxx                   1m           7Mi             ',
    'kube-system   coredns-xxxxxxxxxxxxxxxx               3m           14Mi            ',
    'kube-system   coredns-xxxxxxxxxxxxxxxx               3m           14Mi            ',
    'kube-system   etcd-controlplane                      19m          45Mi            ',
    'kube-system   kube-apiserver-controlplane            36m          260Mi           ',
    'kube-system   kube-controller-manager-controlplane   13m          50Mi            ',
    'kube-system   kube-proxy-xxxxx                       2m           18Mi            ',
    'kube-system   kube-proxy-xxxxx                       2m           18Mi            ',
    'kube-system   kube-proxy-xxxxx                       2m           18Mi            ',
    'kube-system   kube-scheduler-controlplane            4m           22Mi            ',
    '',
  ].join('\n'));
});

test('pods without metrics: NotFound for one pod, "metrics not available yet" for a selection, nothing in an empty namespace', async () => {
  await ok('run', 'badimg', '--image=nginx:0.0.404-nope');
  const one = await kubectl('top', 'pod', 'badimg');
  assert.deepEqual([one.code, one.stderr], [1, 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/badimg" not found\n']);
  const sel = await kubectl('top', 'pods', '-l', 'run=badimg');
  assert.deepEqual([sel.code, sel.stderr], [1, 'error: metrics not available yet\n']);
  const none = await kubectl('top', 'pod', 'nope');
  assert.deepEqual([none.code, none.stderr], [1, 'Error from server (NotFound): pods "nope" not found\n']);
  const empty = await kubectl('top', 'pods', '-n', 'kube-public');
  assert.deepEqual([empty.code, empty.stdout, empty.stderr], [0, '', 'No resources found in kube-public namespace.\n']);
  const bad = await kubectl('top', 'pods', '--sort-by=name');
  assert.deepEqual([bad.code, bad.stderr], [1, 'error: --sort-by accepts only cpu or memory\n']);
});

test('node usage is the idle baseline plus exactly the pods running on the node', async () => {
  // A container's first window may be shorter (its start is the first point); later ones are 15 s.
  await waitFor('a full window', async () => (await getJson('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/stress')).window === '15s');
  const nodes = await getJson('/apis/metrics.k8s.io/v1beta1/nodes');
  const pods = await getJson('/apis/metrics.k8s.io/v1beta1/namespaces/default/pods');
  const placement = await getJson('/api/v1/namespaces/default/pods');
  const nodeOf = new Map(placement.items.map((p: any) => [p.metadata.name, p.spec.nodeName]));
  const stress = pods.items.find((p: any) => p.metadata.name === 'stress');
  assert.equal(stress.kind, undefined, 'list items carry no kind');
  assert.deepEqual(stress.metadata.labels, undefined);
  assert.match(stress.containers[0].usage.memory, /^\d+Ki$/);
  for (const n of nodes.items) {
    const want = { ...idleNodes.get(n.metadata.name)! };
    for (const p of pods.items.filter((x: any) => nodeOf.get(x.metadata.name) === n.metadata.name)) {
      for (const c of p.containers) {
        want.cpu += cpuNano(c.usage.cpu);
        want.memory += memBytes(c.usage.memory);
      }
    }
    assert.deepEqual({ cpu: cpuNano(n.usage.cpu), memory: memBytes(n.usage.memory) }, want, n.metadata.name);
  }
});

test('an HPA scales a busy Deployment to maxReplicas; one without running pods shows <unknown>', async () => {
  const created = await runKubectl(d, ['apply', '-f', '-'], { stdin: HOGS });
  assert.equal(created.stdout, 'deployment.apps/hogs created\n');
  const out = await kubectl('autoscale', 'deployment', 'hogs', '--cpu=50%', '--min=1', '--max=4');
  assert.equal(out.stdout, 'horizontalpodautoscaler.autoscaling/hogs autoscaled\n');
  await waitFor('4 replicas', async () => (await ok('get', 'deploy', 'hogs', '-o', 'jsonpath={.status.readyReplicas}')) === '4');
  await waitFor('the HPA to see 4 replicas', async () => (await ok('get', 'hpa', 'hogs', '-o', 'jsonpath={.status.currentReplicas}')) === '4');
  assert.equal(maskAge(await ok('get', 'hpa', 'hogs')), 'NAME   REFERENCE         TARGETS         MINPODS   MAXPODS   REPLICAS   AGE\nhogs   Deployment/hogs   cpu: 125%/50%   1         4         4          <age>\n');
  const events = await ok('get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}');
  // A sync that comes before the first pod has two scrape points finds no metrics, as on a real
  // cluster; whether one does depends on timing, so those lines may or may not be there.
  const NO_METRICS = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
  const early = new Set([
    `FailedGetResourceMetric: ${NO_METRICS}`,
    `FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${NO_METRICS}`,
  ]);
  const lines = events.trimEnd().split('\n');
  for (const l of lines.filter((x) => !x.startsWith('SuccessfulRescale: '))) assert.ok(early.has(l), `unexpected HPA event: ${l}`);
  assert.deepEqual(lines.filter((x) => x.startsWith('SuccessfulRescale: ')), [
    'SuccessfulRescale: New size: 3; reason: cpu resource utilization (percentage of request) above target',
    'SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target',
  ]);
  // kubectl's HPA describer reads currentMetrics and the conditions the controller wrote.
  const describe = await ok('describe', 'hpa', 'hogs');
  for (const line of [
    /^  resource cpu on pods  \(as a percentage of request\):  125% \(250m\) \/ 50%$/m,
    /^Deployment pods: +4 current \/ 4 desired$/m,
    /^  AbleToScale     True    ReadyForNewScale  recommended size matches current size$/m,
    /^  ScalingActive   True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization \(percentage of request\)$/m,
    /^  ScalingLimited  True    TooManyReplicas   the desired replica count is more than the maximum replica count$/m,
  ]) assert.match(describe, line);
  await ok('create', 'deployment', 'broken', '--image=nginx:0.0.404-nope');
  await ok('autoscale', 'deployment', 'broken', '--max=3');
  await waitFor('the first sync', async () => (await ok('get', 'hpa', 'broken', '-o', 'jsonpath={.status.conditions[1].reason}')) === 'FailedGetResourceMetric');
  assert.equal(maskAge(await ok('get', 'hpa', 'broken')), 'NAME     REFERENCE           TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\nbroken   Deployment/broken   cpu: <unknown>/80%   1         3         1          <age>\n');
});
