/**
 * `kd events` against the real kubectl v1.35.2 on one daemon. Most cases read Events written by the
 * test itself, with fixed timestamps, so nothing changes between the two runs of a case: repeats
 * counted by `count` and by `series`, ties in the sort, a line break and an escape in a message,
 * a Node event with and without apiVersion (`--for` selects on it). A settled Deployment adds the
 * cluster's own Events (the scheduler's have only eventTime). Watches run side by side while Events
 * are created and deleted.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, startStream } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

let d: Daemon;
const files = tempFiles('kd-events-');
const { ok, waitFor } = e2e(() => d);

/** A core/v1 Event of namespace `ns` about `ref`, as a client would create it. */
function event(ns: string, name: string, ref: Record<string, string>, fields: Record<string, unknown>): object {
  return { apiVersion: 'v1', kind: 'Event', metadata: { name, namespace: ns }, involvedObject: ref, source: { component: 'tester' }, ...fields };
}

const pod = (ns: string, name: string) => ({ kind: 'Pod', namespace: ns, name, apiVersion: 'v1' });
const T1 = '2026-03-01T10:00:00Z';
const T2 = '2026-03-01T10:05:00Z';

function fixedEvents(): object[] {
  const web = { kind: 'Deployment', namespace: 'ev', name: 'web', apiVersion: 'apps/v1' };
  return [
    event('ev', 'a', pod('ev', 'web-1'), { reason: 'Pulled', message: 'pulled', type: 'Normal', count: 1, firstTimestamp: T1, lastTimestamp: T2 }),
    // Ties on lastTimestamp: sort.Sort is not stable, kd must leave them as kubectl does.
    event('ev', 'b', pod('ev', 'web-1'), { reason: 'BackOff', message: 'Back-off restarting failed container', type: 'Warning', count: 7, firstTimestamp: T1, lastTimestamp: T2 }),
    event('ev', 'c', pod('ev', 'web-2'), { reason: 'Unhealthy', message: '  Readiness probe failed: first line\nsecond line  ', type: 'Warning', count: 2, firstTimestamp: T1, lastTimestamp: T2 }),
    event('ev', 'd', web, { reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-1 from 0 to 2', type: 'Normal', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
    event('ev', 'e', pod('ev', 'web-2'), { reason: 'Colour', message: 'an \u001b[31mescape', type: 'Normal', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
    // Written through events.k8s.io semantics: eventTime and a series, no timestamps or count.
    event('ev', 'f', pod('ev', 'web-3'), {
      reason: 'FailedScheduling', message: '0/3 nodes are available', type: 'Warning', eventTime: '2026-03-01T09:59:00.123456Z',
      series: { count: 4, lastObservedTime: '2026-03-01T10:02:00.000001Z' }, action: 'Scheduling', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-controlplane',
    }),
    event('ev', 'g', pod('ev', 'web-3'), {
      reason: 'Scheduled', message: 'Successfully assigned ev/web-3 to node01', type: 'Normal', eventTime: '2026-03-01T10:03:00.000000Z',
      action: 'Binding', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-controlplane',
    }),
    event('other', 'h', pod('other', 'db'), { reason: 'Killing', message: 'Stopping container db', type: 'Normal', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
    // Node events live in default: the kubelet's reference has no apiVersion, the controllers' has.
    event('default', 'n1', { kind: 'Node', name: 'node01', uid: 'node01' }, { reason: 'Rebooted', message: 'Node node01 has been rebooted', type: 'Warning', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
    event('default', 'n2', { kind: 'Node', name: 'node01', apiVersion: 'v1' }, { reason: 'Drained', message: 'Node node01 drained', type: 'Normal', count: 3, firstTimestamp: T1, lastTimestamp: T2 }),
  ];
}

before(async () => {
  // A slow clock: the apiserver deletes an Event an hour after its last write, which must not
  // happen while the cases run.
  d = await startDaemon({ extraArgs: ['--speed', '5', '--random-seed', '11'] });
  for (const ns of ['ev', 'other', 'live', 'watched', 'empty']) await ok('create', 'namespace', ns);
  await ok('create', '-f', files.file('events.json', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: fixedEvents() })));
  await ok('create', 'deployment', 'web', '-n', 'live', '--image=nginx:1.27', '--replicas=2');
  await ok('rollout', 'status', 'deployment/web', '-n', 'live', '--timeout=90s');
  // The rollout's last event (Started) comes with the last Ready pod; let the Deployment settle.
  await waitFor('the rollout events written', async () => (await ok('get', 'events', '-n', 'live', '-o', 'name')).split('\n').length > 10);
});
after(async () => {
  await d.stop();
  files.remove();
});

/**
 * The cluster's own Events carry the virtual time, which runs ahead of the wall clock kubectl
 * measures ages with: an age may be `<invalid>` for one run and `0s` for the next. For cases that
 * read them, ages and the column padding that follows them are evened out.
 */
const looseAges = (text: string) => text.replace(/<invalid>/g, '<age>').replace(/ {2,}/g, '   ');

const CASES: Array<[string[], number, 'live'?]> = [
  [['events', '-n', 'ev'], 0],
  [['events', '-n', 'ev', '--no-headers'], 0],
  [['events', '-A', '--types=Warning'], 0, 'live'],
  [['events', '-n', 'ev', '--types=warning,Normal,normal'], 0],
  [['events', '-n', 'ev', '--types='], 0],
  [['events', '-n', 'ev', '--for', 'pod/web-1'], 0],
  [['events', '-n', 'ev', '--for', 'deploy/web'], 0],
  [['events', '-n', 'ev', '--for', 'deployments.v1.apps/web'], 0],
  [['events', '-n', 'ev', '--for', 'PODS/web-3'], 0],
  [['events', '--for', 'node/node01'], 0, 'live'],
  [['events', '-A', '--for', 'pod/db'], 0],
  [['events', '-n', 'live'], 0, 'live'],
  [['events', '-n', 'live', '--for', 'deployment/web', '-o', 'json'], 0],
  [['events', '-n', 'ev', '-o', 'json'], 0],
  [['events', '-n', 'ev', '-o', 'yaml'], 0],
  [['events', '-n', 'ev', '-o', 'kyaml'], 0],
  [['events', '-n', 'ev', '-o', 'yaml', '--show-managed-fields', '--for', 'pod/web-1'], 0],
  [['events', '-n', 'ev', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.reason}{"\\n"}{end}'], 0],
  [['events', '-n', 'ev', '-o', 'go-template={{range .items}}{{.metadata.name}}:{{.count}} {{end}}'], 0],
  [['events', '-n', 'ev', '--template={{len .items}}'], 0],
  [['events', '-n', 'ev', '-o', 'go-template', '--template={{len .items}}'], 0],
  [['events', '-n', 'ev', 'ignored-argument'], 0],
  [['events', '-n', 'empty'], 0],
  [['events', '-n', 'empty', '-o', 'json'], 0],
  [['events', '-A', '--for', 'pod/nowhere'], 0],
  [['events', '--types=Bogus'], 1],
  [['events', '--for', 'pod'], 1],
  [['events', '--for', 'pod/a/b', '--types=Bogus'], 1],
  [['events', '--for', 'widget/x'], 1],
  [['events', '-o', 'wide', '--types=Bogus'], 1],
  [['events', '--chunk-size=abc'], 1],
];

for (const [args, code, live] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameAsKubectl(d, args, live ? { mask: looseAges } : {});
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('kd events -o name prints nothing for the list kubectl builds', async () => {
  const r = await assertSameAsKubectl(d, ['events', '-n', 'ev', '-o', 'name']);
  assert.deepEqual([r.stdout, r.stderr, r.code], ['', '', 0]);
});

test('kd events shows repeats as `<age> (xN over <age>)` and sorts on the series, lastTimestamp, then eventTime', async () => {
  const table = maskAge(await ok('events', '-n', 'ev'));
  assert.deepEqual(table.split('\n').map((l) => l.split(/ {3,}/).slice(0, 4).join('|')), [
    'LAST SEEN|TYPE|REASON|OBJECT',
    '<age>|Normal|ScalingReplicaSet|Deployment/web',
    '<age>|Normal|Colour|Pod/web-2',
    '<age> (x4 over <age>)|Warning|FailedScheduling|Pod/web-3',
    '<age>|Normal|Scheduled|Pod/web-3',
    '<age>|Normal|Pulled|Pod/web-1',
    '<age> (x7 over <age>)|Warning|BackOff|Pod/web-1',
    '<age> (x2 over <age>)|Warning|Unhealthy|Pod/web-2',
    'second line',
    '',
  ]);
  // kubectl 1.35 prints a message's line breaks as they are, and escapes ESC.
  assert.match(table, /Readiness probe failed: first line\nsecond line\n/);
  assert.match(table, /an \^\[\[31mescape\n/);
});

/** Runs `events -w` with kubectl and kd at once while Events come, change and go; compares the outputs. */
async function sameWatch(extra: string[], minLines: number, step: number): Promise<string> {
  const args = ['events', '-n', 'watched', '-w', ...extra];
  const kubectl = startStream(d, await kubectlPath(), ['--kubeconfig', d.kubeconfig, ...args]);
  const kd = startStream(d, process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--kubeconfig', d.kubeconfig]);
  // Nothing is printed before the first event: give both watches time to be established.
  await new Promise((r) => setTimeout(r, 3000));
  const ref = pod('watched', `w${step}`);
  const made = [
    event('watched', `x${step}`, ref, { reason: 'Pulled', message: 'pulled', type: 'Normal', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
    event('watched', `y${step}`, ref, { reason: 'Failed', message: 'a much longer message than the first one', type: 'Warning', count: 1, firstTimestamp: T1, lastTimestamp: T1 }),
  ];
  await ok('create', '-f', files.file(`watch-${step}.json`, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: made })));
  await ok('patch', 'event', `x${step}`, '-n', 'watched', '--type=merge', '-p', `{"count":2,"lastTimestamp":"${T2}"}`);
  // A DELETED event is not printed.
  await ok('delete', 'event', `y${step}`, '-n', 'watched');
  const lines = (s: string) => s.split('\n').length - 1;
  await waitFor('every event printed by kubectl', async () => lines(kubectl.text()) >= minLines, 30_000);
  await waitFor('as many lines from kd', async () => lines(kd.text()) >= lines(kubectl.text()), 10_000).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 500));
  const [want, got] = await Promise.all([kubectl.stop(), kd.stop()]);
  assert.equal(maskAge(got), maskAge(want));
  return want;
}

test('kd events -w: the header with the first event, then a row per ADDED or MODIFIED event', async () => {
  const out = await sameWatch([], 4, 1);
  assert.match(out, /^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n/);
});

test('kd events -w -o name --types=Normal', async () => {
  const out = await sameWatch(['-o', 'name', '--types=Normal'], 3, 2);
  assert.match(out, /^event\/x1\nevent\/x2\n/);
});

test('kd events -w -o yaml: one document per event, `---` between them', async () => {
  const out = await sameWatch(['-o', 'yaml', '--for', 'pod/w3'], 40, 3);
  assert.equal(out.split('\n---\n').length, 3);
});
