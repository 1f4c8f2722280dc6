/**
 * `kd rollout` against the real kubectl v1.35.2 on one daemon. Twin Deployments, DaemonSets and
 * StatefulSets live in two namespaces; kubectl acts in one and kd in the other, and their outputs
 * must be identical once the namespace is masked. Every streaming `rollout status` compared here
 * runs on a settled object, so it prints exactly one line.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['roll-a', 'roll-b'];
const WORKLOADS = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
      - name: agent
        image: busybox:1.36
        command: [sleep, infinity]
        ports: [{containerPort: 8080}]
        env: [{name: MODE, value: fast}]
        resources: {requests: {cpu: 50m, memory: 32Mi}}
        volumeMounts: [{name: scratch, mountPath: /scratch}]
      volumes: [{name: scratch, emptyDir: {}}]
      tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "nginx:1.27"}]
`;

let d: Daemon;
const { ok, getJson } = e2e(() => d);

/** Runs kubectl `rollout status` in both namespaces so the next case sees settled objects. */
async function settle(ref: string): Promise<void> {
  for (const ns of NS) await ok('rollout', 'status', ref, '-n', ns, '--timeout=90s');
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '-n', ns);
    await ok('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s');
    await ok('annotate', 'deployment/web', 'kubernetes.io/change-cause=create web', '-n', ns);
    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.26', '-n', ns);
    const apply = await import('../../support/daemon.js').then((m) => m.runKubectl(d, ['apply', '-n', ns, '-f', '-'], { stdin: WORKLOADS }));
    assert.equal(apply.code, 0, apply.stderr);
  }
  await settle('deployment/web');
  await settle('daemonset/agent');
  await settle('statefulset/db');
});
after(async () => {
  await d.stop();
});

const same = (args: (ns: string) => string[]) => assertSameInNamespaces(d, args, NS);

