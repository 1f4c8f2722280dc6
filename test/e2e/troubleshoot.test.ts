/**
 * The CrashLoopBackOff troubleshooting transcript a user follows, through the real kubectl
 * v1.35.2: a Deployment whose program exits because its configuration is missing; `get pods`
 * shows Error then CrashLoopBackOff with restarts; `describe pod` shows the waiting state, the last
 * terminated state and the kubelet's BackOff events; `logs --previous` shows what the program
 * printed; `set env` fixes it and the new pod runs without restarts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon } from '../support/daemon.js';
import { maskDescribe } from '../support/describe-mask.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';

let d: Daemon;
const files = tempFiles('kd-e2e-troubleshoot-');
const { ok, getJson, waitFor, watch } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: app
        image: busybox:1.36
        command: [sh, -c, 'echo starting; if [ -z "$CONFIG_PATH" ]; then echo "config missing" >&2; exit 1; fi; echo "loaded $CONFIG_PATH"; sleep 3600']
`;

/** The single live pod of the Deployment. */
async function appPods(): Promise<any[]> {
  return (await getJson('/api/v1/namespaces/default/pods?labelSelector=app%3Dapp')).items;
}

/** Every events row describe may print for the crashing container, by reason. */
const CRASH_EVENT_ROWS = [
  /^ {2}Normal {3}Scheduled {2}<age> {2}default-scheduler {2}Successfully assigned default\/app-[a-z0-9]+-xxxxx to node0[12]$/,
  /^ {2}Normal {3}Pulling {4}<age> {2}kubelet {12}spec\.containers\{app\}: Pulling image "busybox:1\.36"$/,
  /^ {2}Normal {3}Pulled {5}<age> {2}kubelet {12}spec\.containers\{app\}: Successfully pulled image "busybox:1\.36" in <duration> \(<duration> including waiting\)\. Image size: 2156518 bytes\.$/,
  /^ {2}Normal {3}Pulled {5}<age> {2}kubelet {12}spec\.containers\{app\}: Container image "busybox:1\.36" already present on machine$/,
  /^ {2}Normal {3}Created {4}<age> {2}kubelet {12}spec\.containers\{app\}: Created container: app$/,
  /^ {2}Normal {3}Started {4}<age> {2}kubelet {12}spec\.containers\{app\}: Started container app$/,
  /^ {2}Warning {2}BackOff {4}<age> {2}kubelet {12}spec\.containers\{app\}: Back-off restarting failed container app in pod app-[a-z0-9]+-xxxxx_default\(<uid>\)$/,
];

test('a crashing Deployment: Error → CrashLoopBackOff, describe, logs --previous, fix with set env', async () => {
  const statuses: string[] = [];
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dapp', (_type, pod) => {
    const s = pod.status?.containerStatuses?.[0]?.state;
    const status = s?.waiting?.reason ?? s?.terminated?.reason ?? (s?.running ? 'Running' : undefined);
    if (status && statuses.at(-1) !== status) statuses.push(status);
  });
  assert.equal(await ok('apply', '-f', files.file('app.yaml', MANIFEST)), 'deployment.apps/app created\n');

  // Three crashes take 10 s + 20 s of back-off; the fourth start waits 40 s more, so the pod rests in
  // CrashLoopBackOff long enough to read.
  const pod = await waitFor('CrashLoopBackOff after 3 restarts', async () => {
    const [p] = await appPods();
    const c = p?.status?.containerStatuses?.[0];
    return c?.restartCount >= 3 && c.state?.waiting?.reason === 'CrashLoopBackOff' ? p : undefined;
  });
  w.stop();
  assert.deepEqual(statuses.slice(0, 5), ['ContainerCreating', 'Error', 'CrashLoopBackOff', 'Error', 'CrashLoopBackOff']);
  const name: string = pod.metadata.name;
  const restarts = pod.status.containerStatuses[0].restartCount;

  const got = maskAge(await ok('get', 'pods'));
  const pad = ' '.repeat(name.length - 4);
  assert.match(got, new RegExp(`^NAME${pad} {3}READY {3}STATUS {13}RESTARTS {5,6}AGE\\n${name} {3}0/1 {5}CrashLoopBackOff {3}${restarts} \\(<age> ago\\) {3}<age>\\n$`));

  const described = maskDescribe(await ok('describe', 'pod', name)).replace(/^( {4}Restart Count: {2})\d+$/m, '$1<restarts>');
  const at = described.indexOf('Events:\n');
  assertGolden('e2e/testdata/troubleshoot/describe-crashloop.txt', described.slice(0, at).replaceAll(name, 'app-<hash>-xxxxx').replace(/node0[12]/g, 'node0X').replace(/172\.30\.1\.[34]/, '<node-ip>'));
  const [header, dashes, ...rows] = described.slice(at + 'Events:\n'.length).trimEnd().split('\n');
  assert.equal(header, '  Type     Reason     Age    From               Message');
  assert.equal(dashes, '  ----     ------     ----   ----               -------');
  for (const row of rows) assert.ok(CRASH_EVENT_ROWS.some((re) => re.test(row)), `unexpected events row:\n${row}`);
  for (const reason of ['Scheduled', 'Created', 'Started', 'BackOff']) assert.ok(rows.some((r) => r.includes(` ${reason} `)), `${reason} in:\n${rows.join('\n')}`);

  assert.equal(await ok('logs', name, '--previous'), 'starting\nconfig missing\n');

  assert.equal(await ok('set', 'env', 'deployment/app', 'CONFIG_PATH=/etc/app.conf'), 'deployment.apps/app env updated\n');
  const rollout = await ok('rollout', 'status', 'deployment/app', '--timeout=60s');
  assert.match(rollout, /deployment "app" successfully rolled out\n$/);
  const fixed = await waitFor('only the new pod', async () => {
    const pods = await appPods();
    return pods.length === 1 && pods[0].metadata.name !== name ? pods[0] : undefined;
  });
  const newName: string = fixed.metadata.name;
  const after = maskAge(await ok('get', 'pods'));
  assert.equal(after, `NAME${' '.repeat(newName.length - 4)}   READY   STATUS    RESTARTS   AGE\n${newName}   1/1     Running   0          <age>\n`);
  assert.equal(await ok('logs', newName), 'starting\nloaded /etc/app.conf\n');
  const env = (await ok('describe', 'pod', newName)).split('\n').filter((l) => /^ {4}(Environment|State|Restart Count):/.test(l) || l.startsWith('      CONFIG_PATH'));
  assert.deepEqual(env, ['    State:          Running', '    Restart Count:  0', '    Environment:', '      CONFIG_PATH:  /etc/app.conf']);
});
