/**
 * `kd scale` against the real kubectl v1.35.2 on twin Deployments in two namespaces: the merge
 * patch of /scale, the checked PUT of --current-replicas / --resource-version, --timeout, dry runs,
 * printing, and kubectl's flag and precondition errors; and `kd autoscale`, whose HPAs target them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['scale-a', 'scale-b'];
/** The resource versions of the two twins differ. */
const maskVersion = (t: string) => t.replace(/, was \d+/g, ', was RV');
const DEPLOY_MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: NAMESPACE\n';

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=1', '-n', ns);
    await ok('create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=1', '-n', ns);
    await ok('run', 'solo', '--image=nginx:1.27', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

const CASES: Array<[(ns: string) => string[], number, string?]> = [
  [(ns) => ['scale', 'deploy', 'web', '--replicas=2', '-n', ns], 0],
  [(ns) => ['scale', 'deploy/web', '--replicas=3', '--dry-run=client', '-n', ns], 0],
  [(ns) => ['scale', 'deploy/web', '--replicas=3', '--dry-run=server', '-o', 'name', '-n', ns], 0],
  [(ns) => ['scale', 'deploy', 'web', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', '--replicas=-2', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', '--replicas=x', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', '--replicas=2', '--current-replicas=-3', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', '--current-replicas=1', '--replicas=3', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', '--current-replicas=2', '--replicas=3', '-o', 'jsonpath={.spec.replicas}', '-n', ns], 0],
  [(ns) => ['scale', 'deploy', 'web', '--resource-version=1', '--replicas=2', '-n', ns], 1],
  [(ns) => ['scale', 'pod', 'solo', '--replicas=2', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', '--replicas=2', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'nope', '--replicas=2', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', 'web', 'nope', '--replicas=2', '--dry-run=client', '-n', ns], 1],
  [(ns) => ['scale', 'deploy', '--all', '--replicas=2', '-o', 'name', '-n', ns], 0],
  [(ns) => ['scale', 'deploy', '-l', 'app=api', '--replicas=1', '-n', ns], 0],
  [(ns) => ['scale', '--replicas=2', '-n', ns], 1],
  [(ns) => ['scale', '-f', '-', '--replicas=1', '--timeout=60s', '-n', ns], 0, DEPLOY_MANIFEST],
  [(ns) => ['scale', 'deploy', 'web', 'api', '--replicas=1', '--resource-version=5', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy', 'web', '--min=2', '--max=5', '--cpu-percent=80', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--max=5', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--max=3', '--cpu=70%', '--memory=200', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--max=3', '--name=h2', '--dry-run=server', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--max=3', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--max=3', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy/api', '--max=4', '--cpu=50%', '-o', 'name', '-n', ns], 0],
  [(ns) => ['autoscale', 'deploy', 'web', '--min=2', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy', 'web', '--min=6', '--max=5', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy/web', '--max=0', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy/web', '--max=x', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy/web', '--max=3', '--cpu=abc', '-n', ns], 1],
  [(ns) => ['autoscale', 'pod', 'solo', '--max=3', '-n', ns], 1],
  [(ns) => ['autoscale', 'deploy', 'nope', '--max=3', '-n', ns], 1],
];

for (const [args, code, stdin] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS, { stdin, mask: maskVersion });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('scale leaves the same sizes in both namespaces, and --timeout waited for the new size', async () => {
  for (const name of ['web', 'api']) {
    const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/${name}/scale`)));
    assert.equal(b.spec.replicas, a.spec.replicas);
    assert.equal(a.spec.replicas, 1);
  }
  const web = await getJson(`/apis/apps/v1/namespaces/${NS[1]}/deployments/web/scale`);
  assert.equal(web.status.replicas, 1);
  const [ha, hb] = await Promise.all(NS.map((ns) => getJson(`/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/api`)));
  assert.deepEqual(hb.spec, ha.spec);
  assert.equal(ha.spec.maxReplicas, 4);
});
