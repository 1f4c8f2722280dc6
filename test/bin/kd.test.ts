/**
 * The kd shim (bin/kd.js): it runs the bundled CLI through a per-verb V8 code cache that it writes
 * on a verb's first run, survives a cache V8 rejects, falls back to the ES modules when no bundle
 * was built, and ends quietly with 141 when its reader goes away, as kubectl does on SIGPIPE.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/kubectl.js';

const VERSION_OUTPUT = 'Client Version: v1.35.2\nKustomize Version: v5.7.1\n';

/** A copy of the shim in a fresh tree, with dist/cli holding what `layout` puts there. */
function shimTree(layout: (cliDir: string) => void): { kd: string; cliDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'kd-shim-'));
  mkdirSync(join(root, 'bin'));
  for (const f of ['kd.js', 'package.json']) copyFileSync(join(repoRoot(), 'bin', f), join(root, 'bin', f));
  const cliDir = join(root, 'dist', 'cli');
  mkdirSync(cliDir, { recursive: true });
  layout(cliDir);
  return { kd: join(root, 'bin', 'kd.js'), cliDir };
}

function run(kd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, [kd, ...args], { encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

test('the first run of a verb writes its code cache; a rejected cache is replaced', () => {
  const { kd, cliDir } = shimTree((dir) => copyFileSync(join(repoRoot(), 'dist', 'cli', 'kd-bundle.cjs'), join(dir, 'kd-bundle.cjs')));
  const cacheDir = join(cliDir, '.kd-code-cache');
  assert.deepEqual(run(kd, ['version', '--client']), { stdout: VERSION_OUTPUT, stderr: '', status: 0 });
  const [file, ...more] = readdirSync(cacheDir);
  assert.match(file!, /^\d+-\d+-version\.bin$/);
  assert.deepEqual(more, []);
  const good = readFileSync(join(cacheDir, file!));
  writeFileSync(join(cacheDir, file!), Buffer.alloc(good.length, 7));
  assert.deepEqual(run(kd, ['version', '--client']), { stdout: VERSION_OUTPUT, stderr: '', status: 0 });
  assert.notDeepEqual(readFileSync(join(cacheDir, file!)), Buffer.alloc(good.length, 7));
  assert.deepEqual(run(kd, ['version', '--client']), { stdout: VERSION_OUTPUT, stderr: '', status: 0 });
});

test('without a bundle the shim runs the ES modules', () => {
  const { kd, cliDir } = shimTree((dir) => symlinkSync(join(repoRoot(), 'dist', 'cli', 'main.js'), join(dir, 'main.js')));
  assert.deepEqual(run(kd, ['version', '--client']), { stdout: VERSION_OUTPUT, stderr: '', status: 0 });
  assert.deepEqual(readdirSync(cliDir), ['main.js']);
});

test('a reader that goes away ends kd quietly with 141', async () => {
  const child = spawn(process.execPath, [join(repoRoot(), 'bin', 'kd.js'), 'completion', 'bash'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closed before Node has even started, so kd's first write meets a pipe with no reader.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.equal(stderr, '');
  assert.equal(code, 141);
});
