/**
 * `kd edit` of several objects at once against the real kubectl v1.35.2: a TYPE without a name,
 * several names or types open ONE buffer holding a `kind: List`, and each changed object is patched
 * (the others print `skipped`). kubectl edits in one namespace and kd in its twin with the same
 * KUBE_EDITOR script; outputs, the buffer itself and the resulting objects are compared. kubectl
 * checks a List against /openapi/v2 on its side (default --validate=strict), so the daemon's v2
 * document is exercised too.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, runKubectl, startDaemon, type Daemon, type RunResult } from '../../support/daemon.js';
import { repoRoot } from '../../support/kubectl.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, getJson } = e2e(() => d);
const NS: [string, string] = ['edl-a', 'edl-b'];
const dir = mkdtempSync(join(tmpdir(), 'kd-edit-list-'));

/** An editor script running one sed expression on the file it is given. */
function editor(name: string, sed: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nsed -i '${sed}' "$1"\n`);
  chmodSync(path, 0o755);
  return path;
}

/** An editor script that changes the parsed JSON buffer with `body` (a function body over `doc`). */
function jsonEditor(name: string, body: string): string {
  const path = join(dir, name);
  const script = [
    `#!${process.execPath}`,
    "const fs = require('fs');",
    'const f = process.argv[2];',
    "const doc = JSON.parse(fs.readFileSync(f, 'utf8').split('\\n').filter((l) => !l.startsWith('#')).join('\\n'));",
    body,
    'fs.writeFileSync(f, JSON.stringify(doc, null, 2));',
  ].join('\n');
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return path;
}

/** An editor that keeps a copy of the buffer it was given, named after the namespace in it. */
const captureEditor = (() => {
  const path = join(dir, 'capture.sh');
  writeFileSync(path, `#!/bin/sh\nns=$(grep -m1 '  namespace: ' "$1" | sed 's/.*namespace: //')\ncp "$1" "${dir}/captured-$ns"\n`);
  chmodSync(path, 0o755);
  return path;
})();

function runKdWithEnv(args: string[], env: Record<string, string>): Promise<RunResult> {
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECACHEDIR: join(d.home, '.kube', 'cache') };
  return run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--kubeconfig', d.kubeconfig], { env: { ...base, ...env } });
}

/** Fields that differ between the twins even when both did the same. */
const maskGenerated = (t: string) => t.replace(/(uid|resourceVersion|creationTimestamp): .*/g, '$1: X').replace(/"(uid|resourceVersion|creationTimestamp)": ".*"/g, '"$1": "X"');

/** kubectl in NS[0] and kd in NS[1] with the same KUBE_EDITOR; outputs compared with names masked. */
async function twinEdit(args: (ns: string) => string[], kubeEditor: string): Promise<RunResult> {
  const mask = (ns: string) => (t: string) =>
    maskGenerated(t.replaceAll(ns, 'NAMESPACE').replace(/kubectl(-v1\.35\.2)?-edit-\d+/g, 'kubectl-edit-N').replace(/kubectl-v1\.35\.2/g, 'kubectl'));
  const clean = (r: RunResult, ns: string) => ({ stdout: mask(ns)(r.stdout), stderr: mask(ns)(r.stderr), code: r.code });
  const want = clean(await runKubectl(d, args(NS[0]), { env: { KUBE_EDITOR: kubeEditor } }), NS[0]);
  const got = clean(await runKdWithEnv(args(NS[1]), { KUBE_EDITOR: kubeEditor }), NS[1]);
  assert.deepEqual(got, want, `kd ${args(NS[1]).join(' ')} differs from kubectl`);
  return want;
}

/** The named objects of a resource path in both namespaces. */
async function twins(path: (ns: string) => string): Promise<[any, any]> {
  const [a, b] = await Promise.all(NS.map((ns) => getJson(path(ns))));
  return [a, b];
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'a', '--image=nginx', '-n', ns);
    await ok('create', 'deployment', 'b', '--image=nginx', '-n', ns);
    await ok('create', 'configmap', 'c1', '--from-literal=a=b', '-n', ns);
    await ok('create', 'configmap', 'c2', '--from-literal=x=v1', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

test('kd edit TYPE opens one List buffer with kubectl header and layout', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', '-n', ns], captureEditor);
  assert.equal(want.stderr, 'Edit cancelled, no changes made.\n');
  const [a, b] = NS.map((ns) => readFileSync(join(dir, `captured-${ns}`), 'utf8'));
  assert.equal(maskGenerated(b!.replaceAll(NS[1], 'NAMESPACE')), maskGenerated(a!.replaceAll(NS[0], 'NAMESPACE')));
  assert.match(a!, /^# Please edit the object below\./);
  assert.match(a!, /\napiVersion: v1\nitems:\n- apiVersion: v1\n/);
  assert.match(a!, /\nkind: List\nmetadata: \{\}\n$/);
});

test('kd edit TYPE saves the changed objects and skips the others', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', '-n', ns], editor('cm-a.sh', 's/^    a: b$/    a: changed/'));
  assert.equal(want.stdout, 'configmap/c1 edited\nconfigmap/c2 skipped\nconfigmap/kube-root-ca.crt skipped\n');
  const [a, b] = await twins((ns) => `/api/v1/namespaces/${ns}/configmaps/c1`);
  assert.deepEqual(b.data, a.data);
  assert.equal(a.data.a, 'changed');
});

