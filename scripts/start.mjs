#!/usr/bin/env node
// `npm start`: builds when a source is newer than the last build, starts the practice cluster in the
// background (`kd up`, a no-op when it runs already) and opens the practice shell (`kd shell`).
// Arguments after `npm start --` go to `kd up` (e.g. `npm start -- --speed 10`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const STAMP = join(root, 'dist', '.build-stamp');
const SOURCES = ['cli', 'server', 'schemas', 'bin', 'scripts', 'tsconfig.json', 'package.json'];
const SKIP = new Set(['node_modules', 'dist', '.git']);

/** The newest modification time under a path (files only). */
function newest(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) if (!SKIP.has(name)) max = Math.max(max, newest(join(path, name)));
  return max;
}

function run(args, what) {
  const r = spawnSync(args[0], args.slice(1), { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`error: ${what} failed (exit code ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
}

const built = existsSync(join(root, 'dist', 'cli', 'main.js')) ? statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0 : 0;
const sources = Math.max(...SOURCES.map((s) => newest(join(root, s))));
if (sources > built) {
  process.stdout.write('Building kubedojo (sources changed since the last build)...\n');
  run(['npm', 'run', '--silent', 'build'], 'the build');
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}
const kd = join(root, 'bin', 'kd.js');
run([process.execPath, kd, 'up', ...process.argv.slice(2)], 'kd up');
const shell = spawnSync(process.execPath, [kd, 'shell'], { cwd: process.cwd(), stdio: 'inherit' });
process.exit(shell.status ?? 1);
