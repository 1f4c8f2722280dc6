/**
 * `kd diff` against the real kubectl v1.35.2 on one daemon: live objects against what an apply
 * would make of them, through the same `diff -u -N`. Masked: the temp directories' random names,
 * the files' times, klog's time stamps, and the uid and creationTimestamp that each dry-run create
 * makes anew.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';

let d: Daemon;
const files = tempFiles('kd-diff-');
const { ok } = e2e(() => d);

const mask = (text: string) => text
  .replace(/\/(LIVE|MERGED)-\d+/g, '/$1-N')
  .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4}/g, '\tTIME')
  .replace(/^W\d{4} [\d:.]+ +\d+ /gm, 'W-STAMP ')
  .replace(/creationTimestamp: "[^"]+"/g, 'creationTimestamp: "T"')
  .replace(/uid: [0-9a-f-]{36}/g, 'uid: UID')
  // A dry run still allocates: a Service's address, and the time of the managedFields entry.
  .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, 'IP')
  .replace(/time: "[^"]+"/g, 'time: "T"');

const deployment = (image: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: ${image}
`;

// The manifests, written before the cases are named after them.
const unchanged = files.file('web.yaml', deployment('nginx:1.27', 0));
const changed = files.file('web-new.yaml', deployment('nginx:1.26', 0).replace('  labels:\n    app: web\nspec', '  labels:\n    app: web\n    tier: front\nspec'));
const several = files.file('several.yaml', [
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  labels:\n    team: x\nstringData:\n  password: new\n  token: abc\ndata:\n  user: YWRtaW4=\n',
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: brand-new\n  labels:\n    team: x\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: slow\n  extra: "1"\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: front\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n',
].join('---\n'));

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '5'] });
  await ok('apply', '-f', unchanged);
  await ok('rollout', 'status', 'deployment/web', '--timeout=60s');
  await ok('create', 'secret', 'generic', 'creds', '--from-literal=user=admin', '--from-literal=password=old', '--save-config');
  await ok('create', 'configmap', 'settings', '--from-literal=mode=fast');
});
after(async () => {
  await d.stop();
  files.remove();
});

const CASES: Array<[string[], number, Record<string, string>?]> = [
  [['diff', '-f', unchanged], 0],
  [['diff', '-f', changed], 1],
  [['diff', '-f', changed, '--show-managed-fields'], 1],
  [['diff', '-f', several], 1],
  [['diff', '-f', several, '-l', 'team=x'], 1],
  [['diff', '-f', several, '-n', 'kube-system'], 1],
  // settings' data.mode is kubectl create's: a conflict.
  [['diff', '-f', several, '--server-side'], 2],
  // The Deployment's image is the client-side apply manager's: a conflict, retried, then reported.
  [['diff', '-f', changed, '--server-side'], 2],
  [['diff', '-f', changed, '--server-side', '--force-conflicts'], 1],
  // Another manager, though of the same name: the client-side one updated, this one applies.
  [['diff', '-f', changed, '--server-side', '--field-manager=kubectl-client-side-apply'], 2],
  [['diff', '-f', changed], 1, { KUBECTL_EXTERNAL_DIFF: 'diff -q' }],
  [['diff', '-f', changed], 1, { KUBECTL_EXTERNAL_DIFF: 'diff -u --label=x --label=y ${HOME}' }],
  [['diff', '-f', changed], 2, { KUBECTL_EXTERNAL_DIFF: 'no-such-diff' }],
  [['diff'], 2],
  [['diff', '-f', '/no/such.yaml'], 2],
  [['diff', '-f', unchanged, 'extra'], 2],
  [['diff', '--bogus'], 2],
  [['diff', '-f', unchanged, '--force-conflicts'], 2],
];

for (const [args, code, env] of CASES) {
  test(`kd ${args.join(' ').replaceAll(files.dir, '.')}${env ? ` with ${JSON.stringify(env)}` : ''}`, async () => {
    const r = await assertSameAsKubectl(d, args, { mask, ...(env ? { env } : {}) });
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('kd diff shows a Secret\'s data masked: changed values as before/after, others as ***', async () => {
  const r = await assertSameAsKubectl(d, ['diff', '-f', several], { mask });
  assert.match(r.stdout, /^-  password: '\*\*\* \(before\)'\n\+  password: '\*\*\* \(after\)'\n/m);
  assert.match(r.stdout, /^\+  token: '\*\*\*'\n/m);
  // The data lines show masks only (the last-applied annotation still holds what was applied, as upstream).
  const dataLines = r.stdout.split('\n').filter((l) => /^[-+ ] {2}(password|token|user): /.test(l));
  assert.equal(dataLines.length, 4);
  for (const line of dataLines) assert.match(line, /: '\*\*\*( \((before|after)\))?'$/);
});

test('kd diff of an unknown kind stops with kubectl\'s mapping error', async () => {
  const widget = files.file('widget.yaml', 'apiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n');
  const r = await assertSameAsKubectl(d, ['diff', '-f', widget], { mask });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^error: resource mapping not found for name: "w"/);
});
