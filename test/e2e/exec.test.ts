/**
 * kubectl exec, attach and run -i --rm with the real kubectl v1.35.2 over the WebSocket
 * v5.channel.k8s.io streams: mounted ConfigMap/Secret/downward API files, environment, exit codes,
 * container selection, piped stdin, the apiserver's and the kubelet's errors. Outputs are exact.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runKubectl, startDaemon, type Daemon } from '../support/daemon.js';
import { e2e } from '../support/e2e.js';
import { tempFiles } from '../support/files.js';

let d: Daemon;
const files = tempFiles('kd-e2e-exec-');
const { kubectl, ok } = e2e(() => d);

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: multi
  labels: {app: multi, tier: web}
spec:
  containers:
  - name: app
    image: busybox:1.37
    command: ["sh", "-c", "echo started > /data/log; sleep 3600"]
    env:
    - {name: GREETING, value: hello}
    - name: COLOR
      valueFrom: {configMapKeyRef: {name: app-config, key: color}}
    volumeMounts:
    - {name: cfg, mountPath: /etc/config}
    - {name: sec, mountPath: /etc/secret, readOnly: true}
    - {name: info, mountPath: /etc/podinfo}
    - {name: data, mountPath: /data}
  - name: web
    image: nginx:1.27
    volumeMounts:
    - {name: data, mountPath: /shared}
  volumes:
  - name: cfg
    configMap: {name: app-config}
  - name: sec
    secret: {secretName: db}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
  - name: data
    emptyDir: {}
`;

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  await ok('create', 'configmap', 'app-config', '--from-literal=color=blue', '--from-literal=mode=dev');
  await ok('create', 'secret', 'generic', 'db', '--from-literal=password=s3cret');
  await ok('apply', '-f', files.file('pod.yaml', POD));
  await ok('wait', '--for=condition=Ready', 'pod/multi', '--timeout=60s');
});
after(async () => {
  await d.stop();
  files.remove();
});

const DEFAULTED = 'Defaulted container "app" out of: app, web\n';

test('exec reads mounted ConfigMap, Secret and downward API files and the container environment', async () => {
  let r = await kubectl('exec', 'multi', '--', 'ls', '/etc/config');
  assert.deepEqual(r, { code: 0, stdout: 'color\nmode\n', stderr: DEFAULTED });
  r = await kubectl('exec', 'multi', '-c', 'app', '--', 'sh', '-c', 'cat /etc/secret/password; echo; cat /etc/podinfo/labels; echo; echo "$GREETING $COLOR from $HOSTNAME"; printenv KUBERNETES_SERVICE_HOST');
  assert.deepEqual(r, { code: 0, stdout: 's3cret\napp="multi"\ntier="web"\nhello blue from multi\n10.96.0.1\n', stderr: '' });
  r = await kubectl('exec', 'multi', '-c', 'web', '--', 'cat', '/shared/log', '/etc/resolv.conf');
  assert.equal(r.stdout, 'started\nsearch default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  r = await kubectl('exec', 'multi', '-c', 'web', '--', 'grep', '-c', 'Welcome to nginx', '/usr/share/nginx/html/index.html');
  assert.deepEqual(r, { code: 0, stdout: '2\n', stderr: '' });
});

test('a non-zero exit code is kubectl\'s exit code', async () => {
  const r = await kubectl('exec', 'multi', '-c', 'app', '--', 'sh', '-c', 'echo partial; exit 3');
  assert.deepEqual(r, { code: 3, stdout: 'partial\n', stderr: 'command terminated with exit code 3\n' });
  const ls = await kubectl('exec', 'multi', '-c', 'web', '--', 'ls', '/nope');
  assert.deepEqual(ls, { code: 2, stdout: '', stderr: "ls: cannot access '/nope': No such file or directory\ncommand terminated with exit code 2\n" });
});

test('exec -i delivers piped stdin; -t without a terminal falls back to plain streams', async () => {
  let r = await runKubectl(d, ['exec', '-i', 'multi', '-c', 'app', '--', 'cat'], { stdin: 'some input\n' });
  assert.deepEqual(r, { code: 0, stdout: 'some input\n', stderr: '' });
  r = await runKubectl(d, ['exec', '-it', 'multi', '-c', 'app', '--', 'sh'], { stdin: 'cd /etc/config\npwd\nls | wc -l\nexit 4\n' });
  assert.deepEqual(r, { code: 4, stdout: '/etc/config\n2\n', stderr: 'Unable to use a TTY - input is not a terminal or the right kind of file\ncommand terminated with exit code 4\n' });
});

test('errors: unknown container and pod from the apiserver, missing executable from the runtime', async () => {
  let r = await kubectl('exec', 'multi', '-c', 'nope', '--', 'ls');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Error from server (BadRequest): container nope is not valid for pod multi\n' });
  r = await kubectl('exec', 'ghost', '--', 'ls');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "ghost" not found\n' });
  r = await kubectl('exec', 'multi', '-c', 'app', '--', 'bash');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "bash": executable file not found in \$PATH: unknown\n$/);
});

test('wget and curl reach Services through cluster DNS and get nginx\'s page; errors as busybox and curl print them', async () => {
  await ok('create', 'deployment', 'site', '--image=nginx:1.27');
  await ok('create', 'service', 'clusterip', 'site', '--tcp=80:80');
  await ok('rollout', 'status', 'deployment/site', '--timeout=60s');
  const page = (await kubectl('exec', 'multi', '-c', 'web', '--', 'cat', '/usr/share/nginx/html/index.html')).stdout;
  assert.match(page, /<title>Welcome to nginx!<\/title>/);
  let r = await kubectl('exec', 'multi', '-c', 'app', '--', 'wget', '-qO-', 'http://site');
  assert.deepEqual(r, { code: 0, stdout: page, stderr: '' });
  r = await kubectl('exec', 'multi', '-c', 'web', '--', 'curl', '-s', 'site.default.svc.cluster.local');
  assert.deepEqual(r, { code: 0, stdout: page, stderr: '' });
  r = await kubectl('exec', 'multi', '-c', 'app', '--', 'wget', '-qO-', 'site/missing.html');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: 'wget: server returned error: HTTP/1.1 404 Not Found\ncommand terminated with exit code 1\n' });
  r = await kubectl('exec', 'multi', '-c', 'app', '--', 'wget', '-q', '-O', '-', 'nosuch');
  assert.deepEqual(r, { code: 1, stdout: '', stderr: "wget: bad address 'nosuch'\ncommand terminated with exit code 1\n" });
  const ip = (await ok('get', 'service', 'site', '-o', 'jsonpath={.spec.clusterIP}')).trim();
  r = await kubectl('exec', 'multi', '-c', 'web', '--', 'curl', `${ip}:8080`);
  assert.deepEqual(r, { code: 7, stdout: '', stderr: `curl: (7) Failed to connect to ${ip} port 8080 after 0 ms: Couldn't connect to server\ncommand terminated with exit code 7\n` });
});

test('run -i --rm prints the output, deletes the pod and passes the exit code on', async () => {
  let r = await kubectl('run', '-i', '--rm', '--restart=Never', 'tmp', '--image=busybox', '--', 'echo', 'hello');
  assert.deepEqual(r, { code: 0, stdout: 'hello\npod "tmp" deleted from default namespace\n', stderr: '' });
  // Long enough to be attached: the attach path prints kubectl's prompt hints on stderr.
  r = await kubectl('run', '-i', '--rm', '--restart=Never', 'slow', '--image=busybox', '--', 'sh', '-c', 'sleep 10; echo late; exit 5');
  assert.equal(r.code, 5);
  assert.equal(r.stdout, 'late\npod "slow" deleted from default namespace\n');
  assert.equal(r.stderr, [
    'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.',
    "If you don't see a command prompt, try pressing enter.", 'pod default/slow terminated (Error)', ''].join('\n'));
  assert.equal((await kubectl('get', 'pod', 'slow')).code, 1, 'deleted');
});

test('run -i --rm -- sh reads the piped script from the attached stdin, line by line', async () => {
  const r = await runKubectl(d, ['run', '-i', '--rm', '--restart=Never', 'shell', '--image=busybox', '--', 'sh'], { stdin: 'echo hi from $HOSTNAME\ncd /etc; ls | head -2\nexit 3\n' });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'hi from shell\ngroup\nhostname\npod "shell" deleted from default namespace\n');
  assert.ok(r.stderr.endsWith("If you don't see a command prompt, try pressing enter.\npod default/shell terminated (Error)\n\n") || r.stderr.endsWith("If you don't see a command prompt, try pressing enter.\npod default/shell terminated (Error)\n"), r.stderr);
});

test('attach follows a running container until it exits', async () => {
  await ok('run', 'ticker', '--restart=Never', '--image=busybox', '--', 'sh', '-c', 'sleep 40; for i in 1 2 3; do echo tick $i; sleep 5; done');
  await ok('wait', '--for=condition=Ready', 'pod/ticker', '--timeout=60s');
  const r = await kubectl('attach', 'ticker');
  assert.equal(r.code, 0, r.stderr);
  // Only what is written after the attach reaches kubectl: a late attach may miss the first ticks.
  assert.ok(['tick 1\ntick 2\ntick 3\n', 'tick 2\ntick 3\n', 'tick 3\n'].includes(r.stdout), r.stdout);
  assert.equal(r.stderr, "All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n");
});
