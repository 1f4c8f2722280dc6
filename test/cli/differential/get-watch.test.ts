/**
 * `kd get --sort-by`, `-o custom-columns[-file]` and `-w`/`--watch-only`/`--output-watch-events`
 * against the real kubectl v1.35.2 on one daemon. Sorted cases include equal keys: kubectl's sort
 * is Go's sort.Sort, not stable, and kd must leave ties in its order. Watches run side by side with kubectl
 * while a pod is labelled and deleted, then both are stopped and their output compared.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, startStream } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

let d: Daemon;
const files = tempFiles('kd-get-watch-');
const { ok, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
  await ok('run', 'solo', '--image=nginx:1.26', '--labels=app=solo');
  await ok('rollout', 'status', 'deployment/web', '--timeout=90s');
  await ok('wait', '--for=condition=Ready', 'pod/solo', '--timeout=90s');
  await ok('create', 'namespace', 'watched');
  // Sorting on equal keys, nulls and missing fields: the events of a settled rollout (many share a
  // second; the scheduler's have `lastTimestamp: null`), a pod no node fits (no spec.nodeName) and
  // quantities. The pending pod has a namespace of its own: its FailedScheduling events keep coming.
  await ok('create', 'namespace', 'sorting');
  await ok('create', 'deployment', 'api', '-n', 'sorting', '--image=nginx:1.27', '--replicas=3');
  await ok('rollout', 'status', 'deployment/api', '-n', 'sorting', '--timeout=90s');
  await ok('create', 'namespace', 'pending');
  await ok('run', 'placed', '-n', 'pending', '--image=nginx:1.27');
  await ok('run', 'huge', '-n', 'pending', '--image=nginx:1.27', '--overrides={"spec":{"containers":[{"name":"huge","image":"nginx:1.27","resources":{"requests":{"cpu":"64"}}}]}}');
  for (const [name, v] of [['a', '1Gi'], ['b', '512Mi'], ['c', 'web'], ['d', '2']]) await ok('create', 'configmap', name, '-n', 'pending', `--from-literal=v=${v}`);
  await ok('wait', '--for=condition=Ready', 'pod/placed', '-n', 'pending', '--timeout=90s');
});
after(async () => {
  await d.stop();
  files.remove();
});

const CASES: Array<[string[], number]> = [
  [['get', 'pods', '--sort-by=.metadata.name'], 0],
  [['get', 'pods', '--sort-by={.status.podIP}', '-o', 'wide'], 0],
  [['get', 'nodes', '--sort-by=.metadata.name', '-o', 'name'], 0],
  [['get', 'pods', '--sort-by=.metadata.uid', '-o', 'jsonpath={.items[*].metadata.name}'], 0],
  [['get', 'pods', '-A', '--sort-by=.spec.nonexistent'], 0],
  [['get', 'pods', '--sort-by={.metadata.name'], 0],
  [['get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,LABELS:.metadata.labels'], 0],
  [['get', 'pods', '-o', 'custom-columns=NAME:{.metadata.name},IP:status.podIP', '--sort-by=.metadata.name', '--no-headers'], 0],
  [['get', 'pod', 'solo', '-o', 'custom-columns=NAME:.metadata.name,READY:.status.containerStatuses[0].ready,PORTS:.spec.containers[0].ports'], 0],
  [['get', 'rs', '-o', String.raw`custom-columns=REVISION:.metadata.annotations.deployment\.kubernetes\.io/revision,NAME:.metadata.name`], 0],
  [['get', 'nodes', '-o', 'custom-columns=NAME:.metadata.name,CPU:.status.capacity.cpu,TAINTS:.spec.taints[*].key'], 0],
  [['get', 'pods', '-n', 'nowhere', '-o', 'custom-columns=NAME:.metadata.name'], 0],
  [['get', 'pods', '-o', 'custom-columns='], 1],
  [['get', 'pods', '-o', 'custom-columns=NAME'], 1],
  [['get', 'pods', '-o', "custom-columns=NAME:'{.metadata.name}'"], 1],
  [['get', 'pods', '-o', 'custom-columns=NAME:{.a'], 1],
  [['get', 'events', '-n', 'sorting', '--sort-by=.lastTimestamp', '-o', 'custom-columns=NAME:.metadata.name,REASON:.reason'], 0],
  [['get', 'events', '-n', 'sorting', '--sort-by=.metadata.creationTimestamp', '-o', 'name'], 0],
  [['get', 'events', '-n', 'sorting', '--sort-by=.involvedObject.kind', '-o', 'name'], 0],
  [['get', 'pods', '-n', 'pending', '--sort-by=.spec.nodeName'], 0],
  [['get', 'pods', '-n', 'pending', '--sort-by=.spec.nodeName', '-o', 'name'], 0],
  [['get', 'pods', '-n', 'pending', '--sort-by=.spec.nothing', '-o', 'name'], 1],
  [['get', 'pod', 'huge', '-n', 'pending', '--sort-by=.spec.nothing'], 0],
  [['get', 'configmaps', '-n', 'pending', '--sort-by=.data.v', '-o', 'name'], 0],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args);
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('kd get -o custom-columns-file', async () => {
  const file = join(files.dir, 'columns.txt');
  writeFileSync(file, 'NAME          IMAGE\n.metadata.name   .spec.containers[0].image\n');
  const r = await assertSameAsKubectl(d, ['get', 'pods', '-o', `custom-columns-file=${file}`, '--sort-by=.metadata.name']);
  assert.equal(r.code, 0);
});

/** Runs a watch with kubectl and kd at once, labels then deletes a pod, and compares the outputs. */
async function sameWatch(args: string[], minEvents: number): Promise<string> {
  await ok('run', 'blip', '-n', 'watched', '--image=nginx:1.27');
  await ok('wait', '--for=condition=Ready', 'pod/blip', '-n', 'watched', '--timeout=90s');
  const kubectl = startStream(d, await kubectlPath(), ['--kubeconfig', d.kubeconfig, ...args]);
  const kd = startStream(d, process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--kubeconfig', d.kubeconfig]);
  const initial = args.includes('--watch-only') ? 0 : 2;
  await waitFor('both watches started', async () => kubectl.text().split('\n').length > initial && kd.text().split('\n').length > initial);
  // A watch request goes out after the list (and prints nothing with --watch-only): give both
  // time to be established on a busy machine.
  await new Promise((r) => setTimeout(r, initial === 0 ? 5000 : 2000));
  await ok('label', 'pod', 'blip', '-n', 'watched', 'seen=yes');
  await ok('delete', 'pod', 'blip', '-n', 'watched', '--wait=false');
  // The DELETED event is the last one; once the pod is gone both have it, or soon will.
  await ok('wait', '--for=delete', 'pod/blip', '-n', 'watched', '--timeout=60s');
  const lines = (s: string) => s.split('\n').length - 1;
  await waitFor('every event printed by kubectl', async () => lines(kubectl.text()) >= initial + minEvents, 30_000);
  // kd's lines may trail; a difference that outlasts this shows up in the comparison below.
  await waitFor('as many lines from kd', async () => lines(kd.text()) >= lines(kubectl.text()), 10_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  const [want, got] = await Promise.all([kubectl.stop(), kd.stop()]);
  const clean = (s: string) => maskAge(s).replace(/ +\n/g, '\n');
  assert.equal(clean(got), clean(want));
  return want;
}

test('kd get pods -w: the list, then one row per event', async () => {
  const out = await sameWatch(['get', 'pods', '-n', 'watched', '-w'], 4);
  assert.match(out, /^NAME +READY +STATUS/);
});

test('kd get pods --watch-only --output-watch-events', async () => {
  const out = await sameWatch(['get', 'pods', '-n', 'watched', '--watch-only', '--output-watch-events'], 5);
  assert.match(out, /^EVENT +NAME/);
});

test('kd get pod --watch-only -o name', async () => {
  await sameWatch(['get', 'pods', '-n', 'watched', '--watch-only', '-o', 'name'], 4);
});
