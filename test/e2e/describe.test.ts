/**
 * `kubectl describe` for the kinds users practise on, through the real kubectl v1.35.2. kubectl
 * builds the text client side (staging/src/k8s.io/kubectl/pkg/describe/describe.go) from what the
 * server returns — the object, its events (fieldSelector involvedObject.*), the node Lease, pods by
 * spec.nodeName, owned ReplicaSets, EndpointSlices, PDB status — so each golden holds the whole
 * layout of a settled object; only times, ages, IDs, IPs and random name suffixes are masked.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { maskDescribe } from '../support/describe-mask.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';

let d: Daemon;
const files = tempFiles('kd-e2e-describe-');
const { kubectl, ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

async function describeGolden(name: string, ...args: string[]): Promise<string> {
  const out = maskDescribe(await ok('describe', ...args));
  assertGolden(`e2e/testdata/describe/${name}.txt`, out);
  return out;
}

/** Waits until every pod matching the selector is Running with all containers ready. */
async function podsReady(selector: string, count: number): Promise<void> {
  await waitFor(`${count} ready pods ${selector}`, async () => {
    const list = await getJson(`/api/v1/namespaces/default/pods?labelSelector=${encodeURIComponent(selector)}`);
    const ready = list.items.filter((p: any) => !p.metadata.deletionTimestamp && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    return list.items.length === count && ready.length === count;
  });
}

const pinned = (name: string, node: string, resources: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
  nodeSelector: {kubernetes.io/hostname: ${node}}
  containers:
  - name: app
    image: busybox:1.36
    command: [sleep, "3600"]
${resources}`;

test('describe node: lease, conditions, capacity, system info, pods on the node with request percentages, kubelet events', async () => {
  await ok('apply', '-f', files.file('res-a.yaml', pinned('res-a', 'node02', '    resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}\n')));
  await ok('apply', '-f', files.file('res-b.yaml', pinned('res-b', 'node02', '')));
  await podsReady('app in (res-a,res-b)', 2);
  const out = maskDescribe(await ok('describe', 'node', 'node02'));
  // At boot the node controller's RegisteredNode races the kubelet's NodeReady (same second);
  // describe orders by timestamp only, so which one comes first varies from run to run.
  const at = out.indexOf('  Normal  RegisteredNode');
  const registered = out.slice(at, out.indexOf('\n', at) + 1);
  assert.match(registered, /^ {2}Normal {2}RegisteredNode {11}<age> {2}node-controller {2}Node node02 event: Registered Node node02 in Controller\n$/);
  assertGolden('e2e/testdata/describe/node.txt', out.replace(registered, '') + registered);
});

test('describe node shows a cordoned node as Unschedulable with the unschedulable taint', async () => {
  await ok('cordon', 'node02');
  await waitFor('the unschedulable taint', async () => (await getJson('/api/v1/nodes/node02')).spec.taints?.length > 0);
  const out = await ok('describe', 'node', 'node02');
  assert.match(out, /\nTaints: {13}node\.kubernetes\.io\/unschedulable:NoSchedule\nUnschedulable: {6}true\n/);
  await ok('uncordon', 'node02');
  await waitFor('no taint', async () => !(await getJson('/api/v1/nodes/node02')).spec.taints?.length);
});

test('describe pod: init container, env from ConfigMap and Secret, volumes, probes, QoS, node selector and tolerations', async () => {
  const manifest = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {mode: fast}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {user: admin}
---
apiVersion: v1
kind: Pod
metadata:
  name: multi
  labels: {app: multi, tier: be}
  annotations: {team: blue}
spec:
  nodeSelector: {kubernetes.io/hostname: node01}
  tolerations:
  - {key: dedicated, operator: Equal, value: batch, effect: NoSchedule}
  initContainers:
  - name: init
    image: busybox:1.36
    command: [sh, -c, 'echo init done']
  containers:
  - name: app
    image: nginx:1.27
    ports: [{containerPort: 80, name: http}]
    env:
    - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: mode}}}
    - {name: USER, valueFrom: {secretKeyRef: {name: creds, key: user}}}
    - {name: PLAIN, value: hello}
    envFrom:
    - configMapRef: {name: cfg}
    resources:
      requests: {cpu: 100m, memory: 64Mi}
      limits: {cpu: 200m, memory: 128Mi}
    readinessProbe:
      httpGet: {path: /, port: 80}
      initialDelaySeconds: 2
    livenessProbe:
      tcpSocket: {port: 80}
      initialDelaySeconds: 3600
    volumeMounts:
    - {name: config, mountPath: /etc/cfg, readOnly: true}
    - {name: secret, mountPath: /etc/secret}
    - {name: scratch, mountPath: /scratch}
    - {name: proj, mountPath: /proj}
  - name: sidecar
    image: busybox:1.36
    command: [sh, -c, 'while true; do echo tick; sleep 5; done']
  volumes:
  - {name: config, configMap: {name: cfg}}
  - {name: secret, secret: {secretName: creds}}
  - {name: scratch, emptyDir: {}}
  - name: proj
    projected:
      sources:
      - configMap: {name: cfg}
      - secret: {name: creds}
      - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
`;
  await ok('apply', '-f', files.file('multi.yaml', manifest));
  await podsReady('app=multi', 1);
  await describeGolden('pod-multi', 'pod', 'multi');
});

