/**
 * `kd version`, `api-resources`, `api-versions`, `auth`, `cluster-info`, `config` and flag-parse
 * errors against the real kubectl v1.35.2 on one daemon: same stdout, stderr and exit code. The
 * `config` verbs that write the kubeconfig run on twin copies of it, one per tool, step by step.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, startDaemon, type Daemon, type RunResult } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

let d: Daemon;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
});
after(async () => {
  await d.stop();
});

/** Each case: the arguments, and the exit code kubectl gives (so a case cannot silently test nothing). */
const CASES: Array<[string[], number]> = [
  [['version'], 0],
  [['version', '-o', 'json'], 0],
  [['version', '-o', 'yaml'], 0],
  [['version', '--client'], 0],
  [['version', '--client', '-o', 'yaml'], 0],
  [['version', '-o', 'wide'], 1],
  [['api-versions'], 0],
  [['api-resources'], 0],
  [['api-resources', '-o', 'wide'], 0],
  [['api-resources', '-o', 'name'], 0],
  [['api-resources', '-o', 'json'], 0],
  [['api-resources', '-o', 'yaml'], 0],
  [['api-resources', '--namespaced=false'], 0],
  [['api-resources', '--api-group=apps', '--verbs=list,watch'], 0],
  [['api-resources', '--categories=all', '-o', 'wide'], 0],
  [['api-resources', '--sort-by=kind', '--no-headers'], 0],
  [['api-resources', '--api-group=nope', '-o', 'json'], 0],
  [['api-resources', '--sort-by=age'], 1],
  [['api-resources', '-o', 'custom-columns=NAME:.name'], 1],
  [['api-resources', 'pods'], 1],
  [['auth', 'whoami'], 0],
  [['auth', 'whoami', '-o', 'json'], 0],
  [['auth', 'whoami', '-o', 'yaml'], 0],
  [['auth', 'can-i', 'create', 'deployments'], 0],
  [['auth', 'can-i', 'delete', 'nodes'], 0],
  [['auth', 'can-i', 'list', 'pods', '-A'], 0],
  [['auth', 'can-i', 'get', 'pods', '--subresource=log', '-n', 'kube-system'], 0],
  [['auth', 'can-i', 'frob', 'pods'], 0],
  [['auth', 'can-i', 'create', 'foos'], 0],
  [['auth', 'can-i', 'get', '/healthz'], 0],
  [['auth', 'can-i', 'create', 'pods', '--quiet'], 0],
  [['auth', 'can-i', '--list'], 0],
  [['auth', 'can-i', '--list', 'pods'], 1],
  [['auth', 'can-i', 'get'], 1],
  [['cluster-info'], 0],
  [['config', 'view'], 0],
  [['config', 'view', '--minify', '-o', 'json'], 0],
  [['config', 'view', '-o', 'jsonpath={.contexts[*].name}'], 0],
  [['config', 'current-context'], 0],
  [['config', 'get-contexts'], 0],
  [['config', 'get-contexts', 'nope'], 1],
  [['config', 'get-clusters'], 0],
  [['explain', 'pods'], 0],
  [['explain', 'pod.spec.containers'], 0],
  [['explain', 'deploy.spec.strategy'], 0],
  [['explain', 'deploy.spec.strategy.rollingUpdate.maxSurge'], 0],
  [['explain', 'pods.spec.containers.resources.limits'], 0],
  [['explain', 'namespace.status.conditions.lastTransitionTime'], 0],
  [['explain', 'svc.spec', '--recursive'], 0],
  [['explain', 'cronjob.spec.jobTemplate.spec.template.spec', '--recursive'], 0],
  [['explain', 'node.status.capacity'], 0],
  [['explain', 'pods.spec.foo'], 1],
  [['explain', 'foo'], 1],
  [['explain'], 1],
  [['explain', 'deploy', '--api-version=apps/v9'], 1],
  [['get', 'pods', '--bogus'], 1],
  [['get', 'pods', '-x'], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const want = await assertSameAsKubectl(d, args);
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}

/** One step on each tool's own copy of the kubeconfig; the runner's --kubeconfig is not used. */
async function both(args: string[], files: [string, string]): Promise<[RunResult, RunResult]> {
  const env = (file: string) => ({ PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECONFIG: file });
  const kubectl = await run(await kubectlPath(), args, { env: env(files[0]) });
  const kd = await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args], { env: env(files[1]) });
  return [kubectl, kd];
}

test('config use-context and set-context change the kubeconfig as kubectl does', async () => {
  const files: [string, string] = [join(d.home, 'kubeconfig-kubectl'), join(d.home, 'kubeconfig-kd')];
  for (const f of files) copyFileSync(d.kubeconfig, f);
  const steps: Array<[string[], number]> = [
    [['config', 'set-context', 'other', '--cluster=kubedojo', '--user=kubedojo', '--namespace=kube-system'], 0],
    [['config', 'use-context', 'nope'], 1],
    [['config', 'use-context', 'other'], 0],
    [['config', 'current-context'], 0],
    [['config', 'set-context', '--current', '--namespace=web'], 0],
    [['config', 'get-contexts'], 0],
    [['config', 'get-contexts', '-o', 'name'], 0],
    [['config', 'set-context', 'other', '--namespace=team'], 0],
    [['config', 'view', '--minify'], 0],
    [['get', 'pods'], 0],
    [['config', 'use-context', 'kubedojo'], 0],
    [['config', 'get-contexts', 'other', 'kubedojo', 'gone'], 1],
  ];
  for (const [args, code] of steps) {
    const [want, got] = await both(args, files);
    assert.deepEqual(got, want, `kd ${args.join(' ')} differs from kubectl`);
    assert.equal(want.code, code, `kubectl's exit code for ${args.join(' ')}: ${want.stderr}`);
  }
  // Both files now say the same, whoever wrote them.
  const [a, b] = files.map((f) => readFileSync(f, 'utf8'));
  assert.match(a!, /current-context: kubedojo/);
  assert.match(b!, /current-context: kubedojo/);
});
