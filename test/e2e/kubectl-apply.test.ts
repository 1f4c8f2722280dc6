import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { tempFiles } from '../support/files.js';
import { assertGolden } from '../support/golden.js';

let d: Daemon;
const files = tempFiles('kd-apply-');
const file = files.file;
const kubectl = (...args: string[]) => runKubectl(d, args);
const jsonpath = async (what: string, path: string): Promise<string> => (await kubectl('get', what, '-o', `jsonpath=${path}`)).stdout;

function deployment(opts: { image: string; replicas: number; env?: Array<[string, string]>; labels?: Record<string, string> }): string {
  const labels = { app: 'web', ...opts.labels };
  const env = opts.env?.length ? `\n        env:\n${opts.env.map(([n, v]) => `        - name: ${n}\n          value: "${v}"`).join('\n')}` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: ${JSON.stringify(labels)}
spec:
  replicas: ${opts.replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: ${opts.image}${env}
`;
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--random-seed', '11'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

test('client-side apply: create, unchanged, configure, and field removal through last-applied', async () => {
  const v1 = file('web-v1.yaml', deployment({ image: 'nginx:1.25', replicas: 2, env: [['MODE', 'a'], ['LEVEL', '1']] }));
  assert.equal((await kubectl('apply', '-f', v1)).stdout, 'deployment.apps/web created\n');
  assert.equal((await kubectl('apply', '-f', v1)).stdout, 'deployment.apps/web unchanged\n');
  const v2 = file('web-v2.yaml', deployment({ image: 'nginx:1.26', replicas: 3, env: [['MODE', 'b'], ['LEVEL', '1']], labels: { tier: 'fe' } }));
  const res = await kubectl('apply', '-f', v2);
  assert.equal(res.stderr, '');
  assert.equal(res.stdout, 'deployment.apps/web configured\n');
  assert.equal(await jsonpath('deploy/web', '{.spec.replicas} {.spec.template.spec.containers[0].image} {.metadata.labels.tier}'), '3 nginx:1.26 fe');
  assert.equal(await jsonpath('deploy/web', '{.spec.template.spec.containers[0].env}'), '[{"name":"MODE","value":"b"},{"name":"LEVEL","value":"1"}]');
  const v3 = file('web-v3.yaml', deployment({ image: 'nginx:1.26', replicas: 3, env: [['MODE', 'b']] }));
  assert.equal((await kubectl('apply', '-f', v3)).stdout, 'deployment.apps/web configured\n');
  assert.equal(await jsonpath('deploy/web', '{.spec.template.spec.containers[0].env}'), '[{"name":"MODE","value":"b"}]');
  assert.equal(await jsonpath('deploy/web', '{.metadata.labels}'), '{"app":"web"}');
  assert.equal(await jsonpath('deploy/web', '{.metadata.generation}'), '3');
});

test('set image and patch with every patch type', async () => {
  assert.equal((await kubectl('set', 'image', 'deploy/web', 'nginx=nginx:1.27')).stdout, 'deployment.apps/web image updated\n');
  assert.equal(await jsonpath('deploy/web', '{.spec.template.spec.containers[0].image}'), 'nginx:1.27');
  assert.equal((await kubectl('patch', 'deploy', 'web', '--type', 'strategic', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"}]}}}}')).stdout, 'deployment.apps/web patched\n');
  // Strategic merge puts new list elements before the ones only the server has, as upstream does.
  assert.equal(await jsonpath('deploy/web', '{.spec.template.spec.containers[*].name}'), 'sidecar nginx');
  assert.equal((await kubectl('patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"annotations":{"team":"blue"}}}')).stdout, 'deployment.apps/web patched\n');
  assert.equal((await kubectl('patch', 'deploy', 'web', '--type', 'json', '-p', '[{"op":"remove","path":"/spec/template/spec/containers/0"}]')).stdout, 'deployment.apps/web patched\n');
  assert.equal(await jsonpath('deploy/web', '{.spec.template.spec.containers[*].name} {.metadata.annotations.team}'), 'nginx blue');
  const noop = await kubectl('patch', 'deploy', 'web', '--type', 'merge', '-p', '{"metadata":{"annotations":{"team":"blue"}}}');
  assert.equal(noop.stdout, 'deployment.apps/web patched (no change)\n');
});

test('server-side apply with a second field manager, a conflict and --force-conflicts', async () => {
  const ssa = file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {color: red, size: big}\n');
  assert.equal((await kubectl('apply', '--server-side', '-f', ssa)).stdout, 'configmap/ssa serverside-applied\n');
  const other = file('ssa-other.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {color: blue}\n');
  const conflict = await kubectl('apply', '--server-side', '--field-manager', 'other', '-f', other);
  assert.equal(conflict.code, 1);
  assertGolden('e2e/testdata/ssa-conflict.txt', conflict.stderr);
  assert.equal((await kubectl('apply', '--server-side', '--field-manager', 'other', '--force-conflicts', '-f', other)).stdout, 'configmap/ssa serverside-applied\n');
  assert.equal(await jsonpath('cm/ssa', '{.data.color} {.data.size}'), 'blue big');
  const managers = JSON.parse((await kubectl('get', 'cm', 'ssa', '-o', 'json', '--show-managed-fields')).stdout).metadata.managedFields.map((m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`);
  assert.deepEqual(managers.sort(), ['kubectl/Apply', 'other/Apply']);
  const dry = await kubectl('apply', '--server-side', '--field-manager', 'other', '--dry-run=server', '-f', file('ssa-dry.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa}\ndata: {color: green}\n'));
  assert.equal(dry.stdout, 'configmap/ssa serverside-applied (server dry run)\n', dry.stderr);
  assert.equal(await jsonpath('cm/ssa', '{.data.color}'), 'blue', 'a dry run writes nothing');
});