test('describe pod: an unschedulable pod is Pending with PodScheduled False and a FailedScheduling event', async () => {
  await ok('apply', '-f', files.file('big.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: big}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n    resources: {requests: {cpu: "64"}}\n'));
  await waitFor('FailedScheduling', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'name')) !== '');
  await describeGolden('pod-pending', 'pod', 'big');
});

test('describe deployment and replicaset after a rolling update: conditions, old and new ReplicaSets, ScalingReplicaSet events', async () => {
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.27.3');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await podsReady('app=web', 2);
  await describeGolden('deployment', 'deployment', 'web');
  await describeGolden('replicasets', 'rs', '-l', 'app=web');
});

test('describe service lists the endpoints of the ready pods', async () => {
  await ok('expose', 'deployment', 'web', '--port=80', '--target-port=80');
  await waitFor('two endpoints', async () => (await getJson('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dweb')).items[0]?.endpoints?.length === 2);
  const out = await describeGolden('service', 'service', 'web');
  assert.match(out, /\nEndpoints: {16}<pod-ip>:80,<pod-ip>:80\n/);
});

test('describe daemonset, statefulset with its claim, and poddisruptionbudget', async () => {
  const manifest = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: busybox:1.36, command: [sleep, "3600"]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
`;
  await ok('apply', '-f', files.file('workloads.yaml', manifest));
  await podsReady('app=agent', 2);
  await podsReady('app=db', 2);
  await ok('rollout', 'status', 'statefulset/db', '--timeout=60s');
  await waitFor('PDB status', async () => (await getJson('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status?.disruptionsAllowed === 1);
  await describeGolden('daemonset', 'daemonset', 'agent');
  await describeGolden('statefulset', 'statefulset', 'db');
  // Which worker db-0 lands on is a scoring tie.
  assertGolden('e2e/testdata/describe/pvc.txt', maskDescribe(await ok('describe', 'pvc', 'data-db-0')).replace(/selected-node: node0[12]/, 'selected-node: node0X'));
  await describeGolden('pdb', 'pdb', 'web');
});

test('describe job and cronjob', async () => {
  await ok('create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hi');
  await ok('wait', '--for=condition=Complete', 'job/hello', '--timeout=60s');
  const job = maskDescribe(await ok('describe', 'job', 'hello')).replace(/^Duration: {9}\d+s$/m, 'Duration:         <duration>');
  assertGolden('e2e/testdata/describe/job.txt', job);

  await ok('create', 'cronjob', 'tick', '--image=busybox:1.36', '--schedule=* * * * *', '--', 'date');
  const first = await waitFor('the first scheduled job', async () => (await getJson('/apis/batch/v1/namespaces/default/jobs')).items.find((j: any) => j.metadata.name.startsWith('tick-')));
  await ok('patch', 'cronjob', 'tick', '-p', '{"spec":{"suspend":true}}');
  await ok('wait', '--for=condition=Complete', `job/${first.metadata.name}`, '--timeout=60s');
  await waitFor('SawCompletedJob', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=tick,reason=SawCompletedJob', '-o', 'name')) !== '');
  assert.equal((await getJson('/apis/batch/v1/namespaces/default/jobs')).items.filter((j: any) => j.metadata.name.startsWith('tick-')).length, 1);
  const cron = maskDescribe(await ok('describe', 'cronjob', 'tick')).replaceAll(first.metadata.name, 'tick-<scheduled>');
  assertGolden('e2e/testdata/describe/cronjob.txt', cron);
});

test('describe namespace: no quota, no limit range', async () => {
  await describeGolden('namespace', 'namespace', 'default');
});

test('describe namespace and quota: the quota controller fills Used/Hard; limit ranges are listed', async () => {
  const manifest = `apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team}
spec:
  hard: {pods: "4", requests.cpu: "1", requests.memory: 1Gi, limits.cpu: "2", limits.memory: 2Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: team}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 64Mi}
    max: {cpu: "1"}
