/**
 * `kd exec` and `kd attach` against the real kubectl v1.35.2 on one daemon, over the WebSocket
 * v5.channel.k8s.io streams: stdout and stderr, exit codes, piped stdin, `-t` without a terminal,
 * container defaulting and the default-container annotation, workloads resolved to a pod, and the
 * errors of kubectl, the apiserver and the runtime.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameAsKubectl } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';
import { tempFiles } from '../../support/files.js';

let d: Daemon;
const files = tempFiles('kd-diff-exec-');
const { ok, getJson, waitFor } = e2e(() => d);

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: duo}
spec:
  initContainers:
  - {name: setup, image: busybox:1.36, command: [sh, -c, 'echo preparing']}
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, '3600'], env: [{name: GREETING, value: hello}]}
  - {name: web, image: nginx:1.27}
---
apiVersion: v1
kind: Pod
metadata: {name: annotated, annotations: {kubectl.kubernetes.io/default-container: helper}}
spec:
  containers:
  - {name: main, image: busybox:1.36, command: [sleep, '3600']}
  - {name: helper, image: busybox:1.36, command: [sleep, '3600']}
`;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('apply', '-f', files.file('pods.yaml', PODS));
  await ok('create', 'deployment', 'site', '--image=nginx:1.27');
  await ok('run', 'done', '--image=busybox:1.36', '--restart=Never', '--', 'true');
  await ok('rollout', 'status', 'deployment/site', '--timeout=60s');
  await ok('wait', '--for=condition=Ready', 'pod/duo', 'pod/annotated', '--timeout=60s');
  await waitFor('done Succeeded', async () => (await getJson('/api/v1/namespaces/default/pods/done')).status?.phase === 'Succeeded');
});
after(async () => {
  await d.stop();
  files.remove();
});

const CASES: Array<[string[], number, string?]> = [
  [['exec', 'duo', '--', 'echo', 'hi'], 0],
  [['exec', 'duo', '-c', 'main', '--', 'sh', '-c', 'echo "$GREETING"; echo oops >&2'], 0],
  [['exec', 'duo', '-c', 'main', '--', 'sh', '-c', 'echo partial; exit 3'], 3],
  [['exec', 'duo', '-c', 'main', '--', 'ls', '/nope'], 1],
  [['exec', 'duo', '-c', 'web', '--', 'grep', '-c', 'Welcome to nginx', '/usr/share/nginx/html/index.html'], 0],
  [['exec', '-q', 'duo', '--', 'echo', 'quiet'], 0],
  [['exec', 'annotated', '--', 'hostname'], 0],
  [['exec', 'deploy/site', '--', 'cat', '/etc/hostname'], 0],
  [['exec', '-i', 'duo', '-c', 'main', '--', 'cat'], 0, 'some input\nand more\n'],
  [['exec', '-it', 'duo', '-c', 'main', '--', 'sh'], 4, 'cd /etc\npwd\nexit 4\n'],
  [['exec', '-t', 'duo', '-c', 'main', '--', 'echo', 'no tty'], 0],
  [['exec', 'duo', 'extra', '--', 'echo', 'ignored'], 0],
  [['exec'], 1],
  [['exec', 'duo'], 1],
  [['exec', 'duo', 'ls'], 1],
  [['exec', 'duo', '-c', 'nope', '--', 'ls'], 1],
  [['exec', 'ghost', '--', 'ls'], 1],
  [['exec', 'done', '--', 'ls'], 1],
  [['exec', 'duo', '-c', 'main', '--', 'bash'], 1],
  [['exec', 'cm/kube-root-ca.crt', '--', 'ls'], 1],
  [['attach'], 1],
  [['attach', 'a', 'b', 'c'], 1],
  [['attach', 'ghost'], 1],
  [['attach', 'done'], 1],
  [['attach', 'duo', '-c', 'nope'], 1],
];

/** The runtime's exec id differs from run to run. */
const maskExecId = (t: string) => t.replace(/failed to start exec "[0-9a-f]{64}"/g, 'failed to start exec "<id>"');

for (const [args, code, stdin] of CASES) {
  test(`kd ${args.join(' ')}${stdin === undefined ? '' : ' < stdin'}`, async () => {
    const want = await assertSameAsKubectl(d, args, { stdin, mask: maskExecId });
    assert.equal(want.code, code, `kubectl's exit code: ${want.stderr}`);
  });
}
