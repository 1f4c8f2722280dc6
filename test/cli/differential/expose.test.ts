/**
 * `kd expose` against the real kubectl v1.35.2 in twin namespaces: the Service kubectl generates
 * from a Deployment, Pod or Service (selector, ports and protocols by introspection or flags),
 * creation, dry runs and the errors.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['expose-a', 'expose-b'];

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--port=80', '-n', ns);
    await ok('create', 'deployment', 'noport', '--image=nginx:1.27', '-n', ns);
    await ok('run', 'solo', '--image=nginx:1.27', '--port=8080', '--labels=app=solo,tier=back', '-n', ns);
    await ok('create', 'configmap', 'cfg', '--from-literal=a=b', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

const CASES: Array<[(ns: string) => string[], number]> = [
  [(ns) => ['expose', 'deploy', 'web', '-n', ns], 0],
  [(ns) => ['expose', 'deploy', 'web', '-n', ns], 1],
  [(ns) => ['expose', 'deploy', 'web', '--port=81', '--target-port=8080', '--name=w2', '--type=NodePort', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['expose', 'deploy', 'noport', '-n', ns], 1],
  [(ns) => ['expose', 'deploy', 'noport', '--port=80', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['expose', 'pod', 'solo', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['expose', 'pod/solo', '--name=solo-udp', '--protocol=UDP', '-o', 'jsonpath={.spec.ports}', '-n', ns], 0],
  [(ns) => ['expose', 'svc', 'web', '--name=web2', '--port=90', '--dry-run=server', '-o', 'name', '-n', ns], 0],
  [(ns) => ['expose', 'svc', 'web', '--name=web3', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['expose', 'deploy', 'web', '--selector=x=y', '--port=80,443', '--name=multi', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['expose', 'deploy', 'web', '--name=lab', '-l', 'a=b', '--target-port=http', '--dry-run=client', '-o', 'yaml', '-n', ns], 0],
  [(ns) => ['expose', 'deploy/web', '--port=80', '--name=headless', '--cluster-ip=None', '--dry-run=client', '-o', 'json', '-n', ns], 0],
  [(ns) => ['expose', 'deploy', 'nope', '--port=80', '-n', ns], 1],
  [(ns) => ['expose', 'cm', 'cfg', '--port=80', '-n', ns], 1],
  [(ns) => ['expose', 'deploy', 'web', '--port=80', '--type=Bad', '--name=bad', '-n', ns], 1],
  [(ns) => ['expose', '-n', ns], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('expose creates the same Services in both namespaces', async () => {
  for (const name of ['web', 'solo-udp']) {
    const [a, b] = await Promise.all(NS.map((ns) => getJson(`/api/v1/namespaces/${ns}/services/${name}`)));
    assert.deepEqual(b.spec.ports, a.spec.ports);
    assert.deepEqual(b.spec.selector, a.spec.selector);
    assert.deepEqual(b.metadata.labels, a.metadata.labels);
  }
});