---
apiVersion: v1
kind: Pod
metadata: {name: sized, namespace: team}
spec:
  containers:
  - {name: app, image: busybox:1.36, command: [sleep, "3600"], resources: {requests: {cpu: 250m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}}
`;
  const teamYaml = files.file('team.yaml', manifest);
  // Quota admission refuses the pod ("status unknown for quota") until the controller has counted the new quota.
  await waitFor('the pod to pass quota admission', async () => (await kubectl('apply', '-f', teamYaml)).code === 0);
  await waitFor('quota usage', async () => (await getJson('/api/v1/namespaces/team/resourcequotas/compute')).status?.used?.pods === '1');
  // kubectl walks the limit range's resources in Go map order: the rows come in any order.
  const ns = maskDescribe(await ok('describe', 'namespace', 'team'));
  const [head, limits] = ns.split('\nResource Limits\n');
  const [header, dashes, ...rows] = limits!.trimEnd().split('\n');
  assertGolden('e2e/testdata/describe/namespace-quota.txt', `${head}\nResource Limits\n${[header, dashes, ...rows.sort()].join('\n')}\n`);
  await describeGolden('resourcequota', 'quota', 'compute', '-n', 'team');
});

test('describe pod: a missing ConfigMap volume keeps the pod ContainerCreating with FailedMount events', async () => {
  await ok('apply', '-f', files.file('nocm.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: nocm}\nspec:\n  containers:\n  - {name: app, image: busybox:1.36, command: [sleep, "3600"], volumeMounts: [{name: cfg, mountPath: /cfg}]}\n  volumes:\n  - {name: cfg, configMap: {name: app-config}}\n'));
  await waitFor('FailedMount', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=nocm,reason=FailedMount', '-o', 'name')) !== '');
  assert.match(await ok('get', 'pod', 'nocm', '--no-headers'), /^nocm +0\/1 +ContainerCreating +0 +\S+\n$/);
  const out = maskDescribe(await ok('describe', 'pod', 'nocm'));
  const events = out.slice(out.indexOf('\nEvents:\n'));
  assert.equal(events.replace(/node0[12]\n/, 'node0X\n'), [
    '\nEvents:',
    '  Type     Reason       Age    From               Message',
    '  ----     ------       ----   ----               -------',
    '  Normal   Scheduled    <age>  default-scheduler  Successfully assigned default/nocm to node0X',
    '  Warning  FailedMount  <age>  kubelet            MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found',
    '',
  ].join('\n'));
  assert.match(out, /\n {4}State: {10}Waiting\n {6}Reason: {7}ContainerCreating\n/);
});
