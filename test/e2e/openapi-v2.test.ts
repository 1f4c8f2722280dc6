/**
 * `kind: List` manifests through the real kubectl v1.35.2 with its default `--validate=strict`:
 * kubectl validates a List client-side against `/openapi/v2` (protobuf), so these pass only when
 * the daemon serves that document the way the apiserver does (server/api/routes/openapi-v2.ts).
 */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';

let d: Daemon;
const files = tempFiles('kd-e2e-openapi-v2-');
const { kubectl, ok } = e2e(() => d);

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20'] });
});
after(async () => {
  await d.stop();
  files.remove();
});

const DEPLOYMENT = (name: string, specExtra = '', containerExtra = ''): string => `- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: ${name}
  spec:
    replicas: 1${specExtra}
    selector:
      matchLabels: {app: ${name}}
    strategy:
      rollingUpdate: {maxSurge: 1, maxUnavailable: 25%}
    template:
      metadata:
        labels: {app: ${name}}
      spec:
        containers:
        - name: c
          image: nginx:1.25${containerExtra}
          resources:
            limits: {cpu: 100m, memory: 64Mi}
`;
const list = (...items: string[]): string => `apiVersion: v1\nkind: List\nitems:\n${items.join('')}`;
const CONFIGMAP = '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: conf\n  data:\n    a: "1"\n';

test('apply -f of a kind: List creates every item', async () => {
  const r = await kubectl('apply', '-f', files.file('list.yaml', list(CONFIGMAP, DEPLOYMENT('web'))));
  assert.equal(r.stdout, 'configmap/conf created\ndeployment.apps/web created\n', r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
});

test('kubectl rejects a List item with an unknown or mistyped field, naming the definition', async () => {
  const cases: [string, string, string][] = [
    ['unknown.yaml', list(DEPLOYMENT('bad', '\n    foo: bar')), 'ValidationError(Deployment.spec): unknown field "foo" in io.k8s.api.apps.v1.DeploymentSpec'],
    ['nested.yaml', list(DEPLOYMENT('bad', '', '\n          bogus: 1')), 'ValidationError(Deployment.spec.template.spec.containers[0]): unknown field "bogus" in io.k8s.api.core.v1.Container'],
  ];
  for (const [name, text, error] of cases) {
    const path = files.file(name, text);
    const r = await kubectl('apply', '-f', path);
    assert.equal(r.stderr, `error: error validating "${path}": error validating data: ${error}; if you choose to ignore these errors, turn validation off with --validate=false\n`);
    assert.deepEqual([r.code, r.stdout], [1, '']);
  }
  const typed = files.file('typed.yaml', list(DEPLOYMENT('bad').replace('replicas: 1', 'replicas: "x"')));
  const r = await kubectl('apply', '-f', typed);
  assert.equal(
    r.stderr,
    `error: error validating "${typed}": error validating data: ValidationError(Deployment.spec.replicas): invalid type for io.k8s.api.apps.v1.DeploymentSpec.replicas: got "string", expected "integer"; if you choose to ignore these errors, turn validation off with --validate=false\n`,
  );
  assert.equal(r.code, 1);
  assert.equal((await kubectl('get', 'deploy', 'bad')).code, 1, 'nothing was created');
});

test('get -o yaml of several objects applies back unchanged in meaning', async () => {
  const exported = await ok('get', 'deploy', '-o', 'yaml');
  assert.match(exported, /^apiVersion: v1\nitems:\n/);
  const r = await kubectl('apply', '-f', files.file('exported.yaml', exported));
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'deployment.apps/web configured\n', '']);
  assert.equal(await ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.25');
});

test('edit of two deployments saves both', async () => {
  await ok('create', 'deployment', 'b', '--image=nginx:1.25');
  const editor = files.file('editor.sh', '#!/bin/sh\nsed -i \'s/image: nginx:1.25/image: nginx:1.27/\' "$1"\n');
  chmodSync(editor, 0o755);
  const r = await runKubectl(d, ['edit', 'deployments', 'web', 'b'], { env: { EDITOR: editor } });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'deployment.apps/web edited\ndeployment.apps/b edited\n', '']);
  for (const name of ['web', 'b']) assert.equal(await ok('get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.27');
});

test('with /openapi/v2 served, apply still patches lists by merge key (a removed container and env var go)', async () => {
  const two = (containers: string): string =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: two}\nspec:\n  selector: {matchLabels: {app: two}}\n  template:\n    metadata: {labels: {app: two}}\n    spec:\n      containers:\n${containers}`;
  await ok('apply', '-f', files.file('two.yaml', two('      - {name: a, image: nginx:1, env: [{name: FOO, value: "1"}, {name: BAR, value: "2"}]}\n      - {name: b, image: busybox:1}\n')));
  const r = await kubectl('apply', '-f', files.file('one.yaml', two('      - {name: a, image: nginx:1, env: [{name: FOO, value: "1"}]}\n')));
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, 'deployment.apps/two configured\n', '']);
  assert.equal(await ok('get', 'deploy', 'two', '-o', 'jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].env[*].name}'), 'a FOO');
});
