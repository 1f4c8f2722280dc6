/**
 * `kd top` against the real kubectl v1.35.2 on one daemon: node and pod usage from the simulated
 * metrics-server with percentages, sorting (Go's order for ties), containers, namespaces, sums,
 * selectors, and kubectl's errors. The workloads are idle and settled, so both tools read the same
 * numbers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, kubectl, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('run', 'solo', '--image=nginx:1.27');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pod/solo', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pods', '--all', '-n', 'kube-system', '--timeout=60s');
  await waitFor('metrics of the 3 pods', async () => {
    const r = await kubectl('top', 'pods', '--no-headers');
    return r.code === 0 && r.stdout.trimEnd().split('\n').length === 3;
  });
  // Let a full window pass so that no later scrape changes the numbers between the two runs.
  await waitFor('a second scrape', async () => (await ok('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/solo')).includes('"window":"15s"'));
});
after(async () => {
  await d.stop();
});

const CASES: Array<[string[], number]> = [
  [['top', 'nodes'], 0],
  [['top', 'node', 'node01'], 0],
  [['top', 'no', '--no-headers', '--sort-by=memory'], 0],
  [['top', 'nodes', '--sort-by=cpu', '--show-capacity'], 0],
  [['top', 'nodes', '-l', 'node-role.kubernetes.io/control-plane'], 0],
  [['top', 'pods'], 0],
  [['top', 'pod', 'solo'], 0],
  [['top', 'pods', '-A'], 0],
  [['top', 'pods', '-A', '--containers', '--sort-by=memory'], 0],
  [['top', 'po', '--sort-by=cpu', '--sum'], 0],
  [['top', 'pods', '-l', 'app=web', '--no-headers'], 0],
  [['top', 'pods', '--field-selector', 'metadata.name=solo', '--containers'], 0],
  [['top', 'pods', '-n', 'kube-public'], 0],
  [['top', 'node', 'nope'], 1],
  [['top', 'node', 'a', 'b'], 1],
  [['top', 'node', 'node01', '-l', 'x=y'], 1],
  [['top', 'nodes', '--sort-by=name'], 1],
  [['top', 'pod', 'nope'], 1],
  [['top', 'pods', '--sort-by=age'], 1],
  [['top', 'pod', 'solo', '-l', 'a=b'], 1],
];

/** CPU cells like `42m` look like ages to the AGE mask; unmask nothing, compare them exactly. */
for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}
