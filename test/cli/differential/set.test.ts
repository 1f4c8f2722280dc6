/**
 * `kd set image|env|resources` against the real kubectl v1.35.2 on twin Deployments and pods in two
 * namespaces; after the cases the pod templates must be identical.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['set-a', 'set-b'];
const ENV_PATH = 'jsonpath={.spec.template.spec.containers[0].env}';

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=1', '-n', ns);
    await ok('run', 'solo', '--image=nginx:1.27', '-n', ns);
    await ok('create', 'configmap', 'cfg', '--from-literal=log.level=debug', '-n', ns);
    await ok('create', 'secret', 'generic', 'creds', '--from-literal=TOKEN=t0k', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

const CASES: Array<[(ns: string) => string[], number]> = [
  [(ns) => ['set', 'image', 'deploy/web', 'nginx=nginx:1.28', '-n', ns], 0],
  [(ns) => ['set', 'image', 'deploy/web', 'nginx=nginx:1.28', '-n', ns], 0],
  [(ns) => ['set', 'image', 'deploy/web', 'x=nginx:1', '-n', ns], 1],
  [(ns) => ['set', 'image', 'deploy/web', '*=nginx:1.29', '--dry-run=client', '-n', ns], 0],
  [(ns) => ['set', 'image', 'deploy', 'web', 'nginx=nginx:1.29', '-o', 'name', '--dry-run=server', '-n', ns], 0],
  [(ns) => ['set', 'image', 'deploy/web', '-n', ns], 1],
  [(ns) => ['set', 'image', 'deploy/web', 'nginx', '-n', ns], 1],
  [(ns) => ['set', 'image', 'pod/solo', 'solo=busybox:1.36', 'other=x', '-n', ns], 1],
  [(ns) => ['set', 'image', 'deploy/nope', 'a=b', '-n', ns], 1],
  [(ns) => ['set', 'image', 'deploy', '--all', 'nginx=nginx:1.26', '-o', 'jsonpath={.spec.template.spec.containers[0].image}', '-n', ns], 0],
  [(ns) => ['set', 'image', 'svc/web', 'a=b', '-n', ns], 1],
  [(ns) => ['set', 'image', 'deploy/web', '*=a', 'nginx=b', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', 'FOO=bar', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', 'FOO=bar', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '--list', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '-e', 'A=1', 'B=2', '-o', 'name', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', 'FOO-', 'A-', '-o', ENV_PATH, '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '--from=configmap/cfg', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '--from=secret/creds', '--prefix=APP_', '--dry-run=client', '-o', ENV_PATH, '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '--list', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '-c', 'x', 'A=1', '-n', ns], 0],
  [(ns) => ['set', 'env', 'deploy/web', '1A=1', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', 'A=1', 'B', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', 'A=1', 'A-', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', '--keys=A', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', '--from=configmap/nope', '-n', ns], 1],
  [(ns) => ['set', 'env', 'deploy/web', '-n', ns], 0],
  [(ns) => ['set', 'resources', 'deploy/web', '--limits=cpu=200m,memory=64Mi', '-n', ns], 0],
  [(ns) => ['set', 'resources', 'deploy/web', '--limits=cpu=200m,memory=64Mi', '-n', ns], 0],
  [(ns) => ['set', 'resources', 'deploy/web', '--requests=cpu=0.1', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[0].resources}', '-n', ns], 0],
  [(ns) => ['set', 'resources', 'deploy/web', '-c', 'x', '--limits=cpu=1', '-n', ns], 1],
  [(ns) => ['set', 'resources', 'deploy/web', '-n', ns], 1],
  [(ns) => ['set', 'resources', 'deploy/web', '--limits=cpu=abc', '-n', ns], 1],
  [(ns) => ['set', 'resources', 'deploy/web', '--limits=foo', '-n', ns], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('set leaves the same pod templates in both namespaces', async () => {
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.deepEqual(b.spec.template, a.spec.template);
  const c = a.spec.template.spec.containers[0];
  assert.equal(c.image, 'nginx:1.26');
  assert.deepEqual(c.resources.limits, { cpu: '200m', memory: '64Mi' });
  assert.deepEqual(c.env.map((e: { name: string }) => e.name), ['B', 'LOG_LEVEL']);
  const [pa, pb] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/pods/solo`)));
  assert.equal(pa.spec.containers[0].image, 'busybox:1.36');
  assert.equal(pb.spec.containers[0].image, 'busybox:1.36');
});
