/**
 * Everyday workflows through the real kubectl v1.35.2: `wait` on conditions, JSONPath, deletion,
 * creation and timeouts; `expose` of deployments and pods (services whose endpoints follow the ready
 * pods); `auth can-i` for cluster-scoped resources, subresources and non-resource URLs; and
 * `cluster-info` (the control plane and kubeadm's CoreDNS behind kube-dns) with its dump. Generated
 * pod names and allocated IPs are matched by pattern.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';

let d: Daemon;
const dumpDir = mkdtempSync(join(tmpdir(), 'kd-e2e-dump-'));
const { kubectl, ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  rmSync(dumpDir, { recursive: true, force: true });
});

const POD_NAME = /^pod\/web-[a-z0-9]{8,10}-[a-z0-9]{5} condition met$/;

test('wait: a condition on a deployment, Ready on pods by label, a JSONPath value', async () => {
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=8080');
  assert.equal(await ok('wait', '--for=condition=Available', 'deployment/web', '--timeout=60s'), 'deployment.apps/web condition met\n');
  const ready = (await ok('wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=60s')).trim().split('\n');
  assert.equal(ready.length, 2);
  for (const line of ready) assert.match(line, POD_NAME);
  await ok('run', 'x', '--image=nginx:1.27', '--port=80');
  assert.equal(await ok('wait', '--for=jsonpath={.status.phase}=Running', 'pod/x', '--timeout=60s'), 'pod/x condition met\n');
  assert.equal(await ok('wait', '--for=jsonpath={.spec.containers[0].ports[0].containerPort}=80', 'pod/x', '--timeout=5s'), 'pod/x condition met\n');
});

test('wait: a condition that never comes times out with kubectl\'s message and exit 1', async () => {
  await ok('run', 'bad', '--image=nginx:0.0.404-nope');
  const r = await kubectl('wait', '--for=condition=Ready', 'pod/bad', '--timeout=2s');
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', 'error: timed out waiting for the condition on pods/bad\n']);
  const create = await kubectl('wait', '--for=create', 'pod/later', '--timeout=1s');
  assert.deepEqual([create.code, create.stderr], [1, 'error: timed out waiting for the condition\n']);
  const missing = await kubectl('wait', '--for=condition=Ready', 'pod/nope', '--timeout=1s');
  assert.deepEqual([missing.code, missing.stderr], [1, 'Error from server (NotFound): pods "nope" not found\n']);
});

test('wait --for=delete follows a graceful deletion to the end; a pod already gone is no error', async () => {
  // sleep as PID 1 ignores SIGTERM, so the pod lives through its grace period.
  await ok('run', 'sleeper', '--image=busybox:1.36', '--', 'sleep', '3600');
  await ok('wait', '--for=condition=Ready', 'pod/sleeper', '--timeout=60s');
  await ok('delete', 'pod', 'sleeper', '--wait=false', '--grace-period=60');
  assert.equal(await ok('wait', '--for=delete', 'pod/sleeper', '--timeout=60s'), 'pod/sleeper condition met\n');
  const gone = await kubectl('wait', '--for=delete', 'pod/sleeper', '--timeout=5s');
  assert.deepEqual([gone.code, gone.stdout, gone.stderr], [0, '', '']);
});

test('expose deployment: a ClusterIP service with the deployment\'s selector, endpoints from the ready pods', async () => {
  assert.equal(await ok('expose', 'deployment', 'web', '--port=80', '--target-port=8080'), 'service/web exposed\n');
  const svc = await getJson('/api/v1/namespaces/default/services/web');
  assert.deepEqual(svc.metadata.labels, { app: 'web' });
  assert.deepEqual(svc.spec.selector, { app: 'web' });
  assert.deepEqual(svc.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 8080 }]);
  assert.equal(svc.metadata.managedFields[0].manager, 'kubectl-expose');
  assert.match(maskAge(await ok('get', 'svc', 'web')), /^NAME   TYPE        CLUSTER-IP +EXTERNAL-IP   PORT\(S\)   AGE\nweb    ClusterIP   10\.\d+\.\d+\.\d+ +<none>        80\/TCP    <age>\n$/);
  const pods = await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
  const ips = pods.items.map((p: any) => `${p.status.podIP}:8080`).sort();
  const eps = await waitFor('endpoints of both pods', async () => {
    const r = await kubectl('get', 'endpoints', 'web', '--no-headers');
    return r.stdout.split(/\s+/)[1]?.split(',').length === 2 && r;
  });
  assert.deepEqual(eps.stdout.split(/\s+/)[1]!.split(',').sort(), ips);
  assert.equal(eps.stderr, 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
  const again = await kubectl('expose', 'deployment', 'web', '--port=80');
  assert.deepEqual([again.code, again.stderr], [1, 'Error from server (AlreadyExists): services "web" already exists\n']);
  assert.equal(await ok('expose', 'deployment', 'web', '--port=80', '--name=web-np', '--type=NodePort'), 'service/web-np exposed\n');
  const np = await getJson('/api/v1/namespaces/default/services/web-np');
  assert.ok(np.spec.ports[0].nodePort >= 30000 && np.spec.ports[0].nodePort <= 32767, String(np.spec.ports[0].nodePort));
  assert.match(await ok('get', 'svc', 'web-np', '--no-headers'), new RegExp(`^web-np   NodePort   10\\.\\S+   <none>   80:${np.spec.ports[0].nodePort}/TCP   \\S+\\n$`));
});

test('expose pod: the port comes from the container, the selector from the pod labels; no port is an error', async () => {
  assert.equal(await ok('expose', 'pod', 'x'), 'service/x exposed\n');
  const svc = await getJson('/api/v1/namespaces/default/services/x');
  assert.deepEqual([svc.spec.selector, svc.spec.ports], [{ run: 'x' }, [{ port: 80, protocol: 'TCP', targetPort: 80 }]]);
  await ok('run', 'noport', '--image=nginx:1.27');
  const r = await kubectl('expose', 'pod', 'noport');
  assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', "error: couldn't find port via --port flag or introspection\n"]);
  const gone = await kubectl('expose', 'deployment', 'nope', '--port=80');
  assert.deepEqual([gone.code, gone.stderr], [1, 'Error from server (NotFound): deployments.apps "nope" not found\n']);
});

test('auth can-i: cluster-scoped resources warn, subresources and non-resource URLs are checked too', async () => {
  const nodes = await kubectl('auth', 'can-i', 'get', 'nodes');
  assert.deepEqual([nodes.code, nodes.stdout, nodes.stderr], [0, 'yes\n', "Warning: resource 'nodes' is not namespace scoped\n\n"]);
  const sc = await kubectl('auth', 'can-i', 'list', 'storageclasses');
  assert.equal(sc.stderr, "Warning: resource 'storageclasses' is not namespace scoped in group 'storage.k8s.io'\n\n");
  assert.equal(await ok('auth', 'can-i', 'get', 'nodes', '-A'), 'yes\n');
  assert.equal(await ok('auth', 'can-i', 'create', 'pods', '--subresource=exec'), 'yes\n');
  assert.equal(await ok('auth', 'can-i', 'get', '/healthz'), 'yes\n');
  assert.equal(await ok('auth', 'can-i', 'delete', 'deployments', '-n', 'kube-system', '-q'), '');
  const unknown = await kubectl('auth', 'can-i', 'get', 'widgets');
  assert.deepEqual([unknown.code, unknown.stdout], [0, 'yes\n']);
  assert.match(unknown.stderr, /^Warning: the server doesn't have a resource type 'widgets'\n/);
  const who = JSON.parse(await ok('auth', 'whoami', '-o', 'json'));
  assert.deepEqual(who, { kind: 'SelfSubjectReview', apiVersion: 'authentication.k8s.io/v1', metadata: {}, status: { userInfo: { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] } } });
});

test('cluster-info prints the control plane and CoreDNS addresses; dump writes nodes, workloads and container logs', async () => {
  // kubectl lists the kube-system Services labelled kubernetes.io/cluster-service=true: kubeadm's kube-dns.
  const info = await ok('cluster-info');
  assert.equal(info, [
    `Kubernetes control plane is running at ${d.url}`,
    `CoreDNS is running at ${d.url}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy`,
    '',
    "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
    '',
  ].join('\n'));
  const dump = await ok('cluster-info', 'dump');
  assert.match(dump, /^\{\n {4}"kind": "NodeList",/);
  for (const kind of ['EventList', 'ReplicationControllerList', 'ServiceList', 'DaemonSetList', 'DeploymentList', 'ReplicaSetList', 'PodList']) {
    assert.equal(dump.split(`"kind": "${kind}"`).length - 1, 2, `${kind} for kube-system and default`);
  }
  assert.match(dump, /^==== START logs for container nginx of pod default\/web-[a-z0-9]+-[a-z0-9]{5} ====$/m);
  assert.match(dump, /^==== END logs for container nginx of pod default\/web-[a-z0-9]+-[a-z0-9]{5} ====$/m);
  assert.match(dump, /^==== START logs for container coredns of pod kube-system\/coredns-[a-z0-9]+-[a-z0-9]{5} ====$/m);
  assert.match(dump, /^==== START logs for container kube-proxy of pod kube-system\/kube-proxy-[a-z0-9]{5} ====$/m);
  assert.equal(await ok('cluster-info', 'dump', '--namespaces=default', `--output-directory=${dumpDir}`), `Cluster info dumped to ${dumpDir}\n`);
  assert.equal(JSON.parse(readFileSync(join(dumpDir, 'nodes.json'), 'utf8')).items.length, 3);
  assert.ok(existsSync(join(dumpDir, 'default', 'x', 'logs.txt')));
  assert.match(readFileSync(join(dumpDir, 'default', 'x', 'logs.txt'), 'utf8'), /Configuration complete; ready for start up/);
});
