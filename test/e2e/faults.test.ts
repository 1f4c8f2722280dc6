/**
 * Issue 7's admin side end to end: `kd clock`, `kd fault`, `kd why` and `kd snapshot` against a
 * real daemon, with the real kubectl v1.35.2 showing what they did to the cluster.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskAge, run, startDaemon, type Daemon, type RunResult } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { repoRoot } from '../support/kubectl.js';

let d: Daemon;
const { ok, kubectl, waitFor } = e2e(() => d);

before(async () => {
  // A modest speed: on a loaded machine a stalled event loop at 20x costs nodes their leases.
  d = await startDaemon({ extraArgs: ['--speed', '5', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
});

function kd(...args: string[]): Promise<RunResult> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home };
  return run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--data-dir', d.dataDir], { env });
}

async function kdOk(...args: string[]): Promise<string> {
  const r = await kd(...args);
  assert.equal(r.code, 0, `kd ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const CLOCK_LINE = (state: string, speed = 5) => new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ \\(speed ${speed}x, ${state}\\)\\n$`);
const clockMs = (line: string): number => Date.parse(line.split(' ')[0]!);
const podLines = async (): Promise<string[]> => (await ok('get', 'pods', '-l', 'app=web', '-o', 'wide', '--no-headers')).trim().split('\n');

test('kd clock advance takes a node with a stopped kubelet through NotReady to the eviction of its pods, with no real waiting', async () => {
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  const onNode01 = (await podLines()).filter((l) => /\snode01\s/.test(l)).map((l) => l.split(/\s+/)[0]!);
  assert.ok(onNode01.length >= 1, `a web pod runs on node01: ${(await podLines()).join('\n')}`);

  const paused = await kdOk('clock', 'pause');
  assert.match(paused, CLOCK_LINE('paused'));
  assert.equal(await kdOk('fault', 'kubelet', 'stop', 'node01'), 'fault f1 added: kubelet of node node01 stopped\n');
  const t0 = Date.now();
  const advanced = await kdOk('clock', 'advance', '1m30s');
  assert.match(advanced, CLOCK_LINE('paused'));
  assert.equal(clockMs(advanced) - clockMs(paused), 90_000);
  assert.match(maskAge(await ok('get', 'node', 'node01')), /^NAME +STATUS +ROLES +AGE +VERSION\nnode01 +NotReady +<none> +<age> +v1\.35\.2\n$/);
  const taints = await ok('get', 'node', 'node01', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect}{"\\n"}{end}');
  assert.equal(taints, 'node.kubernetes.io/unreachable:NoSchedule\nnode.kubernetes.io/unreachable:NoExecute\n');
  for (const line of (await podLines()).filter((l) => /\snode01\s/.test(l))) assert.match(line, /^web-\S+\s+\d\/1\s+Running\s/, 'not evicted yet: tolerationSeconds 300 have not passed');

  // 300 s of tolerationSeconds pass in one step: the taint manager deletes, the ReplicaSet replaces.
  await kdOk('clock', 'advance', '5m');
  const lines = await podLines();
  for (const name of onNode01) assert.match(lines.find((l) => l.startsWith(name))!, /^\S+\s+1\/1\s+Terminating\s+0\s+\S+\s+\S+\s+node01\s/);
  const running = lines.filter((l) => /\sRunning\s/.test(l));
  assert.equal(running.length, 2, lines.join('\n'));
  for (const l of running) assert.match(l, /\snode02\s/);
  const events = await ok('get', 'events', '--field-selector', 'reason=TaintManagerEviction', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}');
  for (const name of onNode01) assert.ok(events.includes(`Marking for deletion Pod default/${name}`), events);
  assert.ok(Date.now() - t0 < 60_000, 'six virtual minutes took well under one real minute');

  // Undo: the kubelet comes back, confirms the deletions, and time runs again.
  assert.equal(await kdOk('fault', 'kubelet', 'start', 'node01'), 'fault f1 removed: kubelet of node node01 stopped\n');
  assert.match(await kdOk('clock', 'resume'), CLOCK_LINE('running'));
  await waitFor('node01 Ready and the evicted pods gone', async () => {
    const node = await ok('get', 'node', 'node01', '--no-headers');
    const left = await podLines();
    return /\sReady\s/.test(node) && onNode01.every((n) => !left.some((l) => l.startsWith(n)));
  });
});

test('kd fault: node pressure, an unpullable image and a crashed container, as kubectl shows them', async () => {
  assert.equal(await kdOk('fault', 'add', 'pressure', 'node02', 'disk'), 'fault f2 added: node node02 reports DiskPressure\n');
  assert.equal(await kdOk('fault', 'add', 'unpullable', 'nginx:1.26'), 'fault f3 added: pulls of nginx:1.26 fail\n');
  assert.equal(await kdOk('fault', 'list'), 'ID    TYPE              DESCRIPTION\nf2    NodeCondition     node node02 reports DiskPressure\nf3    ImageUnpullable   pulls of nginx:1.26 fail\n');
  await waitFor('the disk-pressure taint', async () => (await ok('get', 'node', 'node02', '-o', 'jsonpath={.spec.taints[*].key}')).includes('node.kubernetes.io/disk-pressure'));
  const describe = await ok('describe', 'node', 'node02');
  assert.match(describe, /\n  DiskPressure +True +\S.* KubeletHasDiskPressure +kubelet has disk pressure\n/);
  assert.match(describe, /\nTaints: +node\.kubernetes\.io\/disk-pressure:NoSchedule\n/);

  await ok('run', 'old', '--image=nginx:1.26', '--overrides={"spec":{"nodeName":"node01"}}');
  await waitFor('ImagePullBackOff', async () => /\bImagePullBackOff\b/.test(await ok('get', 'pod', 'old', '--no-headers')));
  const why = await kdOk('why', 'pod', 'old');
  assert.match(why, /^Pod:      default\/old\nPhase:    Pending\nNode:     node01\nStage:    ImagePullBackOff\nWhy:      container old cannot pull its image: Back-off pulling image "nginx:1\.26": ErrImagePull: rpc error: code = NotFound desc = failed to pull and unpack image "docker\.io\/library\/nginx:1\.26": failed to resolve reference "docker\.io\/library\/nginx:1\.26": docker\.io\/library\/nginx:1\.26: not found\n/);
  assert.match(why, /\nWhat would move it:\n  - fix the image reference/);

  await ok('run', 'victim', '--image=nginx:1.27');
  await waitFor('victim Running', async () => /\s1\/1\s+Running\s/.test(await ok('get', 'pod', 'victim', '--no-headers')));
  assert.equal(await kdOk('fault', 'crash', 'victim'), 'container victim of pod default/victim crashed (exit code 137)\n');
  await waitFor('the restart', async () => /^victim\s+1\/1\s+Running\s+1 \(\S+ ago\)\s/.test(await ok('get', 'pod', 'victim', '--no-headers')));
  const last = await ok('get', 'pod', 'victim', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}');
  assert.equal(last, '137 Error');

  assert.equal(await kdOk('fault', 'clear'), '2 faults removed\n');
  assert.equal(await kdOk('fault'), 'No faults are active.\n');
  const bad = await kd('fault', 'add', 'pressure', 'node09', 'memory');
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, 'error: Cannot add the fault as node "node09" is not a node of this cluster: nodes are controlplane, node01, node02\n');
  // Cleared pressure goes as it came: the kubelet reports DiskPressure False at its next status
  // sync, then the node lifecycle controller lifts the taint (the next test schedules onto node02).
  await waitFor('the disk-pressure taint to go', async () => !(await ok('get', 'node', 'node02', '-o', 'jsonpath={.spec.taints[*].key}')).includes('node.kubernetes.io/disk-pressure'));
  assert.match(await ok('describe', 'node', 'node02'), /\n  DiskPressure +False +\S.* KubeletHasNoDiskPressure +kubelet has no disk pressure\n/);
});

test('kd why pod: the scheduler filter that rejects a Pending pod on each node, from the scheduler itself', async () => {
  await ok('run', 'picky', '--image=nginx:1.27', '--overrides={"spec":{"nodeSelector":{"disktype":"sdd"}}}');
  await waitFor('FailedScheduling', async () => (await ok('get', 'events', '--field-selector', 'involvedObject.name=picky,reason=FailedScheduling', '--no-headers')).trim() !== '');
  assert.equal(await kdOk('why', 'pod', 'picky'), [
    'Pod:      default/picky',
    'Phase:    Pending',
    'Stage:    Unschedulable',
    "Why:      0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector.",
    '',
    'Scheduler filters per node:',
    'NODE           FITS   FILTER            REASON',
    'controlplane   no     TaintToleration   node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }',
    "node01         no     NodeAffinity      node(s) didn't match Pod's node affinity/selector",
    "node02         no     NodeAffinity      node(s) didn't match Pod's node affinity/selector",
    '',
    'What would move it:',
    '  - add a matching toleration to the pod, or remove the taint from the node (`kubectl taint nodes <node> <key>-`)',
    "  - fix the pod's nodeSelector or node affinity, or label a node to match (`kubectl label nodes <node> key=value`)",
    '',
  ].join('\n'));
  // The message is the one the scheduler wrote on the pod.
  const condition = await ok('get', 'pod', 'picky', '-o', 'jsonpath={.status.conditions[?(@.type=="PodScheduled")].message}');
  assert.ok(condition.startsWith("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector."), condition);
  const missing = await kd('why', 'pod', 'nope');
  assert.equal(missing.stderr, 'error: pods "nope" not found\n');
});

test('kd why drain: DaemonSet and unmanaged pods refused with kubectl\'s texts, the PDB arithmetic of a blocked eviction', async () => {
  await ok('create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=2');
  await waitFor('PDB status', async () => (await ok('get', 'pdb', 'web', '-o', 'jsonpath={.status.currentHealthy}')) === '2');
  const node = (await podLines()).find((l) => /\sRunning\s/.test(l))!.split(/\s+/)[6]!;
  const out = await kdOk('why', 'drain', node);
  assert.match(out, new RegExp(`^Node:     ${node}\\nDrain:    kubectl drain ${node} would cordon the node and stop before evicting anything: \\d groups? of pods it cannot delete\\n`));
  assert.match(out, /\nkube-system\/kube-proxy-\S+ +refused +cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\) +--ignore-daemonsets\n/);
  assert.match(out, /\ndefault\/web-\S+ +blocked by PDB +Cannot evict pod as it would violate the pod's disruption budget\. The disruption budget web needs 2 healthy pods and has 2 currently +-\n/);
  assert.match(out, /\nPodDisruptionBudgets:\nPDB +MIN AVAILABLE +MAX UNAVAILABLE +EXPECTED +HEALTHY +DESIRED +ALLOWED\ndefault\/web +2 +N\/A +2 +2 +2 +0\n  web: minAvailable 2 of 2 expected pods → 2 must stay healthy; 2 are healthy now, so 0 disruptions are allowed; (\d) of its \1 pods on the node must wait/);
  assert.match(out, new RegExp(`\\nkubectl drain ${node} would stop with:\\n  cannot delete DaemonSet-managed Pods \\(use --ignore-daemonsets to ignore\\): kube-system/kube-proxy-\\S+\\n`));
  // kubectl agrees: the same refusal, before any eviction.
  const drain = await kubectl('drain', node, '--timeout=5s');
  assert.equal(drain.code, 1);
  assert.match(drain.stderr, /cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/kube-proxy-\S+/);
  await ok('uncordon', node);
});

test('kd snapshot: save, change, restore in place; kubectl sees the saved state and relists', async () => {
  assert.match(await kdOk('snapshot', 'save', 'base'), /^snapshot "base" saved \(cluster time \S+Z\)\n$/);
  await ok('create', 'configmap', 'later', '--from-literal=a=1');
  await ok('delete', 'pod', 'victim', '--wait=false');
  const restored = await kdOk('snapshot', 'restore', 'base');
  assert.match(restored, /^snapshot "base" restored in \d+ ms \(cluster time \S+Z\)\n$/);
  process.stdout.write(`# ${restored}`);
  const gone = await kubectl('get', 'configmap', 'later');
  assert.equal(gone.stderr, 'Error from server (NotFound): configmaps "later" not found\n');
  assert.match(await ok('get', 'pod', 'victim', '--no-headers'), /^victim\s/);
  assert.equal(await kdOk('snapshot', 'list'), (await kdOk('snapshot', 'list')));
  assert.match(await kdOk('snapshot', 'list'), /^NAME   CLUSTER TIME\nbase   \S+Z\n$/);
  await waitFor('the restored cluster runs: victim Running again', async () => /\sRunning\s/.test(await ok('get', 'pod', 'victim', '--no-headers')));
  assert.equal(await kdOk('snapshot', 'delete', 'base'), 'snapshot "base" deleted\n');
  const missing = await kd('snapshot', 'restore', 'base');
  assert.equal(missing.stderr, 'error: snapshot "base" not found\n');
});