test('replace, edit and diff round-trip through the API', async () => {
  const cm = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: "1"}\n');
  assert.equal((await kubectl('create', '-f', cm)).stdout, 'configmap/conf created\n');
  const replaced = file('cm2.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: "2"}\n');
  assert.equal((await kubectl('replace', '-f', replaced)).stdout, 'configmap/conf replaced\n');
  assert.equal(await jsonpath('cm/conf', '{.data.a}'), '2');
  const editor = file('editor.sh', '#!/bin/sh\nsed -i \'s/^  a: "2"/  a: "3"/\' "$1"\n');
  chmodSync(editor, 0o755);
  const edit = await runKubectl(d, ['edit', 'cm', 'conf'], { env: { EDITOR: editor } });
  assert.equal(edit.stdout, 'configmap/conf edited\n', edit.stderr);
  assert.equal(await jsonpath('cm/conf', '{.data.a}'), '3');
  const changed = file('cm3.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: "4"}\n');
  const diff = await kubectl('diff', '-f', changed);
  assert.equal(diff.code, 1, diff.stderr);
  assert.match(diff.stdout, /^-  a: "3"$/m);
  assert.match(diff.stdout, /^\+  a: "4"$/m);
  assert.equal(await jsonpath('cm/conf', '{.data.a}'), '3', 'diff never writes');
  const same = await kubectl('diff', '-f', file('same.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: conf}\ndata: {a: "3"}\n'));
  assert.equal(same.code, 0, same.stdout + same.stderr);
});

test('explain reads the OpenAPI v3 documents', async () => {
  const res = await kubectl('explain', 'deployment.spec.strategy.rollingUpdate');
  assert.equal(res.code, 0, res.stderr);
  assertGolden('e2e/testdata/explain-rolling-update.txt', res.stdout);
  const rec = await kubectl('explain', 'pod.spec.containers.ports', '--recursive');
  assertGolden('e2e/testdata/explain-ports-recursive.txt', rec.stdout);
  const missing = await kubectl('explain', 'pod.spec.nope');
  assert.equal(missing.stderr, 'error: field "nope" does not exist\n');
});

test('unknown fields: Strict is the default for apply; Warn prints the warning', async () => {
  const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\ndata: {a: b}\nbogus: 1\n');
  const strict = await kubectl('apply', '-f', bad);
  assert.equal(strict.code, 1);
  assert.equal(strict.stderr, `Error from server (BadRequest): error when creating "${bad}": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus"\n`);
  const warn = await kubectl('apply', '--validate=warn', '-f', bad);
  assert.equal(warn.stderr, 'Warning: unknown field "bogus"\n');
  assert.equal(warn.stdout, 'configmap/bad created\n');
});