test('kd edit with several types patches each changed object', async () => {
  const want = await twinEdit((ns) => ['edit', 'deploy,cm', '-n', ns], editor('replicas.sh', 's/replicas: 1$/replicas: 2/'));
  assert.match(want.stdout, /^deployment\.apps\/a edited\ndeployment\.apps\/b edited\nconfigmap\/c1 skipped\n/);
  const [a, b] = await twins((ns) => `/apis/apps/v1/namespaces/${ns}/deployments/b`);
  assert.equal(b.spec.replicas, a.spec.replicas);
});

test('kd edit with several names and --output-patch', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', 'c1', 'c2', '-n', ns, '--output-patch'], editor('cm-x.sh', 's/^    x: v1$/    x: v2/'));
  assert.equal(want.stdout, 'configmap/c1 skipped\nPatch: {"data":{"x":"v2"}}\nconfigmap/c2 edited\n');
});

test('kd edit -o yaml prints each edited object, without document separators', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', 'c1', 'c2', '-n', ns, '-o', 'yaml'], editor('cm-both.sh', 's/^    a: changed$/    a: again/; s/^    x: v2$/    x: again/'));
  assert.equal((want.stdout.match(/^kind: ConfigMap$/gm) ?? []).length, 2);
  assert.doesNotMatch(want.stdout, /^---$/m);
});

test('kd edit matches the edited objects by uid: a reordered List with one object left out', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', '-n', ns, '-o', 'json'], jsonEditor('reorder.js', 'doc.items.reverse(); doc.items.pop(); doc.items[1].data.x = "reordered";'));
  assert.equal(want.code, 0);
  const [a, b] = await twins((ns) => `/api/v1/namespaces/${ns}/configmaps/c2`);
  assert.deepEqual(b.data, a.data);
  assert.equal(a.data.x, 'reordered');
});

test('kd edit of an invalid change in a List reopens the buffer, then gives up keeping a copy', async () => {
  const want = await twinEdit((ns) => ['edit', 'deploy', '-n', ns], editor('negative.sh', 's/replicas: 2$/replicas: -1/'));
  assert.equal(want.code, 1);
  assert.match(want.stderr, /is invalid/);
});

test('kd edit errors: no objects of a type, a name not found, -l, a type given twice', async () => {
  assert.equal((await twinEdit((ns) => ['edit', 'ingress', '-n', ns], 'true')).stderr, 'error: edit cancelled, no objects found\n');
  assert.equal((await twinEdit((ns) => ['edit', 'cm', 'c1', 'nope', '-n', ns], 'true')).code, 1);
  assert.equal((await twinEdit((ns) => ['edit', 'cm', '-l', 'a=b', '-n', ns], 'true')).code, 1);
  assert.equal((await twinEdit((ns) => ['edit', 'deploy', 'cm/c1', '-n', ns], 'true')).code, 1);
});

test('kd edit passes over an object whose uid was changed, and keeps the file when a name was changed', async () => {
  const uid = await twinEdit((ns) => ['edit', 'cm', 'c1', 'c2', '-n', ns, '-o', 'json'], jsonEditor('uid.js', 'doc.items[0].metadata.uid = "changed"; doc.items[0].data.a = "lost";'));
  assert.equal(uid.code, 0);
  const [a] = await twins((ns) => `/api/v1/namespaces/${ns}/configmaps/c1`);
  assert.notEqual(a.data.a, 'lost');
  const renamed = await twinEdit((ns) => ['edit', 'cm', 'c1', 'c2', '-n', ns, '-o', 'json'], jsonEditor('name.js', 'doc.items[1].metadata.name = "zz";'));
  assert.equal(renamed.code, 1);
  assert.match(renamed.stderr, /^A copy of your changes has been stored to ".*"\nerror: At least one of apiVersion, kind and name was changed\n$/);
});

test('kd edit refuses an object moved to another namespace, keeping the file', async () => {
  const want = await twinEdit((ns) => ['edit', 'cm', '-n', ns], editor('namespace.sh', 's/^    namespace: edl-[ab]$/    namespace: other/'));
  assert.equal(want.code, 1);
  assert.match(want.stderr, /^A copy of your changes has been stored to ".*"\nerror: the namespace from the provided object "other" does not match the namespace "NAMESPACE"\. You must pass '--namespace=other' to perform this operation\.\n$/);
});
