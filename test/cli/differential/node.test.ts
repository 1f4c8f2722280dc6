/**
 * `kd cordon`, `kd uncordon` and `kd taint` against the real kubectl v1.35.2: kubectl acts on
 * node01 and kd on node02 (the node name masked like a namespace), so every case changes the same
 * state on a twin node; `--all` cases are client dry runs that both run on the same nodes.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl, assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NODES: [string, string] = ['node01', 'node02'];

let d: Daemon;
const { getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
});

const CASES: Array<[(node: string) => string[], number]> = [
  [(n) => ['cordon', n], 0],
  [(n) => ['cordon', n], 0],
  [(n) => ['uncordon', `node/${n}`], 0],
  [(n) => ['uncordon', n], 0],
  [(n) => ['cordon', n, '--dry-run=client'], 0],
  [(n) => ['cordon', '-l', `kubernetes.io/hostname=${n}`, '--dry-run=server'], 0],
  [(n) => ['cordon', n, '-l', 'a=b'], 1],
  [(n) => ['cordon', `${n}-nope`], 1],
  [(n) => ['taint', 'nodes', n, 'k=v:NoSchedule'], 0],
  [(n) => ['taint', 'nodes', n, 'k=v:NoSchedule'], 1],
  [(n) => ['taint', 'nodes', n, 'k=w:NoSchedule', '--overwrite'], 0],
  [(n) => ['taint', 'node', n, 'k2:NoExecute', '--dry-run=client'], 0],
  [(n) => ['taint', 'no', n, 'k2=x:PreferNoSchedule', '--dry-run=server', '-o', 'jsonpath={.spec.taints}'], 0],
  [(n) => ['taint', 'nodes', n, 'extra=1:PreferNoSchedule', '-o', 'name'], 0],
  [(n) => ['taint', 'nodes', n, 'k-'], 0],
  [(n) => ['taint', 'nodes', n, 'k-'], 1],
  [(n) => ['taint', 'nodes', n, 'extra:NoSchedule-'], 1],
  [(n) => ['taint', 'nodes', '-l', `kubernetes.io/hostname=${n}`, 'extra:PreferNoSchedule-'], 0],
  [(n) => ['taint', 'nodes', n, 'k=v:Bad'], 1],
  [(n) => ['taint', 'nodes', n, 'k=v'], 1],
  [(n) => ['taint', 'nodes', n, 'b@d=v:NoSchedule'], 1],
  [(n) => ['taint', 'nodes', n], 1],
  [(n) => ['taint', 'nodes', n, 'a=b:NoSchedule', 'a-'], 1],
  [(n) => ['taint', 'pods', n, 'a=b:NoSchedule'], 1],
  [(n) => ['taint', 'nodes', `${n}-nope`, 'a=b:NoSchedule'], 1],
  [(n) => ['taint', 'nodes', n, 'a=b:NoSchedule', n], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args('NODE').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NODES);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

/** Cases that change nothing, so kubectl and kd run them on the same nodes. */
const READ_ONLY: Array<[string[], number]> = [
  [['cordon'], 1],
  [['cordon', '-l', 'nonexistent=1'], 0],
  [['taint', 'nodes', '--all', 'a=b:PreferNoSchedule', '--dry-run=client', '-o', 'name'], 0],
  [['taint', 'nodes', '-l', 'x=y', '--all', 'a=b:NoSchedule'], 1],
  [['taint', 'nodes', 'a=b:NoSchedule'], 1],
];

for (const [args, code] of READ_ONLY) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('cordon and taint leave the same spec on both nodes', async () => {
  const [a, b] = await Promise.all(NODES.map((n) => getJson(`/api/v1/nodes/${n}`)));
  assert.deepEqual(b.spec.taints, a.spec.taints);
  assert.equal(b.spec.unschedulable, a.spec.unschedulable);
  assert.deepEqual(a.spec.taints, undefined);
});