test('every create generator, autoscale and create token (protobuf bodies)', async () => {
  const pki = join(d.dataDir, 'pki');
  const cases: Array<[string[], string]> = [
    [['create', 'namespace', 'team'], 'namespace/team created'],
    [['create', 'deployment', 'hello', '--image=nginx:1.25', '--replicas=2', '--port=80'], 'deployment.apps/hello created'],
    [['create', 'configmap', 'cfg', '--from-literal=a=b'], 'configmap/cfg created'],
    [['create', 'secret', 'generic', 's1', '--from-literal=user=admin'], 'secret/s1 created'],
    [['create', 'secret', 'tls', 'tls1', `--cert=${join(pki, 'apiserver.crt')}`, `--key=${join(pki, 'apiserver.key')}`], 'secret/tls1 created'],
    [['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example.com', '--docker-username=u', '--docker-password=p'], 'secret/reg created'],
    [['create', 'service', 'clusterip', 'svc1', '--tcp=80:8080'], 'service/svc1 created'],
    [['create', 'service', 'nodeport', 'svc2', '--tcp=80:8080'], 'service/svc2 created'],
    [['create', 'service', 'loadbalancer', 'svc3', '--tcp=80:8080'], 'service/svc3 created'],
    [['create', 'service', 'externalname', 'svc4', '--external-name=db.example.com'], 'service/svc4 created'],
    [['create', 'job', 'j1', '--image=busybox:1.36', '--', 'echo', 'hi'], 'job.batch/j1 created'],
    [['create', 'cronjob', 'cj1', '--image=busybox:1.36', '--schedule=*/5 * * * *', '--', 'echo', 'hi'], 'cronjob.batch/cj1 created'],
    [['create', 'role', 'r1', '--verb=get', '--resource=pods'], 'role.rbac.authorization.k8s.io/r1 created'],
    [['create', 'rolebinding', 'rb1', '--role=r1', '--user=alice'], 'rolebinding.rbac.authorization.k8s.io/rb1 created'],
    [['create', 'clusterrole', 'cr1', '--verb=get', '--resource=nodes'], 'clusterrole.rbac.authorization.k8s.io/cr1 created'],
    [['create', 'clusterrolebinding', 'crb1', '--clusterrole=cr1', '--user=alice'], 'clusterrolebinding.rbac.authorization.k8s.io/crb1 created'],
    [['create', 'serviceaccount', 'sa1'], 'serviceaccount/sa1 created'],
    [['create', 'quota', 'q1', '--hard=pods=10'], 'resourcequota/q1 created'],
    [['create', 'priorityclass', 'high', '--value=1000'], 'priorityclass.scheduling.k8s.io/high created'],
    [['create', 'poddisruptionbudget', 'pdb1', '--selector=app=hello', '--min-available=1'], 'poddisruptionbudget.policy/pdb1 created'],
    [['create', 'ingress', 'ing1', '--rule=foo.com/bar=svc1:80'], 'ingress.networking.k8s.io/ing1 created'],
    [['autoscale', 'deployment', 'hello', '--max=5'], 'horizontalpodautoscaler.autoscaling/hello autoscaled'],
  ];
  for (const [args, out] of cases) {
    const res = await kubectl(...args);
    assert.equal(res.stdout, `${out}\n`, `${args.join(' ')}: ${res.stderr}`);
  }
  assert.equal(await jsonpath('deploy/hello', '{.spec.replicas} {.spec.template.spec.containers[0].ports[0].containerPort}'), '2 80');
  assert.equal(await jsonpath('secret/s1', '{.data.user}'), Buffer.from('admin').toString('base64'));
  assert.equal(await jsonpath('svc/svc1', '{.spec.ports[0].name} {.spec.ports[0].targetPort}'), '80-8080 8080');
  assert.match(await jsonpath('svc/svc2', '{.spec.ports[0].nodePort}'), /^3[0-2]\d{3}$/);
  assert.equal(await jsonpath('hpa/hello', '{.spec.maxReplicas} {.spec.scaleTargetRef.name}'), '5 hello');
  const token = await kubectl('create', 'token', 'default');
  assert.equal(token.code, 0, token.stderr);
  assert.equal(token.stdout.trim().split('.').length, 3);
});

test('invalid patches get the apiserver errors', async () => {
  await kubectl('create', 'configmap', 'patchme', '--from-literal=a=b');
  const cases: Array<[string, string, string]> = [
    ['json', '[{"op":"remove","path":"/data/zzz"}]', 'The request is invalid: Unable to remove nonexistent key: zzz: missing value'],
    ['strategic', '{"data":{"$patch":"bogus"}}', 'Error from server (InternalError): unknown patch type: bogus in map: map[$patch:bogus]'],
    ['merge', '{"data":{"a":5}}', 'Error from server (BadRequest): ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string'],
  ];
  for (const [type, patch, message] of cases) {
    const res = await kubectl('patch', 'configmap', 'patchme', '--type', type, '-p', patch);
    assert.equal(res.code, 1);
    assert.equal(res.stderr, `${message}\n`, type);
  }
  assert.equal(await jsonpath('cm/patchme', '{.data.a}'), 'b');
});

test('auth can-i, can-i --list and whoami answer their protobuf reviews', async () => {
  const yes = await kubectl('auth', 'can-i', 'create', 'deployments');
  assert.deepEqual([yes.stdout, yes.code], ['yes\n', 0]);
  const list = await kubectl('auth', 'can-i', '--list');
  assert.equal(list.stdout.split('\n')[1], '*.*         []                  []               [*]');
  const who = await kubectl('auth', 'whoami');
  assert.equal(who.stdout, 'ATTRIBUTE   VALUE\nUsername    kubernetes-admin\nGroups      [kubeadm:cluster-admins system:authenticated]\n');
  const get = await kubectl('get', 'selfsubjectaccessreviews');
  assert.equal(get.stderr, 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n');
});
