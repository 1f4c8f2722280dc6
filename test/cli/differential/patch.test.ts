/**
 * `kd patch` against the real kubectl v1.35.2 on twin objects in two namespaces: strategic, merge
 * and JSON patches, YAML patches, --patch-file, --subresource, dry runs, printing and the errors of
 * both the client and the server.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';

const NS: [string, string] = ['patch-a', 'patch-b'];
const files = tempFiles('kd-diff-patch-');
const PATCH_FILE = files.file('patch.yaml', 'metadata:\n  labels:\n    from: file\n');

let d: Daemon;
const { ok, getJson } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=1', '-n', ns);
    await ok('run', 'solo', '--image=nginx:1.27', '-n', ns);
  }
});
after(async () => {
  await d.stop();
  files.remove();
});

const CASES: Array<[(ns: string) => string[], number]> = [
  [(ns) => ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}', '-n', ns], 0],
  [(ns) => ['patch', 'deployment/web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"a":"b"}}}', '--dry-run=client', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"a":"b"}}}', '--dry-run=client', '-o', 'jsonpath={.metadata.labels}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]', '-o', 'name', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"remove","path":"/spec/nope"}]', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '--type=json', '-p', '{"op":"x"}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '--type=bogus', '-p', '{}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{bad', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{bad', '--dry-run=client', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'nope', '-p', '{}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', '-p', '{}', '-n', ns], 1],
  [(ns) => ['patch', '-p', '{}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":-1}}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":2}}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--subresource=bogus', '-p', '{}', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '--type=merge', '-p', 'metadata: {labels: {yaml: "yes"}}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--patch-file', PATCH_FILE, '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '--patch-file', '/nonexistent/patch.yaml', '-n', ns], 1],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{}', '--patch-file', PATCH_FILE, '-n', ns], 1],
  [(ns) => ['patch', 'deploy/web', 'pod/solo', '--type=merge', '-p', '{"metadata":{"labels":{"z":"1"}}}', '-n', ns], 0],
  [(ns) => ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":4}}', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}', '-n', ns], 0],
  [(ns) => ['patch', 'pod', 'solo', '--subresource=status', '--type=merge', '-p', '{"status":{"message":"hi"}}', '-o', 'jsonpath={.status.message}', '-n', ns], 0],
];

for (const [args, code] of CASES) {
  test(`kd ${args('NS').join(' ')}`, async () => {
    const want = await assertSameInNamespaces(d, args, NS);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

test('patch leaves the same Deployment in both namespaces', async () => {
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.deepEqual(b.spec, a.spec);
  assert.deepEqual(b.metadata.labels, a.metadata.labels);
  assert.equal(a.spec.template.spec.containers[0].image, 'nginx:1.28');
  assert.equal(a.metadata.labels.from, 'file');
});
