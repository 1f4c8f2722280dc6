/**
 * `kd rollout … -f` and `kd wait -f`, and the PrintFlags (-o) of rollout pause|resume|restart|undo
 * and wait, against the real kubectl v1.35.2 on one daemon. Twin Deployments live in two
 * namespaces; each case writes its manifests into a per-namespace folder, kubectl acts in one and
 * kd in the other, and outputs must match once the namespace (and the folder) is masked.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../../support/daemon.js';
import { assertSameInNamespaces } from '../../support/differential.js';
import { e2e } from '../../support/e2e.js';

const NS: [string, string] = ['rf-a', 'rf-b'];
let d: Daemon;
let root: string;
const { ok, getJson } = e2e(() => d);

/** The folder of one namespace's manifests: web.yaml, other.yaml (no namespace), sub/cfg.yaml. */
const dir = (ns: string) => join(root, ns);

function writeManifests(ns: string): void {
  mkdirSync(join(dir(ns), 'sub'), { recursive: true });
  writeFileSync(join(dir(ns), 'web.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${ns}}\n`);
  writeFileSync(join(dir(ns), 'other.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
  writeFileSync(join(dir(ns), 'sub', 'cfg.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg, namespace: ${ns}}\n`);
  writeFileSync(join(dir(ns), 'notes.txt'), 'not a manifest\n');
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  root = mkdtempSync(join(tmpdir(), 'kd-rollout-files-'));
  for (const ns of NS) {
    writeManifests(ns);
    await ok('create', 'namespace', ns);
    await ok('create', 'configmap', 'cfg', '-n', ns);
    await ok('create', 'deployment', 'web', '--image=nginx:1.27', '-n', ns);
    await ok('create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=0', '-n', ns);
    await ok('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s');
    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.26', '-n', ns);
    await ok('rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s');
  }
});
after(async () => {
  await d.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Masks the folder, and what differs between twins: uids, times, resource versions, generated names. */
function mask(text: string): string {
  return text
    .replaceAll(root, 'ROOT')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'TIME')
    .replace(/(resourceVersion"?: "?)\d+/g, '$1N')
    .replace(/(web|api)-[0-9a-z]{8,10}\b/g, '$1-HASH')
    .replace(/(pod-template-hash"?: "?)[0-9a-z]+/g, '$1HASH');
}

const same = (args: (ns: string) => string[], stdin?: string) => assertSameInNamespaces(d, args, NS, { mask, stdin });
const f = (ns: string, file: string) => join(dir(ns), file);

/** Each case: the arguments and kubectl's exit code, compared in order (later cases build on earlier ones). */
const CASES: Array<[string, (ns: string) => string[], number]> = [
  ['status -f', (ns) => ['rollout', 'status', '-f', f(ns, 'web.yaml')], 0],
  ['status -f of a kind without a viewer', (ns) => ['rollout', 'status', '-f', f(ns, 'sub/cfg.yaml')], 1],
  ['status -R -f of a folder: one error per failing object, read failures last', (ns) => ['rollout', 'status', '-R', '-f', dir(ns), '-n', ns], 1],
  ['status -f of a folder without -R skips sub folders', (ns) => ['rollout', 'status', '-f', dir(ns), '-n', ns], 0],
  ['status -f with a TYPE/NAME argument', (ns) => ['rollout', 'status', '-f', f(ns, 'web.yaml'), 'deploy/web'], 1],
  ['status -f of a missing file', (ns) => ['rollout', 'status', '-f', f(ns, 'missing.yaml')], 1],
  ['status -f with a conflicting -n', (ns) => ['rollout', 'status', '-f', f(ns, 'web.yaml'), '-n', 'default'], 1],
  ['status -f with a selector the object on the server fails', (ns) => ['rollout', 'status', '-f', f(ns, 'web.yaml'), '-l', 'app=nothing'], 0],
  ['status -f with a selector the object on the server matches', (ns) => ['rollout', 'status', '-f', f(ns, 'web.yaml'), '-l', 'app in (web,x)'], 0],
  ['status of a type with a selector matching nothing', (ns) => ['rollout', 'status', 'deploy', '-l', 'app!=web', '-n', ns], 0],
  ['history -f', (ns) => ['rollout', 'history', '-f', f(ns, 'web.yaml')], 0],
  ['history -f of a configmap', (ns) => ['rollout', 'history', '-f', f(ns, 'sub/cfg.yaml')], 1],
  ['history -f twice of a missing object', (ns) => ['rollout', 'history', '-f', f(ns, 'other.yaml'), '-f', f(ns, 'other.yaml')], 1],
  ['history -o name lists the ReplicaSets', (ns) => ['rollout', 'history', '-f', f(ns, 'web.yaml'), '-o', 'name'], 0],
  ['history --revision=1 -o yaml', (ns) => ['rollout', 'history', '-f', f(ns, 'web.yaml'), '--revision=1', '-o', 'yaml'], 0],
  ['history -o yaml separates the revisions', (ns) => ['rollout', 'history', 'deploy/web', '-n', ns, '-o', 'yaml'], 0],
  ['history -o yaml of two deployments shares one printer', (ns) => ['rollout', 'history', 'deploy/web', 'deploy/api', '-n', ns, '-o', 'yaml'], 0],
  ['pause -f -o jsonpath', (ns) => ['rollout', 'pause', '-f', f(ns, 'web.yaml'), '-o', 'jsonpath={.spec.paused}'], 0],
  ['pause -R -f: errors of a configmap and an already paused deployment', (ns) => ['rollout', 'pause', '-R', '-f', dir(ns), '-n', ns], 1],
  ['undo -f of a paused deployment', (ns) => ['rollout', 'undo', '-f', f(ns, 'web.yaml')], 1],
  ['undo --dry-run=client -o yaml prints the deployment as read', (ns) => ['rollout', 'undo', '-f', f(ns, 'web.yaml'), '--dry-run=client', '-o', 'yaml'], 0],
  ['resume -f -o name', (ns) => ['rollout', 'resume', '-f', f(ns, 'web.yaml'), '-o', 'name'], 0],
  ['pause -o wide pauses, then fails to print', (ns) => ['rollout', 'pause', 'deploy/web', '-n', ns, '-o', 'wide'], 1],
  ['resume -f - from stdin -o jsonpath', (ns) => ['rollout', 'resume', '-f', '-', '-n', ns, '-o', 'jsonpath={.metadata.name} {.spec.paused}'], 0],
  ['restart -f of a configmap', (ns) => ['rollout', 'restart', '-f', f(ns, 'sub/cfg.yaml')], 1],
  ['undo --dry-run=server -o name', (ns) => ['rollout', 'undo', '-f', f(ns, 'web.yaml'), '--dry-run=server', '-o', 'name'], 0],
  ['undo -f of a configmap', (ns) => ['rollout', 'undo', '-f', f(ns, 'sub/cfg.yaml')], 1],
  ['undo -f -o name', (ns) => ['rollout', 'undo', '-f', f(ns, 'web.yaml'), '-o', 'name'], 0],
  ['wait -f -o name', (ns) => ['wait', '-f', f(ns, 'sub/cfg.yaml'), '--for=jsonpath={.metadata.name}=cfg', '-o', 'name'], 0],
  ['wait --for=create -f twice -o jsonpath', (ns) => ['wait', '-f', f(ns, 'sub/cfg.yaml'), '-f', f(ns, 'sub/cfg.yaml'), '--for=create', '-o', 'jsonpath={.kind}'], 0],
  ['wait -f with a TYPE/NAME argument', (ns) => ['wait', '-f', f(ns, 'web.yaml'), 'deploy/web', '--for=delete'], 1],
  ['wait -f of a missing object', (ns) => ['wait', '-f', f(ns, 'other.yaml'), '--for=condition=Available'], 1],
  ['wait -f --for=delete of a missing object', (ns) => ['wait', '-f', f(ns, 'other.yaml'), '--for=delete', '--timeout=0'], 0],
  ['wait -R -f: timeouts, then the read failure', (ns) => ['wait', '-R', '-f', dir(ns), '-n', ns, '--for=jsonpath={.metadata.name}=x', '--timeout=1s'], 1],
  ['wait -o wide', (ns) => ['wait', '-f', f(ns, 'sub/cfg.yaml'), '--for=create', '-o', 'wide'], 1],
  ['rollout without resources', (ns) => ['rollout', 'history', '-n', ns], 1],
];

for (const [name, args, code] of CASES) {
  test(`rollout -f / -o: ${name}`, async () => {
    const stdin = args('x').includes('-') ? 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n' : undefined;
    const r = await same(args, stdin);
    assert.equal(r.code, code, `kubectl's exit code: ${r.stderr}`);
  });
}

test('rollout -f / -o: the twins end in the same state', async () => {
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.equal(b.spec.paused, a.spec.paused);
  assert.equal(b.spec.template.spec.containers[0].image, a.spec.template.spec.containers[0].image);
  assert.equal(b.metadata.annotations['deployment.kubernetes.io/revision'], a.metadata.annotations['deployment.kubernetes.io/revision']);
});
