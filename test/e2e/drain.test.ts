/**
 * The drain rehearsal through the real kubectl v1.35.2 on a fast clock: cordon/uncordon, drain's
 * refusal, dry runs, PDB-blocked evictions retried every 5s until the budget is relaxed,
 * --timeout, --disable-eviction with --pod-selector and --grace-period, and kubectl taint with
 * NoExecute eviction. The tests run in order on one daemon and build on each other's state.
 *
 * The cluster has kubeadm's kube-system as a real one does: drain reports each node's kube-proxy
 * among the DaemonSet-managed pods, evicts the CoreDNS replica on the drained node (no PDB guards
 * it) and skips the control plane's mirror pods without a word.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { maskAge, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';
import { kubectlPath } from '../support/kubectl.js';

const SPEED = '20';
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

let d: Daemon;
const files = tempFiles('kd-e2e-drain-');
const { kubectl, ok, getJson, waitFor, watch } = e2e(() => d);

const DAEMONSET = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "busybox:1.36", command: [sleep, infinity]}]
`;

const SCRATCH = `apiVersion: v1
kind: Pod
metadata: {name: scratch}
spec:
  nodeName: node01
  containers: [{name: app, image: "nginx:1.27", volumeMounts: [{name: tmp, mountPath: /tmp}]}]
  volumes: [{name: tmp, emptyDir: {}}]
`;

const isReady = (p: any): boolean => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Names (`namespace/name`) of the pods bound to a node, in API list order. */
async function podsOn(node: string): Promise<string[]> {
  const list = await getJson(`/api/v1/pods?fieldSelector=spec.nodeName%3D${node}`);
  return list.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`);
}

async function webPodsOn(node: string): Promise<string[]> {
  return (await podsOn(node)).filter((k) => k.startsWith('default/web-')).map((k) => k.slice('default/'.length));
}

async function agentOn(node: string): Promise<string> {
  return (await podsOn(node)).find((k) => k.startsWith('kube-system/agent-'))!;
}

/** The node's kube-proxy pod (kubeadm's DaemonSet), `kube-system/kube-proxy-xxxxx`. */
async function kubeProxyOn(node: string): Promise<string> {
  return (await podsOn(node)).find((k) => /^kube-system\/kube-proxy-[a-z0-9]{5}$/.test(k))!;
}

/** The CoreDNS replicas bound to a node, `kube-system/coredns-<hash>-<suffix>`. */
async function coreDNSOn(node: string): Promise<string[]> {
  return (await podsOn(node)).filter((k) => k.startsWith('kube-system/coredns-'));
}

/** Generated pod-name suffixes replaced by placeholders, for goldens. */
function maskPods(text: string): string {
  return text
    .replace(/\bweb-[a-z0-9]+-[a-z0-9]{5}\b/g, 'web-<pod>')
    .replace(/\bcoredns-[a-z0-9]+-[a-z0-9]{5}\b/g, 'coredns-<pod>')
    .replace(/\b(agent|kube-proxy)-[a-z0-9]{5}\b/g, '$1-<pod>');
}

/** drain's warning groups come from a Go map: compare them as a set. */
function warningGroups(stderrLine: string): string[] {
  assert.match(stderrLine, /^Warning: /);
  return stderrLine.slice('Warning: '.length).split('; ').sort();
}

/** A kubectl whose output is read while it runs (drain retries until something else changes). */
async function startKubectl(args: string[]): Promise<{ out: string[]; err: string[]; done: Promise<number> }> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: d.home, KUBECACHEDIR: join(d.home, '.kube', 'cache') };
  const child = spawn(await kubectlPath(), ['--kubeconfig', d.kubeconfig, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  const collect = (into: string[]) => {
    let buf = '';
    return (c: string) => {
      buf += c;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      into.push(...lines);
    };
  };
  child.stdout.setEncoding('utf8').on('data', collect(out));
  child.stderr.setEncoding('utf8').on('data', collect(err));
  const done = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  return { out, err, done };
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', SPEED, '--random-seed', '7'] });
  await ok('apply', '-f', files.file('ds.yaml', DAEMONSET));
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3');
  await ok('create', 'pdb', 'web', '--selector=app=web', '--min-available=3');
  await ok('run', 'bare', '--image=nginx:1.27', '--overrides={"spec":{"nodeName":"node01"}}');
  await ok('apply', '-f', files.file('scratch.yaml', SCRATCH));
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('rollout', 'status', 'daemonset/agent', '-n', 'kube-system', '--timeout=60s');
  await ok('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=60s');
  await ok('rollout', 'status', 'daemonset/kube-proxy', '-n', 'kube-system', '--timeout=60s');
  await waitFor('bare and scratch Ready', async () => {
    const pods = (await getJson('/api/v1/namespaces/default/pods')).items;
    return ['bare', 'scratch'].every((n) => pods.some((p: any) => p.metadata.name === n && isReady(p)));
  });
  await waitFor('the PDB to count 3 healthy pods', async () => (await getJson('/apis/policy/v1/namespaces/default/poddisruptionbudgets/web')).status?.currentHealthy === 3);
  assert.ok((await webPodsOn('node01')).length >= 1, 'the spread put a web pod on node01');
  assert.equal((await coreDNSOn('node01')).length, 1, 'CoreDNS spread its two replicas over the workers');
});
after(async () => {
  await d.stop();
  files.remove();
});

test('cordon and uncordon: kubectl\'s lines, SchedulingDisabled, the unschedulable taint and the node events', async () => {
  assert.equal(await ok('cordon', 'node02'), 'node/node02 cordoned\n');
  assert.equal(await ok('cordon', 'node02'), 'node/node02 already cordoned\n');
  assertGolden('e2e/testdata/drain/get-nodes-cordoned.txt', maskAge(await ok('get', 'nodes')));
  await waitFor('the unschedulable taint', async () => {
    const taints = (await getJson('/api/v1/nodes/node02')).spec.taints ?? [];
    return taints.some((t: any) => t.key === 'node.kubernetes.io/unschedulable' && t.effect === 'NoSchedule');
  });
  // The kubelet notices the change at its next node status sync (every 10 s): an uncordon before
  // that would leave no events at all, so the test waits for the first one.
  const schedulingEvents = async () => {
    const events = (await getJson('/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dnode02')).items;
    return events.filter((e: any) => e.reason === 'NodeNotSchedulable' || e.reason === 'NodeSchedulable').map((e: any) => `${e.reason} ${e.source.component} ${e.message}`).sort();
  };
  await waitFor('NodeNotSchedulable', async () => (await schedulingEvents()).length === 1);
  assert.equal(await ok('uncordon', 'node02'), 'node/node02 uncordoned\n');
  assert.equal(await ok('uncordon', 'node02'), 'node/node02 already uncordoned\n');
  await waitFor('the taint to go', async () => !((await getJson('/api/v1/nodes/node02')).spec.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unschedulable'));
  const reasons = await waitFor('NodeNotSchedulable and NodeSchedulable', async () => {
    const found = await schedulingEvents();
    return found.length === 2 ? found : undefined;
  });
  assert.deepEqual(reasons, ['NodeNotSchedulable kubelet Node node02 status is now: NodeNotSchedulable', 'NodeSchedulable kubelet Node node02 status is now: NodeSchedulable']);
});

test('drain --dry-run=client and --dry-run=server list what would go and change nothing', async () => {
  const web = await webPodsOn('node01');
  const coredns = await coreDNSOn('node01');
  const client = await kubectl('drain', 'node01', '--dry-run=client', '--ignore-daemonsets', '--force', '--delete-emptydir-data');
  assert.equal(client.code, 0, client.stderr);
  // Pods come in the API's list order: namespace, then name.
  const evicting = [...['bare', 'scratch', ...web].map((p) => `default/${p}`), ...coredns].map((p) => `evicting pod ${p} (dry run)`);
  assert.equal(client.stdout, ['node/node01 cordoned (dry run)', ...evicting, 'node/node01 drained (dry run)', ''].join('\n'));
  const daemons = `${await agentOn('node01')}, ${await kubeProxyOn('node01')}`;
  assert.deepEqual(warningGroups(client.stderr.trimEnd()), [`deleting Pods that declare no controller: default/bare, default/scratch`, `ignoring DaemonSet-managed Pods: ${daemons}`]);
  assertGolden('e2e/testdata/drain/dry-run-client.txt', maskPods(client.stdout));

  // The control plane: its four mirror pods are skipped silently, only kube-proxy is worth a warning.
  const cp = await kubectl('drain', 'controlplane', '--dry-run=client', '--ignore-daemonsets');
  const cpCoreDNS = (await coreDNSOn('controlplane')).map((p) => `evicting pod ${p} (dry run)`);
  assert.deepEqual([cp.code, cp.stdout, cp.stderr], [0, ['node/controlplane cordoned (dry run)', ...cpCoreDNS, 'node/controlplane drained (dry run)', ''].join('\n'), `Warning: ignoring DaemonSet-managed Pods: ${await kubeProxyOn('controlplane')}\n`]);
  const mirrors = (await podsOn('controlplane')).filter((k) => /-controlplane$/.test(k));
  assert.deepEqual(mirrors, ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((c) => `kube-system/${c}-controlplane`));

  const server = await kubectl('drain', 'node01', '--dry-run=server', '--pod-selector=run=bare', '--force');
  assert.equal(server.code, 0, server.stderr);
  assert.equal(server.stdout, 'node/node01 cordoned (server dry run)\nevicting pod default/bare (server dry run)\nnode/node01 drained (server dry run)\n');
  assert.equal(server.stderr, 'Warning: deleting Pods that declare no controller: default/bare\n');
  const node = await getJson('/api/v1/nodes/node01');
  assert.equal(node.spec.unschedulable, undefined, 'neither dry run cordons');
  const bare = await getJson('/api/v1/namespaces/default/pods/bare');
  assert.equal(bare.metadata.deletionTimestamp, undefined);
  assert.equal(bare.status.conditions.some((c: any) => c.type === 'DisruptionTarget'), false);
});

test('drain without flags refuses: unmanaged, DaemonSet and emptyDir pods; the node stays cordoned', async () => {
  const daemons = `${await agentOn('node01')}, ${await kubeProxyOn('node01')}`;
  const before = await podsOn('node01');
  const r = await kubectl('drain', 'node01');
  assert.equal(r.code, 1);
  assert.equal(r.stdout, 'node/node01 cordoned\n');
  // kubectl v1.35.2 prefixes its own "cannot delete ..." constant again for unmanaged pods.
  const groups = [
    'cannot delete cannot delete Pods that declare no controller (use --force to override): default/bare',
    `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${daemons}`,
    'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch',
  ];
  const lines = r.stderr.trimEnd().split('\n');
  const m = /^error: unable to drain node "node01" due to error: \[(.*)\], continuing command\.\.\.$/.exec(lines[0]!);
  assert.ok(m, r.stderr);
  const inline = m[1]!.split(/, (?=cannot delete )/);
  assert.deepEqual([...inline].sort(), [...groups].sort());
  assert.deepEqual(lines.slice(1), ['There are pending nodes to be drained:', ' node01', ...inline], 'the same groups again, in the same order');
  const normalized = [lines[0]!.replace(m[1]!, [...inline].sort().join(', ')), ...lines.slice(1, 3), ...[...inline].sort()].join('\n');
  assertGolden('e2e/testdata/drain/refused.txt', maskPods(`${r.stdout}${normalized}\n`));
  const nodes = maskAge(await ok('get', 'nodes', 'node01'));
  assert.equal(nodes, 'NAME     STATUS                     ROLES    AGE   VERSION\nnode01   Ready,SchedulingDisabled   <none>   <age>   v1.35.2\n');
  assert.deepEqual(await podsOn('node01'), before, 'nothing was evicted');
});

test('drain --timeout gives up on PDB-blocked pods after evicting the others, CoreDNS included', async () => {
  const web = await webPodsOn('node01');
  const daemons = `${await agentOn('node01')}, ${await kubeProxyOn('node01')}`;
  const coredns = (await coreDNSOn('node01')).map((k) => k.slice('kube-system/'.length));
  const r = await kubectl('drain', 'node01', '--ignore-daemonsets', '--force', '--delete-emptydir-data', '--timeout=8s');
  assert.equal(r.code, 1, r.stderr);
  const out = r.stdout.trimEnd().split('\n');
  assert.equal(out[0], 'node/node01 already cordoned');
  const gone = ['bare', 'scratch', ...coredns];
  const legit = new Set([...['bare', 'scratch', ...web].map((p) => `evicting pod default/${p}`), ...coredns.map((p) => `evicting pod kube-system/${p}`), ...gone.map((p) => `pod/${p} evicted`)]);
  for (const l of out.slice(1)) assert.ok(legit.has(l), `unexpected stdout line: ${l}`);
  for (const p of gone) assert.equal(out.filter((l) => l === `pod/${p} evicted`).length, 1, `${p} evicted once`);
  for (const p of web) assert.ok(out.filter((l) => l === `evicting pod default/${p}`).length >= 2, `${p} was retried`);

  const err = r.stderr.trimEnd().split('\n');
  assert.deepEqual(warningGroups(err[0]!), ['deleting Pods that declare no controller: default/bare, default/scratch', `ignoring DaemonSet-managed Pods: ${daemons}`]);
  const timeouts = web.map((p) => `error when evicting pods/"${p}" -n "default": global timeout reached: 8s`);
  const tail = err.slice(err.findIndex((l) => l.startsWith('There are pending pods')));
  const aggregate = (list: string[]) => (list.length === 1 ? list[0]! : `[${list.join(', ')}]`);
  const order = web.length === 1 ? timeouts : timeouts.filter((t) => tail[0]!.indexOf(t) >= 0).sort((a, b) => tail[0]!.indexOf(a) - tail[0]!.indexOf(b));
  assert.deepEqual(tail, [
    `There are pending pods in node "node01" when an error occurred: ${aggregate(order)}`,
    ...[...web].sort().map((p) => `pod/${p}`),
    `error: unable to drain node "node01" due to error: ${aggregate(order)}, continuing command...`,
    'There are pending nodes to be drained:',
    ' node01',
    ...order,
  ]);
  for (const l of err.slice(1, err.length - tail.length)) {
    assert.ok(web.some((p) => l === `error when evicting pods/"${p}" -n "default" (will retry after 5s): ${VIOLATION}`), `unexpected stderr line: ${l}`);
  }
  assert.deepEqual(await webPodsOn('node01'), web, 'the budget kept the web pods');
  for (const p of web) assert.equal((await getJson(`/api/v1/namespaces/default/pods/${p}`)).metadata.deletionTimestamp, undefined);
  assert.deepEqual((await podsOn('node01')).filter((k) => k.startsWith('default/')), web.map((p) => `default/${p}`));
  assert.deepEqual(await coreDNSOn('node01'), [], 'CoreDNS left the node');
  await ok('rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=60s');
});

test('drain retries on 429 until the PDB is relaxed, then completes; replacements run on node02', async () => {
  const web = await webPodsOn('node01');
  const agent = await agentOn('node01');
  const kubeProxy = await kubeProxyOn('node01');
  const disrupted = new Map<string, string[]>();
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&labelSelector=app%3Dweb', (_type, pod) => {
    const seen = disrupted.get(pod.metadata.name) ?? [];
    const target = pod.status?.conditions?.find((c: any) => c.type === 'DisruptionTarget');
    const step = pod.metadata.deletionTimestamp ? 'deleting' : target ? `${target.reason}: ${target.message}` : 'running';
    if (seen.at(-1) !== step) seen.push(step);
    disrupted.set(pod.metadata.name, seen);
  });
  const drain = await startKubectl(['drain', 'node01', '--ignore-daemonsets', '--force', '--delete-emptydir-data', '--timeout=120s']);
  await waitFor('a PDB refusal', async () => drain.err.some((l) => l.startsWith('error when evicting')));
  assert.equal(await ok('patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":2}}'), 'poddisruptionbudget.policy/web patched\n');
  assert.equal(await drain.done, 0, drain.err.join('\n'));
  w.stop();

  assert.equal(drain.out[0], 'node/node01 already cordoned');
  assert.equal(drain.out.at(-1), 'node/node01 drained');
  for (const l of drain.out.slice(1, -1)) assert.ok(web.some((p) => l === `evicting pod default/${p}` || l === `pod/${p} evicted`), `unexpected stdout line: ${l}`);
  for (const p of web) assert.equal(drain.out.filter((l) => l === `pod/${p} evicted`).length, 1, `${p} evicted once`);
  assert.equal(drain.err[0], `Warning: ignoring DaemonSet-managed Pods: ${agent}, ${kubeProxy}`);
  for (const l of drain.err.slice(1)) {
    assert.ok(web.some((p) => l === `error when evicting pods/"${p}" -n "default" (will retry after 5s): ${VIOLATION}`), `unexpected stderr line: ${l}`);
  }
  for (const p of web) assert.deepEqual(disrupted.get(p), ['running', 'EvictionByEvictionAPI: Eviction API: evicting', 'deleting'], p);

  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  assert.deepEqual(await webPodsOn('node01'), []);
  assert.equal((await webPodsOn('node02')).length, 3, 'the replacements avoid the cordoned node');
  assert.deepEqual((await podsOn('node01')), [agent, kubeProxy], 'only the DaemonSet pods stay');
  assert.equal(await ok('uncordon', 'node01'), 'node/node01 uncordoned\n');
  assert.equal(maskAge(await ok('get', 'pdb', 'web')), 'NAME   MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nweb    2               N/A               1                     <age>\n');
});

test('--disable-eviction deletes past a PDB; --pod-selector narrows the pods; --grace-period reaches the delete', async () => {
  await ok('run', 'solo', '--image=nginx:1.27', '--labels=app=solo', '--overrides={"spec":{"nodeName":"node01"}}');
  await ok('run', 'other', '--image=nginx:1.27', '--labels=app=other', '--overrides={"spec":{"nodeName":"node01"}}');
  await ok('create', 'pdb', 'solo', '--selector=app=solo', '--min-available=1');
  await waitFor('solo Ready and counted', async () => (await getJson('/apis/policy/v1/namespaces/default/poddisruptionbudgets/solo')).status?.currentHealthy === 1);
  await waitFor('other Ready', async () => isReady(await getJson('/api/v1/namespaces/default/pods/other')));
  let grace: number | undefined;
  const w = await watch('/api/v1/namespaces/default/pods?watch=true&fieldSelector=metadata.name%3Dsolo', (_type, pod) => {
    grace ??= pod.metadata.deletionGracePeriodSeconds;
  });
  const r = await kubectl('drain', 'node01', '--pod-selector=app=solo', '--force', '--disable-eviction', '--grace-period=5');
  w.stop();
  const transcript = `$ kubectl drain node01 --pod-selector=app=solo --force --disable-eviction --grace-period=5\n${r.stdout}${r.stderr}exit ${r.code}\n`;
  assertGolden('e2e/testdata/drain/disable-eviction.txt', transcript);
  assert.equal(r.stdout, 'node/node01 cordoned\npod/solo deleted\nnode/node01 drained\n');
  assert.equal(r.stderr, 'Warning: deleting Pods that declare no controller: default/solo\n');
  assert.equal(grace, 5);
  assert.ok((await podsOn('node01')).includes('default/other'), 'the selector kept other');
  assert.equal(await ok('uncordon', 'node01'), 'node/node01 uncordoned\n');
});

test('kubectl taint adds, refuses, overwrites and removes; NoExecute evicts pods that do not tolerate it', async () => {
  await ok('run', 'tolerant', '--image=nginx:1.27', '--overrides={"spec":{"nodeName":"node01","tolerations":[{"key":"evict","operator":"Exists","effect":"NoExecute"}]}}');
  await waitFor('tolerant Ready', async () => isReady(await getJson('/api/v1/namespaces/default/pods/tolerant')));
  const agent = await agentOn('node01');
  const lines: string[] = [];
  const run = async (...args: string[]) => {
    const r = await kubectl('taint', 'nodes', 'node01', ...args);
    lines.push(`$ kubectl taint nodes node01 ${args.join(' ')}`, ...`${r.stdout}${r.stderr}`.trimEnd().split('\n'), `exit ${r.code}`);
    return r;
  };
  await run('dedicated=special:NoSchedule');
  await run('dedicated=other:NoSchedule');
  await run('dedicated=other:NoSchedule', '--overwrite');
  const taints = (await getJson('/api/v1/nodes/node01')).spec.taints;
  assert.deepEqual(taints, [{ key: 'dedicated', value: 'other', effect: 'NoSchedule' }]);
  await run('dedicated:NoSchedule-');
  await run('dedicated-');
  await run('evict=now:NoExecute');
  assertGolden('e2e/testdata/drain/taint.txt', `${lines.join('\n')}\n`);

  await waitFor('other and the agent evicted', async () => {
    const on = await podsOn('node01');
    return !on.includes('default/other') && !on.includes(agent);
  });
  // kube-proxy tolerates every taint (operator Exists), so NoExecute leaves it running.
  assert.deepEqual(await podsOn('node01'), ['default/tolerant', await kubeProxyOn('node01')]);
  const events = (await getJson('/api/v1/namespaces/default/events?fieldSelector=reason%3DTaintManagerEviction')).items;
  assert.deepEqual(events.map((e: any) => `${e.involvedObject.name}: ${e.message}`), ['other: Marking for deletion Pod default/other']);
  assert.equal((await kubectl('taint', 'nodes', 'node01', 'evict:NoExecute-')).stdout, 'node/node01 untainted\n');
  await waitFor('the DaemonSet back on node01', async () => (await podsOn('node01')).some((k) => k.startsWith('kube-system/agent-')));
});
