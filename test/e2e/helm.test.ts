import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runKubectl, startDaemon, type Daemon, type RunResult } from '../support/daemon.js';
import { helmPath } from '../support/kubectl.js';

function helm(d: Daemon, args: string[]): Promise<RunResult> {
  return helmPath().then((bin) => new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env: { PATH: process.env['PATH'] ?? '', HOME: d.home, KUBECONFIG: d.kubeconfig } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ stdout, stderr, code: code ?? 1 }));
  }));
}

function chart(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kd-chart-'));
  mkdirSync(join(dir, 'templates'));
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
  writeFileSync(join(dir, 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  greeting: {{ .Values.greeting | default "hello" }}\n');
  writeFileSync(join(dir, 'templates', 'deploy.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: "nginx:1.25"}]\n');
  return dir;
}

test('helm v4 installs, upgrades and uninstalls a release (protobuf Secrets, server-side apply)', async () => {
  const d = await startDaemon();
  const dir = chart();
  try {
    const install = await helm(d, ['install', 'demo', dir]);
    assert.equal(install.code, 0, install.stderr);
    assert.match(install.stdout, /^STATUS: deployed$/m);
    const cm = await runKubectl(d, ['get', 'cm', 'demo-config', '-o', 'jsonpath={.data.greeting} {.metadata.managedFields[0].manager}']);
    assert.equal(cm.stdout, 'hello helm');
    const release = await runKubectl(d, ['get', 'secret', 'sh.helm.release.v1.demo.v1', '-o', 'jsonpath={.type} {.metadata.labels.status}']);
    assert.equal(release.stdout, 'helm.sh/release.v1 deployed');
    const upgrade = await helm(d, ['upgrade', 'demo', dir, '--set', 'greeting=hi']);
    assert.equal(upgrade.code, 0, upgrade.stderr);
    assert.equal((await runKubectl(d, ['get', 'cm', 'demo-config', '-o', 'jsonpath={.data.greeting}'])).stdout, 'hi');
    const list = await helm(d, ['list', '-o', 'json']);
    const [entry] = JSON.parse(list.stdout);
    assert.deepEqual({ name: entry.name, revision: entry.revision, status: entry.status }, { name: 'demo', revision: '2', status: 'deployed' });
    const uninstall = await helm(d, ['uninstall', 'demo']);
    assert.equal(uninstall.stdout, 'release "demo" uninstalled\n');
    const gone = await runKubectl(d, ['get', 'deploy', 'demo-web']);
    assert.equal(gone.stderr, 'Error from server (NotFound): deployments.apps "demo-web" not found\n');
  } finally {
    await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
