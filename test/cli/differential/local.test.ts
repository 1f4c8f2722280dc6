/**
 * `--local` of `kd set image|env|resources`, `kd label` and `kd annotate` against the real kubectl
 * v1.35.2. No daemon runs: both binaries get a kubeconfig whose server refuses connections, so a
 * case passes only if neither contacts a server. The files are what `create --dry-run=client -o
 * yaml` writes; the errors are kubectl's for --local with arguments, without -f and with a server
 * dry run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run, type RunResult } from '../../support/daemon.js';
import { kubectlPath, repoRoot } from '../../support/kubectl.js';

const dir = mkdtempSync(join(tmpdir(), 'kd-local-'));
const KUBECONFIG = join(dir, 'kubeconfig');

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
`;
const CONFIGMAP = 'apiVersion: v1\ndata:\n  a: b\nkind: ConfigMap\nmetadata:\n  name: c1\n';

// Hand-written files without the empty structs a typed round trip adds.
const MINIMAL_DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: m\nspec:\n  selector:\n    matchLabels:\n      app: m\n  template:\n    metadata:\n      labels:\n        app: m\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
const MINIMAL_POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
const MINIMAL_CRONJOB =
  'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n';

writeFileSync(join(dir, 'min.yaml'), MINIMAL_DEPLOYMENT);
writeFileSync(join(dir, 'pod.yaml'), MINIMAL_POD);
writeFileSync(join(dir, 'cj.yaml'), MINIMAL_CRONJOB);
writeFileSync(join(dir, 'd.yaml'), DEPLOYMENT);
writeFileSync(join(dir, 'c.yaml'), CONFIGMAP);
writeFileSync(join(dir, 'both.yaml'), `${DEPLOYMENT}---\n${CONFIGMAP}`);
// Port 1 refuses connections: any request would fail the case.
writeFileSync(
  KUBECONFIG,
  'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: https://127.0.0.1:1\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\ncurrent-context: c\nusers:\n- name: u\n  user:\n    token: t\n',
);

const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, KUBECONFIG };

/** Runs both binaries in the files' directory (relative -f paths) and asserts identical results. */
async function assertSameLocal(args: string[], stdin?: string): Promise<RunResult> {
  const inDir = args.map((a) => (a.endsWith('.yaml') ? join(dir, a) : a));
  const clean = (r: RunResult) => ({ stdout: r.stdout.replaceAll(dir, 'DIR'), stderr: r.stderr.replaceAll(dir, 'DIR'), code: r.code });
  const want = clean(await run(await kubectlPath(), inDir, { env, stdin }));
  const got = clean(await run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...inDir], { env, stdin }));
  assert.deepEqual(got, want, `kd ${args.join(' ')} differs from kubectl`);
  return want;
}

const CASES: Array<[string[], number]> = [
  [['set', 'image', '--local', '-f', 'd.yaml', 'nginx=nginx:1.28', '-o', 'yaml'], 0],
  [['set', 'image', '--local', '-f', 'd.yaml', 'nginx=nginx:1.28'], 0],
  [['set', 'image', '--local', '-f', 'd.yaml', 'nginx=nginx', '-o', 'yaml'], 0],
  [['set', 'image', '--local', '-f', 'd.yaml', 'nope=x', '-o', 'yaml'], 1],
  [['set', 'image', '--local', '-f', 'both.yaml', '*=busybox'], 1],
  [['set', 'image', '--local', '-f', 'd.yaml', '--dry-run=client', 'nginx=nginx:2', '-o', 'name'], 0],
  [['set', 'image', '--local', 'deploy/web', 'nginx=nginx:2'], 1],
  [['set', 'image', '--local', 'nginx=nginx:2'], 1],
  [['set', 'image', '--local', '-f', 'd.yaml'], 1],
  [['set', 'env', '--local', '-f', 'd.yaml', 'A=1', 'B=two', '-o', 'yaml'], 0],
  [['set', 'env', '--local', '-f', 'd.yaml', '-e', 'B=2', '--dry-run=client'], 0],
  [['set', 'env', '--local', '-f', 'd.yaml', '--list'], 0],
  [['set', 'env', '--local', 'deploy/web', 'A=1'], 1],
  [['set', 'env', '--local', 'A=1'], 1],
  [['set', 'env', '--local', '-f', 'd.yaml', '--dry-run=server', 'A=1'], 1],
  [['set', 'resources', '--local', '-f', 'd.yaml', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m', '-o', 'yaml'], 0],
  [['set', 'resources', '--local', 'deploy/web', '--limits=cpu=1'], 1],
  [['set', 'resources', '--local', '-f', 'c.yaml', '--limits=cpu=1'], 1],
  [['set', 'image', '--local', '-f', 'min.yaml', 'c=nginx:2', '-o', 'yaml'], 0],
  [['set', 'image', '--local', '-f', 'pod.yaml', 'c=nginx:2', '-o', 'yaml'], 0],
  [['set', 'env', '--local', '-f', 'cj.yaml', 'A=1', '-o', 'yaml'], 0],
  [['label', '--local', '-f', 'min.yaml', 'tier=front', '-o', 'yaml'], 0],
  [['label', '--local', '-f', 'd.yaml', 'tier=front', '-o', 'yaml'], 0],
  [['label', '--local', '-f', 'both.yaml', 'tier=front'], 0],
  [['label', '--local', '-f', 'd.yaml', 'app-', '-o', 'yaml'], 0],
  [['label', '--local', '-f', 'd.yaml', 'app=x'], 1],
  [['label', '--local', '-f', 'd.yaml', 'app=x', '--overwrite', '-o', 'name'], 0],
  [['label', '--local', '-f', 'd.yaml', 'a=b', '--resource-version=5', '-o', 'yaml'], 0],
  [['label', '--local', '-f', 'd.yaml', '-f', 'c.yaml', '--list'], 0],
  [['label', '--local', 'deploy/web', 'a=b'], 1],
  [['label', '--local', 'a=b'], 1],
  [['label', '--local', '-f', 'd.yaml', 'a=b', '--dry-run=server'], 1],
  [['label', '--local', '-f', 'd.yaml'], 1],
  [['annotate', '--local', '-f', 'd.yaml', 'note=hello world', '-o', 'json'], 0],
  [['annotate', '--local', '-f', 'both.yaml', 'a=b', '--dry-run=client'], 0],
  [['annotate', '--local', 'deploy/web', 'a=b'], 1],
  [['annotate', '--local', 'a=b'], 1],
  [['annotate', '--local', '-f', 'd.yaml', 'a=b', '--dry-run=server'], 1],
];

for (const [args, code] of CASES) {
  test(`kd ${args.join(' ')}`, async () => {
    const r = await assertSameLocal(args);
    assert.equal(r.code, code, r.stderr);
  });
}

test('kd label --local -f - reads the object from stdin', async () => {
  const r = await assertSameLocal(['label', '--local', '-f', '-', 'tier=front', '-o', 'yaml'], DEPLOYMENT);
  assert.match(r.stdout, /tier: front/);
});
