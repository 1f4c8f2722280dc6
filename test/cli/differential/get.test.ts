/**
 * `kd get` against the real kubectl v1.35.2 on one daemon: every case runs the same arguments with
 * both and asserts identical stdout, stderr and exit code (AGE masked). The state is made with
 * kubectl and settled before the cases run, and no case reads objects that keep changing (events,
 * leases, node heartbeats in -o yaml).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { run, startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

let d: Daemon;
const { ok, waitFor } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
  await ok('run', 'solo', '--image=nginx:1.27', '--labels=tier=front,app=solo');
  // Strings that need each of YAML's quoting styles, a folded long line and a literal block.
  await ok(
    'annotate', 'pod', 'solo',
    'note=this is a rather long annotation value that certainly goes beyond the eighty columns of a yaml line: yes',
    'colon=a: b', 'star=*x', 'num=123', 'yes=yes', 'empty=', 'multi=line1\nline2', 'html=<a&b>',
  );
  await ok('create', 'namespace', 'team');
  await ok('create', 'configmap', 'cfg', '-n', 'team', '--from-literal=a=b', '--from-literal=json={"x": 1}');
  await ok('create', 'secret', 'generic', 'creds', '-n', 'team', '--from-literal=user=admin');
  await ok('create', 'service', 'clusterip', 'api', '-n', 'team', '--tcp=80:8080');
  await ok('label', 'node', 'node01', 'disk=ssd');
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pod/solo', '--timeout=60s');
  await waitFor('the Endpoints of the kube-dns Service', async () => (await ok('get', 'endpoints', '-n', 'kube-system', 'kube-dns', '-o', 'name')).trim() !== '');
});
after(async () => {
  await d.stop();
});

/** Each case: the arguments, and the exit code kubectl gives (so a case cannot silently test nothing). */
const CASES: Array<[string[], number]> = [
  [['get', 'pods'], 0],
  [['get', 'pods', '-o', 'wide'], 0],
  [['get', 'pods', '--no-headers'], 0],
  [['get', 'pods', '--show-labels'], 0],
  [['get', 'pods', '-L', 'app', '-L', 'tier'], 0],
  [['get', 'pods', '-L', 'app,pod-template-hash', '--show-labels', '-o', 'wide'], 0],
  [['get', 'pods', '-l', 'app=web'], 0],
  [['get', 'pods', '-l', 'app=nope'], 0],
  [['get', 'pods', '-A'], 0],
  [['get', 'pods', '-A', '-l', 'app=nope'], 0],
  [['get', 'pods', '-A', '-o', 'wide', '--field-selector', 'status.phase=Running'], 0],
  [['get', 'pods', '-n', 'team', '--field-selector', 'metadata.name=nothing'], 0],
  [['get', 'po,deploy'], 0],
  [['get', 'all'], 0],
  [['get', 'all', '-n', 'team'], 0],
  [['get', 'deploy', 'web'], 0],
  [['get', 'deployments.apps', 'web', '-o', 'wide'], 0],
  [['get', 'Deployment', 'web', '--no-headers'], 0],
  [['get', 'deploy/web', 'pod/solo'], 0],
  [['get', 'pod', 'solo', 'nope', 'web'], 1],
  [['get', 'pod', 'nope'], 1],
  [['get', 'pod', 'nope', '-o', 'yaml'], 1],
  [['get', 'pod', 'nope', '--ignore-not-found'], 0],
  [['get', 'pod', 'solo', '-o', 'yaml'], 0],
  [['get', 'pod', 'solo', '-o', 'json'], 0],
  [['get', 'pods', '-l', 'app=web', '-o', 'json'], 0],
  [['get', 'deploy', 'web', 'nope', '-o', 'yaml'], 1],
  [['get', 'pods', '-o', 'name'], 0],
  [['get', 'po,deploy,svc', '-o', 'name'], 0],
  [['get', 'configmaps', '-n', 'team', '-o', 'yaml'], 0],
  [['get', 'cm,secrets', '-n', 'team', '-o', 'json'], 0],
  [['get', 'svc', 'api', '-n', 'team', '-o', 'yaml'], 0],
  [['get', 'nodes'], 0],
  [['get', 'no', '-o', 'wide', '--show-labels'], 0],
  [['get', 'nodes', '-L', 'disk'], 0],
  [['get', 'nodes', '-l', 'disk=hdd'], 0],
  [['get', 'ns'], 0],
  [['get', 'svc', '-A'], 0],
  [['get', 'endpoints,ep'], 0],
  [['get', 'foo'], 1],
  [['get', 'pods,foo'], 1],
  [['get'], 1],
  [['get', 'pods', '-o', 'xml'], 1],
  [['get', 'pod', 'web', '-A'], 1],
  [['get', 'pod', 'deploy/web'], 1],
  [['get', 'pods', '-n', 'nowhere'], 0],
  [['get', 'pods', '-n', 'nowhere', '-o', 'json'], 0],
  [['get', 'pods', '-n', 'nowhere', '-o', 'name'], 0],
  [['get', 'pods', '--context', 'nosuch'], 1],
  [['get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}'], 0],
  [['get', 'pods', String.raw`-o=jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.podIP}{"\n"}{end}`], 0],
  [['get', 'pod', 'solo', '-o', 'jsonpath={.metadata.annotations}'], 0],
  [['get', 'pods', '-o', 'jsonpath={.items[?(@.metadata.name=="solo")].spec.containers[*].image}'], 0],
  [['get', 'pods', '-o', 'jsonpath={.items[-1:].metadata.name} and {.kind}{.missing}'], 0],
  [['get', 'deploy', 'web', '-o', String.raw`jsonpath={.spec.template.spec.containers[0]}{'\n'}`], 0],
  [['get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'], 0],
  [['get', 'pods', '-o', 'jsonpath={.items[0].metadata.managedFields[0].manager}'], 0],
  [['get', 'pods', '-o', 'jsonpath={.a['], 1],
  [['get', 'foo', '-o', 'xml'], 1],
  // Global flags before the verb, as muscle memory writes them (`k -n kube-system get po`).
  [['-n', 'team', 'get', 'cm', '-o', 'name'], 0],
  [['--namespace=team', 'get', 'services'], 0],
  [['-nteam', 'get', 'secret', 'creds', '-o', 'jsonpath={.data.user}'], 0],
  [['-n', 'nowhere', 'get', 'pods', '-n', 'team'], 0],
  [['-n', 'team', '--context', 'nosuch', 'get', 'pods'], 1],
  [['-n', 'team', 'describe', 'service', 'api'], 0],
  // --raw: the answer as it is, the apiserver's errors, and kubectl's checks of the flag.
  [['get', '--raw', '/readyz?verbose'], 0],
  [['get', '--raw', '/version'], 0],
  [['get', '--raw', 'https://elsewhere:6443/api/v1/namespaces/team/services/api'], 0],
  [['get', '--raw', '/api/v1/namespaces/default/pods/nope'], 1],
  [['get', '--raw', '/nonexistent'], 1],
  [['get', '--raw', 'readyz'], 1],
  [['get', 'pods', '--raw', '/healthz'], 1],
  [['get', '--raw', '/healthz', '-o', 'json'], 1],
  [['get', '--raw', '/healthz', '-l', 'app=web'], 1],
  [['get', 'deploy', '--show-kind'], 0],
  [['get', 'pod', 'solo', '--show-kind', '-o', 'wide'], 0],
  [['get', 'nodes', '--show-kind', '-o', 'name'], 0],
  [['get', 'pods', '--chunk-size=1'], 0],
  [['get', 'pods', '--chunk-size=x'], 1],
];

test('a flag kubectl does not take before the verb is refused as before a plugin name', async () => {
  // Both read the kubeconfig from the environment, so the unknown flag really is the first argument.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECONFIG: d.kubeconfig };
  for (const args of [['-A', 'get', 'pods'], ['-n', 'team', '--all', 'get', 'pods']]) {
    const want = await run(await kubectlPath(), args, { env });
    const got = await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args], { env });
    assert.deepEqual(got, want);
    assert.equal(want.code, 1);
    assert.equal(want.stderr, `Error: flags cannot be placed before plugin name: ${args[0]}\n`);
  }
});

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}
