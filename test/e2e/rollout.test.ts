/**
 * `kubectl rollout status/history/undo/pause/resume/restart` with the real kubectl v1.35.2 against a
 * daemon on a fast clock: the rollout-undo drill for a Deployment, then the same commands for a
 * DaemonSet and a StatefulSet. Settled output is compared with transcripts under
 * testdata/rollout/ (AGE and pod-template hashes masked); streaming `rollout status` output is
 * checked line by line against the lines kubectl's status viewers can print.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon, type RunResult } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';

/** Fast enough that pulls and grace periods pass in seconds, slow enough to catch a stalled rollout. */
const SPEED = '20';
const BAD_IMAGE = 'nginx:0.0.404-nope';
const APPS = '/apis/apps/v1/namespaces/default';

let d: Daemon;
const files = tempFiles('kd-e2e-rollout-');
const { kubectl, getJson, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', SPEED, '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

/** A session transcript: every command with what kubectl printed (stdout, then stderr) and a non-zero exit. */
class Transcript {
  readonly lines: string[] = [];
  async run(...args: string[]): Promise<RunResult> {
    const r = await kubectl(...args);
    const shown = args.map((a) => (/[\s"]/.test(a) ? `'${a}'` : a)).join(' ');
    this.lines.push(`$ kubectl ${shown}\n${r.stdout}${r.stderr}${r.code ? `[exit ${r.code}]\n` : ''}`);
    return r;
  }
  /** The transcript with generated hashes, ages and the manifest directory masked. */
  text(): string {
    return maskAge(this.lines.join('')).replace(/pod-template-hash=[a-z0-9]+/g, 'pod-template-hash=<hash>').replaceAll(files.dir, '<dir>');
  }
}

/** Lines `rollout status` prints for a Deployment (polymorphichelpers DeploymentStatusViewer). */
const deploymentLines = (n: string): RegExp[] => [
  new RegExp(`^Waiting for deployment "${n}" rollout to finish: \\d+ out of \\d+ new replicas have been updated\\.\\.\\.$`),
  new RegExp(`^Waiting for deployment "${n}" rollout to finish: \\d+ old replicas are pending termination\\.\\.\\.$`),
  new RegExp(`^Waiting for deployment "${n}" rollout to finish: \\d+ of \\d+ updated replicas are available\\.\\.\\.$`),
  /^Waiting for deployment spec update to be observed\.\.\.$/,
];
/** Lines `rollout status` prints for a DaemonSet. */
const daemonSetLines = (n: string): RegExp[] => [
  new RegExp(`^Waiting for daemon set "${n}" rollout to finish: \\d+ out of \\d+ new pods have been updated\\.\\.\\.$`),
  new RegExp(`^Waiting for daemon set "${n}" rollout to finish: \\d+ of \\d+ updated pods are available\\.\\.\\.$`),
  /^Waiting for daemon set spec update to be observed\.\.\.$/,
];
/** Lines `rollout status` prints for a StatefulSet with the defaulted partition 0. */
const statefulSetLines: RegExp[] = [
  /^Waiting for statefulset spec update to be observed\.\.\.$/,
  /^Waiting for \d+ pods to be ready\.\.\.$/,
  /^Waiting for partitioned roll out to finish: \d+ out of \d+ new pods have been updated\.\.\.$/,
];

/**
 * Checks streamed `rollout status` output: every line but the last is a legitimate waiting line,
 * the last one is `last`, and the first one is `first` where the state it shows was settled.
 */
function assertStream(out: string, waiting: RegExp[], last: string, first?: string): void {
  const lines = out.split('\n');
  assert.equal(lines.pop(), '', `output ends with a newline: ${JSON.stringify(out)}`);
  assert.equal(lines.at(-1), last, out);
  if (first !== undefined) assert.equal(lines[0], first, out);
  for (const line of lines.slice(0, -1)) assert.ok(waiting.some((re) => re.test(line)), `unexpected line ${JSON.stringify(line)} in:\n${out}`);
}

/** Runs `rollout status` to completion and checks its stream; `first` where the starting state is known. */
async function rolloutStatus(t: Transcript, ref: string, waiting: RegExp[], last: string, first?: string): Promise<void> {
  const r = await kubectl('rollout', 'status', ref, '--timeout=90s');
  assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  assertStream(r.stdout, waiting, last, first);
  // The transcript keeps only the settled final line: the waiting lines depend on timing.
  t.lines.push(`$ kubectl rollout status ${ref}\n(waiting lines elided)\n${last}\n`);
}

/** A stalled rollout: `rollout status --timeout` keeps printing `line` until kubectl gives up. */
async function stalledStatus(t: Transcript, ref: string, line: string): Promise<void> {
  const r = await kubectl('rollout', 'status', ref, '--timeout=2s');
  assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
  assert.equal(r.stderr, 'error: timed out waiting for the condition\n');
  const lines = r.stdout.split('\n').slice(0, -1);
  assert.ok(lines.length >= 1 && lines.every((l) => l === line), r.stdout);
  t.lines.push(`$ kubectl rollout status ${ref} --timeout=2s\n${line}\n${r.stderr}[exit 1]\n`);
}

const deployment = () => getJson(`${APPS}/deployments/web`);
const observed = async (path: string) => {
  const o = await getJson(path);
  return o.status?.observedGeneration === o.metadata.generation ? o : undefined;
};
const replicaSets = async (): Promise<any[]> => (await getJson(`${APPS}/replicasets?labelSelector=app%3Dweb`)).items;
const progressing = (dep: any) => dep.status?.conditions?.find((c: any) => c.type === 'Progressing');

const drill = new Transcript();

test('deployment drill: a bad image stalls the rollout, exceeds its progress deadline, and rollout undo brings it back', async () => {
  const t = drill;
  await t.run('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  await t.run('annotate', 'deployment/web', 'kubernetes.io/change-cause=create web');
  await t.run('set', 'image', 'deployment/web', `nginx=${BAD_IMAGE}`);
  await t.run('annotate', 'deployment/web', 'kubernetes.io/change-cause=bump to a missing tag', '--overwrite');
  // maxSurge 25% of 3 rounds up to 1 and maxUnavailable rounds down to 0: one new pod, three old ones stay.
  await waitFor('the new RS at 1 replica, pulling in vain', async () => {
    const dep = await observed(`${APPS}/deployments/web`);
    return dep?.status.updatedReplicas === 1 && dep.status.replicas === 4;
  });
  await stalledStatus(t, 'deployment/web', 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...');
  await t.run('patch', 'deployment', 'web', '-p', '{"spec":{"progressDeadlineSeconds":30}}');
  await waitFor('ProgressDeadlineExceeded', async () => progressing(await deployment())?.reason === 'ProgressDeadlineExceeded');
  await t.run('rollout', 'status', 'deployment/web');
  const dep = await deployment();
  assert.equal(progressing(dep).message, `ReplicaSet "${(await replicaSets()).find((rs) => rs.spec.template.spec.containers[0].image === BAD_IMAGE).metadata.name}" has timed out progressing.`);
  await t.run('rollout', 'history', 'deployment/web');
  await t.run('rollout', 'history', 'deployment/web', '--revision=2');
  await t.run('rollout', 'history', 'deployment/web', '--revision=9');
  await t.run('rollout', 'undo', 'deployment/web');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  await t.run('rollout', 'history', 'deployment/web');
  await waitFor('the bad RS scaled to 0', async () => (await replicaSets()).every((rs) => rs.spec.template.spec.containers[0].image !== BAD_IMAGE || rs.status.replicas === 0));
  const rsTable = await t.run('get', 'rs', '-l', 'app=web', '-o', 'custom-columns=REVISION:.metadata.annotations.deployment\\.kubernetes\\.io/revision,HISTORY:.metadata.annotations.deployment\\.kubernetes\\.io/revision-history,IMAGE:.spec.template.spec.containers[0].image,DESIRED:.spec.replicas', '--sort-by=.metadata.annotations.deployment\\.kubernetes\\.io/revision');
  assert.equal(rsTable.code, 0, rsTable.stderr);
  const done = await deployment();
  assert.equal(done.metadata.annotations['kubernetes.io/change-cause'], 'create web', 'undo restores the change-cause of the revision');
  assert.equal(progressing(done).reason, 'NewReplicaSetAvailable');
  assertGolden('e2e/testdata/rollout/deployment-undo.txt', t.text());
});

test('rollout undo --to-revision: rolls to a listed revision, skips the current one, rejects an unknown one', async () => {
  const t = new Transcript();
  await t.run('set', 'image', 'deployment/web', 'nginx=nginx:1.27.3');
  await t.run('annotate', 'deployment/web', 'kubernetes.io/change-cause=patch release 1.27.3', '--overwrite');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  await t.run('rollout', 'history', 'deployment/web');
  await t.run('rollout', 'undo', 'deployment/web', '--to-revision=3');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  await t.run('rollout', 'history', 'deployment/web');
  await t.run('rollout', 'undo', 'deployment/web', '--to-revision=5');
  await t.run('rollout', 'undo', 'deployment/web', '--to-revision=9');
  await t.run('rollout', 'undo', 'deployment/web', '--to-revision=-1');
  const images = (await replicaSets()).filter((rs) => rs.spec.replicas > 0).map((rs) => rs.spec.template.spec.containers[0].image);
  assert.deepEqual(images, ['nginx:1.27']);
  assertGolden('e2e/testdata/rollout/deployment-to-revision.txt', t.text());
});

test('rollout pause holds template changes back, undo and restart refuse a paused deployment, resume rolls', async () => {
  const t = new Transcript();
  await t.run('rollout', 'pause', 'deployment/web');
  await t.run('rollout', 'pause', 'deployment/web');
  await t.run('set', 'image', 'deployment/web', 'nginx=nginx:1.26');
  const paused = await waitFor('the paused spec observed', () => observed(`${APPS}/deployments/web`));
  assert.deepEqual({ ...progressing(paused), lastTransitionTime: undefined, lastUpdateTime: undefined }, {
    type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused', lastTransitionTime: undefined, lastUpdateTime: undefined,
  });
  assert.equal((await replicaSets()).length, 3, 'no new ReplicaSet while paused');
  await t.run('rollout', 'status', 'deployment/web', '--watch=false');
  await t.run('rollout', 'undo', 'deployment/web');
  await t.run('rollout', 'restart', 'deployment/web');
  await t.run('rollout', 'resume', 'deployment/web');
  await t.run('rollout', 'resume', 'deployment/web');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  const rss = await replicaSets();
  assert.equal(rss.length, 4);
  assert.deepEqual(rss.filter((rs) => rs.spec.replicas > 0).map((rs) => rs.spec.template.spec.containers[0].image), ['nginx:1.26']);
  await t.run('rollout', 'history', 'deployment/web');
  assertGolden('e2e/testdata/rollout/deployment-pause.txt', t.text());
});

test('rollout restart stamps restartedAt into the template, which rolls every pod to a new ReplicaSet', async () => {
  const t = new Transcript();
  const before = new Set((await replicaSets()).map((rs) => rs.metadata.name));
  await t.run('rollout', 'restart', 'deployment/web');
  await rolloutStatus(t, 'deployment/web', deploymentLines('web'), 'deployment "web" successfully rolled out');
  const dep = await deployment();
  const stamp = dep.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
  assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/);
  const fresh = (await replicaSets()).filter((rs) => !before.has(rs.metadata.name));
  assert.equal(fresh.length, 1);
  assert.equal(fresh[0].spec.replicas, 3);
  assert.equal(fresh[0].metadata.annotations['deployment.kubernetes.io/revision'], '7');
  const pods = (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items.filter((p: any) => !p.metadata.deletionTimestamp);
  assert.equal(pods.length, 3);
  for (const p of pods) assert.equal(p.metadata.annotations['kubectl.kubernetes.io/restartedAt'], stamp);
  await t.run('rollout', 'history', 'deployment/web');
  await t.run('rollout', 'restart', 'deployment', 'nosuch');
  await t.run('rollout', 'restart', 'configmap', 'kube-root-ca.crt');
  assertGolden('e2e/testdata/rollout/deployment-restart.txt', t.text());
});

const DAEMON_SET = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: fluentd
spec:
  selector:
    matchLabels: {app: fluentd}
  template:
    metadata:
      labels: {app: fluentd}
    spec:
      containers:
      - name: fluentd
        image: nginx:1.27
        ports:
        - containerPort: 24224
`;

test('DaemonSet: a bad image stalls at maxUnavailable, history reads ControllerRevisions, undo patches the old template back', async () => {
  const t = new Transcript();
  const lines = daemonSetLines('fluentd');
  await t.run('apply', '-f', files.file('ds.yaml', DAEMON_SET));
  await rolloutStatus(t, 'daemonset/fluentd', lines, 'daemon set "fluentd" successfully rolled out');
  await t.run('annotate', 'daemonset/fluentd', 'kubernetes.io/change-cause=missing tag');
  await t.run('set', 'image', 'daemonset/fluentd', `fluentd=${BAD_IMAGE}`);
  await waitFor('one node on the new template', async () => {
    const ds = await observed(`${APPS}/daemonsets/fluentd`);
    return ds?.status.updatedNumberScheduled === 1 && ds.status.numberAvailable === 1;
  });
  await stalledStatus(t, 'daemonset/fluentd', 'Waiting for daemon set "fluentd" rollout to finish: 1 out of 2 new pods have been updated...');
  await t.run('rollout', 'history', 'daemonset/fluentd');
  await t.run('rollout', 'history', 'daemonset/fluentd', '--revision=2');
  await t.run('rollout', 'undo', 'daemonset/fluentd');
  await rolloutStatus(t, 'daemonset/fluentd', lines, 'daemon set "fluentd" successfully rolled out');
  await t.run('rollout', 'history', 'daemonset/fluentd');
  await t.run('rollout', 'undo', 'daemonset/fluentd', '--to-revision=3');
  await t.run('rollout', 'undo', 'daemonset/fluentd', '--to-revision=9');
  await t.run('rollout', 'pause', 'daemonset/fluentd');
  await t.run('rollout', 'resume', 'daemonset/fluentd');
  await t.run('rollout', 'restart', 'daemonset/fluentd');
  await rolloutStatus(t, 'daemonset/fluentd', lines, 'daemon set "fluentd" successfully rolled out');
  await t.run('rollout', 'history', 'daemonset/fluentd');
  const pods = (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dfluentd')).items.filter((p: any) => !p.metadata.deletionTimestamp);
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.equal(p.spec.containers[0].image, 'nginx:1.27');
    assert.ok(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], 'restarted pods carry the restartedAt annotation');
  }
  assertGolden('e2e/testdata/rollout/daemonset.txt', t.text());
});

const STATEFUL_SET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - name: db
        image: nginx:1.27
`;

test('StatefulSet: a bad image stops the ordered update at db-2, undo needs the broken pod deleted, history and restart', async () => {
  const t = new Transcript();
  await t.run('apply', '-f', files.file('sts.yaml', STATEFUL_SET));
  await rolloutStatus(t, 'statefulset/db', statefulSetLines, 'partitioned roll out complete: 3 new pods have been updated...');
  await t.run('annotate', 'statefulset/db', 'kubernetes.io/change-cause=missing tag');
  await t.run('set', 'image', 'statefulset/db', `db=${BAD_IMAGE}`);
  await waitFor('db-2 recreated on the bad image', async () => {
    const sts = await observed(`${APPS}/statefulsets/db`);
    return sts?.status.updatedReplicas === 1 && sts.status.readyReplicas === 2 && sts.status.replicas === 3;
  });
  await stalledStatus(t, 'statefulset/db', 'Waiting for 1 pods to be ready...');
  await t.run('rollout', 'history', 'statefulset/db');
  await t.run('rollout', 'history', 'statefulset/db', '--revision=2');
  await t.run('rollout', 'undo', 'statefulset/db');
  // OrderedReady waits for the broken db-2 to become Ready before reverting it (the documented
  // "forced rollback" case): the template is back, the pod stays broken until deleted.
  await waitFor('the rollback observed', async () => {
    const sts = await observed(`${APPS}/statefulsets/db`);
    return sts?.status.updateRevision === sts?.status.currentRevision;
  });
  await stalledStatus(t, 'statefulset/db', 'Waiting for 1 pods to be ready...');
  const broken = await getJson('/api/v1/namespaces/default/pods/db-2');
  assert.equal(broken.spec.containers[0].image, BAD_IMAGE);
  await t.run('delete', 'pod', 'db-2');
  await rolloutStatus(t, 'statefulset/db', statefulSetLines, 'partitioned roll out complete: 3 new pods have been updated...');
  await t.run('rollout', 'history', 'statefulset/db');
  await t.run('rollout', 'pause', 'statefulset/db');
  await t.run('rollout', 'resume', 'statefulset/db');
  await t.run('rollout', 'restart', 'statefulset/db');
  await rolloutStatus(t, 'statefulset/db', statefulSetLines, 'partitioned roll out complete: 3 new pods have been updated...');
  await t.run('rollout', 'history', 'statefulset/db');
  for (const i of [0, 1, 2]) {
    const p = await getJson(`/api/v1/namespaces/default/pods/db-${i}`);
    assert.equal(p.spec.containers[0].image, 'nginx:1.27');
    assert.ok(p.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], `db-${i} was restarted`);
  }
  // A partition keeps the ordinals below it on the current revision: only db-2 moves.
  await t.run('patch', 'statefulset', 'db', '-p', '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}');
  await t.run('set', 'image', 'statefulset/db', 'db=nginx:1.26');
  await rolloutStatus(t, 'statefulset/db', statefulSetLines, 'partitioned roll out complete: 1 new pods have been updated...');
  const images = await Promise.all([0, 1, 2].map(async (i) => (await getJson(`/api/v1/namespaces/default/pods/db-${i}`)).spec.containers[0].image));
  assert.deepEqual(images, ['nginx:1.27', 'nginx:1.27', 'nginx:1.26']);
  const sts = await getJson(`${APPS}/statefulsets/db`);
  assert.deepEqual([sts.status.currentReplicas, sts.status.updatedReplicas], [2, 1]);
  assert.notEqual(sts.status.currentRevision, sts.status.updateRevision);
  assertGolden('e2e/testdata/rollout/statefulset.txt', t.text());
});
