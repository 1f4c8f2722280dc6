/**
 * `kd edit` against the real kubectl v1.35.2 with non-interactive editors (shell scripts given as
 * KUBE_EDITOR): a saved change, no change, an invalid change that reopens the file and is given up,
 * `--output-patch`, and the errors. kubectl edits in one namespace and kd in its twin.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { run, runKubectl, startDaemon, type Daemon, type RunResult } from '../../support/daemon.js';
import { repoRoot } from '../../support/kubectl.js';
import { e2e } from '../../support/e2e.js';

let d: Daemon;
const { ok, getJson } = e2e(() => d);
const NS: [string, string] = ['edit-a', 'edit-b'];
const dir = mkdtempSync(join(tmpdir(), 'kd-edit-'));

/** An editor script running one sed expression on the file it is given. */
function editor(name: string, sed: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\nsed -i '${sed}' "$1"\n`);
  chmodSync(path, 0o755);
  return path;
}

function runKdWithEnv(args: string[], env: Record<string, string>): Promise<RunResult> {
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: d.home, KUBECACHEDIR: join(d.home, '.kube', 'cache') };
  return run(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), ...args, '--kubeconfig', d.kubeconfig], { env: { ...base, ...env } });
}

/** kubectl in NS[0] and kd in NS[1] with the same KUBE_EDITOR; outputs compared with names masked. */
async function twinEdit(args: (ns: string) => string[], kubeEditor: string): Promise<RunResult> {
  const mask = (ns: string) => (t: string) => t.replaceAll(ns, 'NAMESPACE').replace(/kubectl(-v1\.35\.2)?-edit-\d+/g, 'kubectl-edit-N');
  const clean = (r: RunResult, ns: string) => ({ stdout: mask(ns)(r.stdout), stderr: mask(ns)(r.stderr), code: r.code });
  const want = clean(await runKubectl(d, args(NS[0]), { env: { KUBE_EDITOR: kubeEditor } }), NS[0]);
  const got = clean(await runKdWithEnv(args(NS[1]), { KUBE_EDITOR: kubeEditor }), NS[1]);
  assert.deepEqual(got, want, `kd ${args(NS[1]).join(' ')} differs from kubectl`);
  return want;
}

before(async () => {
  d = await startDaemon({ extraArgs: ['--speed', '20', '--random-seed', '7'] });
  for (const ns of NS) {
    await ok('create', 'namespace', ns);
    await ok('create', 'deployment', 'web', '--image=nginx', '-n', ns);
  }
});
after(async () => {
  await d.stop();
});

test('kd edit saves a change as a patch and prints edited', async () => {
  const want = await twinEdit((ns) => ['edit', 'deployment/web', '-n', ns], editor('replicas.sh', 's/replicas: 1$/replicas: 2/'));
  assert.equal(want.stdout, 'deployment.apps/web edited\n');
  const [a, b] = await Promise.all(NS.map((ns) => getJson(`/apis/apps/v1/namespaces/${ns}/deployments/web`)));
  assert.equal(b.spec.replicas, a.spec.replicas);
});

test('kd edit --output-patch prints the strategic merge patch', async () => {
  const want = await twinEdit((ns) => ['edit', 'deploy', 'web', '-n', ns, '--output-patch'], editor('image.sh', 's/image: nginx$/image: nginx:1.28/'));
  assert.match(want.stdout, /^Patch: /);
});

test('kd edit without a change cancels', async () => {
  const want = await twinEdit((ns) => ['edit', 'deploy/web', '-n', ns], 'true');
  assert.equal(want.stderr, 'Edit cancelled, no changes made.\n');
});

test('kd edit of an invalid change reopens the file, then gives up keeping a copy', async () => {
  const want = await twinEdit((ns) => ['edit', 'deploy/web', '-n', ns], editor('negative.sh', 's/replicas: 2$/replicas: -1/'));
  assert.equal(want.code, 1);
});

test('kd edit errors: NotFound, no arguments, a bad -o', async () => {
  assert.equal((await twinEdit((ns) => ['edit', 'deploy/nope', '-n', ns], 'true')).code, 1);
  assert.equal((await twinEdit((ns) => ['edit', '-n', ns], 'true')).code, 1);
  assert.equal((await twinEdit((ns) => ['edit', 'deploy/web', '-n', ns, '-o', 'name'], 'true')).code, 1);
});