/** Each case: the arguments and kubectl's exit code, compared in order (later cases build on earlier ones). */
const CASES: Array<[string, (ns: string) => string[], number]> = [
  ['status of a settled deployment', (ns) => ['rollout', 'status', 'deployment/web', '-n', ns], 0],
  ['status --watch=false', (ns) => ['rollout', 'status', 'deploy/web', '--watch=false', '-n', ns], 0],
  ['status -w=false with a type and a name', (ns) => ['rollout', 'status', 'deploy', 'web', '-w=false', '-n', ns], 0],
  ['status of a type lists it', (ns) => ['rollout', 'status', 'deployments', '-n', ns], 0],
  ['status --revision mismatch', (ns) => ['rollout', 'status', 'deploy/web', '--revision=5', '-n', ns], 1],
  ['status --revision=2 matches', (ns) => ['rollout', 'status', 'deploy/web', '--revision=2', '-n', ns], 0],
  ['status --revision=-1', (ns) => ['rollout', 'status', 'deploy/web', '--revision=-1', '-n', ns], 1],
  ['status --timeout=abc', (ns) => ['rollout', 'status', 'deploy/web', '--timeout=abc', '-n', ns], 1],
  ['status of a missing deployment', (ns) => ['rollout', 'status', 'deploy/nope', '-n', ns], 1],
  ['status of a kind without a viewer', (ns) => ['rollout', 'status', 'configmap', 'kube-root-ca.crt', '-n', ns], 1],
  ['status with a name and a selector', (ns) => ['rollout', 'status', 'deploy/web', '-l', 'app=web', '-n', ns], 1],
  ['status of a daemonset', (ns) => ['rollout', 'status', 'ds/agent', '-n', ns], 0],
  ['status of a statefulset', (ns) => ['rollout', 'status', 'sts/db', '-n', ns], 0],
  ['history table', (ns) => ['rollout', 'history', 'deployment/web', '-n', ns], 0],
  ['history of a type', (ns) => ['rollout', 'history', 'deploy', '-n', ns], 0],
  ['history --revision=1 with its change-cause', (ns) => ['rollout', 'history', 'deployment/web', '--revision=1', '-n', ns], 0],
  ['history --revision=9', (ns) => ['rollout', 'history', 'deployment/web', '--revision=9', '-n', ns], 1],
  ['history --revision=abc', (ns) => ['rollout', 'history', 'deployment/web', '--revision=abc', '-n', ns], 1],
  ['history of pods: one error per pod', (ns) => ['rollout', 'history', 'pods', '-l', 'app=web', '-n', ns], 1],
  ['history of a configmap', (ns) => ['rollout', 'history', 'cm/kube-root-ca.crt', '-n', ns], 1],
  ['history of a daemonset', (ns) => ['rollout', 'history', 'daemonset/agent', '-n', ns], 0],
  ['daemonset revision with ports, env, resources, mounts, volumes, tolerations', (ns) => ['rollout', 'history', 'daemonset/agent', '--revision=1', '-n', ns], 0],
  ['history of a statefulset', (ns) => ['rollout', 'history', 'statefulset/db', '-n', ns], 0],
  ['statefulset revision', (ns) => ['rollout', 'history', 'statefulset/db', '--revision=1', '-n', ns], 0],
  ['undo of a daemonset without an earlier revision', (ns) => ['rollout', 'undo', 'daemonset/agent', '-n', ns], 1],
  ['undo --dry-run=client prints the template', (ns) => ['rollout', 'undo', 'deployment/web', '--dry-run=client', '-n', ns], 0],
  ['undo to an unknown revision', (ns) => ['rollout', 'undo', 'deployment/web', '--to-revision=9', '-n', ns], 1],
  ['undo to a negative revision', (ns) => ['rollout', 'undo', 'deployment/web', '--to-revision=-1', '-n', ns], 1],
  ['undo to the current revision is skipped', (ns) => ['rollout', 'undo', 'deployment/web', '--to-revision=2', '-n', ns], 0],
  ['undo of a configmap', (ns) => ['rollout', 'undo', 'cm/kube-root-ca.crt', '-n', ns], 1],
  ['pause', (ns) => ['rollout', 'pause', 'deployment/web', '-n', ns], 0],
  ['pause again', (ns) => ['rollout', 'pause', 'deployment/web', '-n', ns], 1],
  ['undo of a paused deployment', (ns) => ['rollout', 'undo', 'deployment/web', '-n', ns], 1],
  ['restart of a paused deployment', (ns) => ['rollout', 'restart', 'deployment/web', '-n', ns], 1],
  ['pause of a daemonset and a missing deployment', (ns) => ['rollout', 'pause', 'ds/agent', 'deploy/nope', '-n', ns], 1],
  ['resume of a statefulset', (ns) => ['rollout', 'resume', 'statefulset/db', '-n', ns], 1],
  ['resume -o name', (ns) => ['rollout', 'resume', 'deployment/web', '-o', 'name', '-n', ns], 0],
  ['resume again', (ns) => ['rollout', 'resume', 'deployment/web', '-n', ns], 1],
  ['undo to the previous revision', (ns) => ['rollout', 'undo', 'deployment/web', '-n', ns], 0],
  ['restart of a configmap', (ns) => ['rollout', 'restart', 'configmap/kube-root-ca.crt', '-n', ns], 1],
  ['no resource', (ns) => ['rollout', 'pause', '-n', ns], 1],
];

for (const [name, args, code] of CASES) {
  test(`rollout: ${name}`, async () => {
    const r = await same(args);
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('rollout: the undone deployment settles on the restored template and history', async () => {
  await settle('deployment/web');
  await same((ns) => ['rollout', 'status', 'deployment/web', '-n', ns]);
  const r = await same((ns) => ['rollout', 'history', 'deployment/web', '-n', ns]);
  assert.match(r.stdout, /^3 +create web$/m);
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.equal(b.spec.template.spec.containers[0].image, 'nginx:1.27');
  assert.deepEqual(b.metadata.annotations['kubernetes.io/change-cause'], a.metadata.annotations['kubernetes.io/change-cause']);
});

test('rollout: restart stamps the template and starts a new revision', async () => {
  const r = await same((ns) => ['rollout', 'restart', 'deployment/web', 'daemonset/agent', 'sts/db', '-n', ns]);
  assert.equal(r.code, 0);
  await settle('deployment/web');
  const dep = await getJson(`/apis/apps/v1/namespaces/${NS[1]}/deployments/web`);
  assert.match(dep.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  await same((ns) => ['rollout', 'history', 'deployment/web', '-n', ns]);
});

test('rollout: unknown subcommand', async () => {
  const r = await assertSameAsKubectl(d, ['rollout', 'frobnicate']);
  assert.equal(r.code, 1);
});
