/**
 * `kubectl scale` and `kubectl autoscale` with the real kubectl v1.35.2: the scale subresource of
 * Deployments, ReplicaSets, StatefulSets and ReplicationControllers (autoscaling/v1 Scale), kubectl's
 * client-side preconditions, the server's validation and conflict errors, and HPA creation.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { httpRequest, maskAge, startDaemon, type Daemon, type RunResult } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';

const SPEED = '20';
const APPS = '/apis/apps/v1/namespaces/default';
const CONFLICT = 'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again';

let d: Daemon;
const files = tempFiles('kd-e2e-scale-');
const { kubectl, ok, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', SPEED, '--random-seed', '11'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

/** Commands with what kubectl printed (stdout, then stderr) and any non-zero exit, for a golden. */
const transcript: string[] = [];
async function run(...args: string[]): Promise<RunResult> {
  const r = await kubectl(...args);
  const shown = args.map((a) => (/[\s"{%]/.test(a) ? `'${a}'` : a)).join(' ');
  transcript.push(`$ kubectl ${shown}\n${r.stdout}${r.stderr}${r.code ? `[exit ${r.code}]\n` : ''}`);
  return r;
}

const replicasOf = async (path: string) => (await getJson(path)).spec.replicas as number;

test('scale a Deployment: --replicas, --current-replicas preconditions, --resource-version, --timeout waits, -1 rejected', async () => {
  await run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  const gen = (await getJson(`${APPS}/deployments/web`)).metadata.generation;
  await run('scale', 'deployment/web', '--replicas=5');
  const scaled = await getJson(`${APPS}/deployments/web`);
  assert.equal(scaled.spec.replicas, 5);
  assert.equal(scaled.metadata.generation, gen + 1, 'scaling bumps the generation');
  await run('scale', 'deployment/web', '--current-replicas=2', '--replicas=3');
  assert.equal(await replicasOf(`${APPS}/deployments/web`), 5);
  await run('scale', 'deployment/web', '--current-replicas=5', '--replicas=3');
  assert.equal(await replicasOf(`${APPS}/deployments/web`), 3);

  const stale = (await getJson(`${APPS}/deployments/web/scale`)).metadata.resourceVersion as string;
  await ok('annotate', 'deployment/web', 'note=bump');
  const r = await run('scale', 'deployment/web', `--resource-version=${stale}`, '--replicas=4');
  const m = /^error: Expected resource version to be (\d+), was (\d+)\n$/.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.equal(m[1], stale);
  assert.ok(Number(m[2]) > Number(stale), r.stderr);
  assert.equal(await replicasOf(`${APPS}/deployments/web`), 3);

  await run('scale', 'deployment/web', '--replicas=-1');
  await run('scale', 'deployment/web', '--replicas=1', '--timeout=60s');
  const dep = await getJson(`${APPS}/deployments/web`);
  assert.equal(dep.status.replicas, 1, '--timeout waits until the Scale status shows the new size');
  await run('scale', 'deployment/nosuch', '--replicas=2');
});

test('the scale subresource: autoscaling/v1 Scale on GET, PUT with a stale resourceVersion is a 409, invalid sizes are 422', async () => {
  const scale = await getJson(`${APPS}/deployments/web/scale`);
  const dep = await getJson(`${APPS}/deployments/web`);
  assert.deepEqual(scale, {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', uid: dep.metadata.uid, resourceVersion: dep.metadata.resourceVersion, creationTimestamp: dep.metadata.creationTimestamp },
    spec: { replicas: 1 },
    status: { replicas: 1, selector: 'app=web' },
  });
  await ok('annotate', 'deployment/web', 'note=again', '--overwrite');
  const put = await httpRequest(d, 'PUT', `${APPS}/deployments/web/scale`, { body: { ...scale, spec: { replicas: 2 } } });
  assert.equal(put.status, 409, put.body);
  assert.deepEqual(JSON.parse(put.body), {
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: CONFLICT, reason: 'Conflict', details: { name: 'web', group: 'apps', kind: 'deployments' }, code: 409,
  });
  const fresh = await getJson(`${APPS}/deployments/web/scale`);
  const good = await httpRequest(d, 'PUT', `${APPS}/deployments/web/scale`, { body: { ...fresh, spec: { replicas: 2 } } });
  assert.equal(good.status, 200, good.body);
  assert.equal(JSON.parse(good.body).spec.replicas, 2);
  assert.equal(await replicasOf(`${APPS}/deployments/web`), 2);

  const bad = await httpRequest(d, 'PATCH', `${APPS}/deployments/web/scale`, { body: '{"spec":{"replicas":-1}}', headers: { 'content-type': 'application/merge-patch+json' } });
  assert.equal(bad.status, 422, bad.body);
  assert.equal(JSON.parse(bad.body).message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  await run('patch', 'deployment', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}');
  await run('patch', 'deployment', 'web', '--subresource=scale', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]');
  assert.equal(await replicasOf(`${APPS}/deployments/web`), 3);
  await waitFor('3 replicas in the Scale status', async () => (await getJson(`${APPS}/deployments/web/scale`)).status.replicas === 3);
  const shown = await run('get', 'deployment', 'web', '--subresource=scale');
  assert.equal(shown.code, 0, shown.stderr);
  await waitFor('3 available', async () => (await getJson(`${APPS}/deployments/web`)).status.availableReplicas === 3);
  const status = await run('get', 'deployment', 'web', '--subresource=status');
  assert.equal(status.code, 0, status.stderr);
  await run('scale', 'configmap', 'kube-root-ca.crt', '--replicas=2');
});

const MANIFESTS = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: front
spec:
  replicas: 1
  selector:
    matchLabels: {app: front}
  template:
    metadata:
      labels: {app: front}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchExpressions:
    - {key: app, operator: In, values: [db]}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - {name: db, image: nginx:1.27}
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 1
  selector: {app: legacy}
  template:
    metadata:
      labels: {app: legacy}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27}
`;

test('scale a ReplicaSet, a StatefulSet and a ReplicationController; their Scale selectors are label-selector strings', async () => {
  await ok('apply', '-f', files.file('workloads.yaml', MANIFESTS));
  await run('scale', 'replicaset', 'front', '--replicas=2');
  await run('scale', 'statefulset/db', '--replicas=3');
  await run('scale', 'rc/legacy', '--replicas=2');
  assert.equal((await getJson(`${APPS}/statefulsets/db/scale`)).status.selector, 'app in (db)');
  assert.equal((await getJson('/api/v1/namespaces/default/replicationcontrollers/legacy/scale')).status.selector, 'app=legacy');
  await waitFor('db-0..db-2 ready', async () => (await getJson(`${APPS}/statefulsets/db`)).status.readyReplicas === 3);
  await waitFor('front at 2', async () => (await getJson(`${APPS}/replicasets/front`)).status.readyReplicas === 2);
  await waitFor('legacy at 2', async () => (await getJson('/api/v1/namespaces/default/replicationcontrollers/legacy')).status.readyReplicas === 2);
  const r = await run('get', 'statefulset/db', 'replicaset/front', 'rc/legacy');
  assert.equal(r.code, 0, r.stderr);
});

test('autoscale creates an autoscaling/v2 HPA; get hpa shows it; non-scalable kinds are refused', async () => {
  await run('autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80');
  const hpa = await getJson('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web');
  assert.deepEqual(hpa.spec, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 2,
    maxReplicas: 5,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  });
  await run('autoscale', 'statefulset', 'db', '--max=4', '--cpu=500m', '--name=db-hpa');
  const rows = (await ok('get', 'hpa')).trim().split('\n').map((l) => l.split(/\s{2,}/));
  assert.deepEqual(rows[0], ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
  // TARGETS and REPLICAS depend on whether metrics and an HPA controller have run yet.
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[1], r[3], r[4]]), [['db-hpa', 'StatefulSet/db', '1', '4'], ['web', 'Deployment/web', '2', '5']]);
  assert.match(rows[1]![2]!, /^cpu: (<unknown>|\d+m)\/500m$/);
  assert.match(rows[2]![2]!, /^cpu: (<unknown>|\d+%)\/80%$/);
  await run('autoscale', 'daemonset', 'nosuch', '--max=3');
  await run('autoscale', 'configmap', 'kube-root-ca.crt', '--max=3');
  const text = maskAge(transcript.join(''))
    .replaceAll(files.dir, '<dir>')
    .replace(/--resource-version=\d+/, '--resource-version=<rv>')
    .replace(/resource version to be \d+, was \d+/, 'resource version to be <rv>, was <rv>');
  assertGolden('e2e/testdata/rollout/scale.txt', text);
});
