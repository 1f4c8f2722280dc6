/**
 * `kd describe` against the real kubectl v1.35.2 on one daemon: each case runs the same arguments
 * with both and asserts identical stdout, stderr and exit code. Times (RFC1123Z) are masked at
 * their width; event tables, whose Age column follows the wall clock, are compared cell by cell.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';

let d: Daemon;
const files = tempFiles('kd-diff-describe-');
const { ok, getJson, waitFor } = e2e(() => d);

const MANIFEST = `apiVersion: apps/v1
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
  replicas: 1
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
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team}
spec:
  hard: {pods: "4", requests.cpu: "1", requests.memory: 1Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: team}
spec:
  limits:
  - type: Container
    defaultRequest: {cpu: 100m}
    max: {cpu: "1"}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list]}
- {apiGroups: [apps], resources: [deployments], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default, namespace: default}, {kind: User, name: jane}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: watcher}
rules:
- {apiGroups: ["", apps], resources: [nodes, deployments/scale], resourceNames: [a, b], verbs: [get, watch]}
- {nonResourceURLs: [/healthz, /metrics], verbs: [get]}
---
apiVersion: v1
kind: Pod
metadata: {name: multi, labels: {app: multi}, annotations: {team: blue}}
spec:
  tolerations: [{key: dedicated, operator: Equal, value: batch, effect: NoSchedule}]
  initContainers:
  - {name: init, image: busybox:1.36, command: [sh, -c, 'echo init done']}
  containers:
  - name: app
    image: nginx:1.27
    ports: [{containerPort: 80, name: http}]
    env:
    - {name: MODE, valueFrom: {configMapKeyRef: {name: cfg, key: mode, optional: true}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: LIM, valueFrom: {resourceFieldRef: {resource: limits.memory}}}
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: 200m, memory: 128Mi}}
    readinessProbe: {httpGet: {path: /, port: 80}}
    volumeMounts:
    - {name: scratch, mountPath: /scratch, subPath: sub}
    - {name: info, mountPath: /info}
  volumes:
  - {name: scratch, emptyDir: {medium: Memory, sizeLimit: 1Gi}}
  - {name: info, downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}}
`;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80');
  await ok('expose', 'deployment', 'web', '--port=80');
  await ok('run', 'solo', '--image=nginx:1.27', '--labels=tier=front,app=solo');
  await ok('apply', '-f', files.file('all.yaml', MANIFEST));
  await ok('create', 'configmap', 'cfg', '-n', 'team', '--from-literal=a=b', '--from-literal=json={"x": 1}');
  await ok('create', 'secret', 'generic', 'creds', '-n', 'team', '--from-literal=user=admin');
  await ok('create', 'job', 'hello', '--image=busybox:1.36', '--', 'echo', 'hi');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('rollout', 'status', 'statefulset/db', '--timeout=60s');
  await ok('rollout', 'status', 'daemonset/agent', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pod/solo', 'pod/multi', '--timeout=60s');
  await ok('wait', '--for=condition=Complete', 'job/hello', '--timeout=60s');
  await waitFor('PDB status', async () => (await getJson('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status?.disruptionsAllowed === 1);
  await waitFor('two endpoints', async () => (await getJson('/api/v1/namespaces/default/endpoints/web')).subsets?.[0]?.addresses?.length === 2);
});
after(async () => {
  await d.stop();
  files.remove();
});

const RFC1123Z = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/g;

/**
 * Times keep their width; in event tables (whose Age cells come from the wall clock and move the
 * columns) runs of spaces become two, so every cell is still compared.
 */
function maskDescribe(text: string): string {
  let inEvents = false;
  return text
    .replace(RFC1123Z, '<time>'.padEnd(31, '.'))
    // A pod created at boot is younger than the wall clock at first, then older: <invalid>, then 5s.
    .replace(/<invalid>( {2,}(?=\S))?/g, (_m, pad: string | undefined) => (pad ? '<age>   ' : '<age>'))
    .split('\n')
    .map((line) => {
      if (/^\s*Type\s+Reason\s+Age\s+From\s+Message$/.test(line)) inEvents = true;
      else if (!/^\s/.test(line)) inEvents = false;
      return inEvents ? line.replace(/ {2,}/g, '  ') : line;
    })
    .join('\n');
}

/** Each case: the arguments, and the exit code kubectl gives (so a case cannot silently test nothing). */
const CASES: Array<[string[], number]> = [
  [['describe', 'pod', 'solo'], 0],
  [['describe', 'pod', 'multi'], 0],
  [['describe', 'pod', 'solo', '--show-events=false'], 0],
  [['describe', 'pod', 'web'], 0],
  [['describe', 'deploy', 'web'], 0],
  [['describe', 'rs', '-l', 'app=web'], 0],
  [['describe', 'svc', 'web'], 0],
  [['describe', 'endpoints', 'web'], 0],
  [['describe', 'node', 'node01'], 0],
  [['describe', 'ns', 'team'], 0],
  [['describe', 'cm', 'cfg', '-n', 'team'], 0],
  [['describe', 'ds', 'agent'], 0],
  [['describe', 'sts', 'db'], 0],
  [['describe', 'pdb', 'web'], 0],
  [['describe', 'job', 'hello'], 0],
  [['describe', 'ing', 'web'], 0],
  [['describe', 'role', 'reader'], 0],
  [['describe', 'clusterrole', 'watcher'], 0],
  [['describe', 'controllerrevisions', '-l', 'app=agent'], 0],
  [['describe', 'svc,deploy', '-l', 'app=web'], 0],
  [['describe'], 1],
  [['describe', 'foo'], 1],
  [['describe', 'pod', 'nope'], 1],
  [['describe', 'pod', 'solo', 'nope', 'multi'], 1],
  [['describe', 'pod', 'solo', '-A'], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args, { mask: maskDescribe });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('kd describe -f reads the objects of a manifest', async () => {
  const want = await assertSameAsKubectl(d, ['describe', '-f', files.file('two.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n')], { mask: maskDescribe });
  assert.equal(want.code, 0, want.stderr);
  assert.match(want.stdout, /^Name: +web\n[\s\S]*\n\n\nName: +web\n/);
});
