#!/usr/bin/env node
// Part of `npm run build`: bundles the compiled CLI (dist/cli/main.js and every command it imports
// lazily) into one CommonJS module body, dist/cli/kd-bundle.cjs, that bin/kd.js runs with a V8 code
// cache. The body comes wrapped in the function expression Node wraps modules in, so the shim
// compiles the file as it is read, with no second copy of a half-megabyte string.
//
// Why: a one-shot `kd get pods` spent most of its time beyond Node's own start in the ES module
// loader (resolving and compiling ~60 files) and in compiling commander. One script can be compiled
// from a code cache, which Node 20 offers only for scripts (module.enableCompileCache came in 22).
// esbuild is used because it bundles the whole CLI in well under a second.
//
// The bundle sits next to main.js, so paths found from import.meta.url (the drills, schemas and
// package root) resolve as from the unbundled files. Packages the hot paths do not need stay
// outside it and load with require() when a command uses them, which keeps the bundle small:
// the whole source is read and hashed on every run.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, 'dist', 'cli', 'kd-bundle.cjs');

await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['undici', 'ajv', 'ws', 'yaml'],
  // A script run by node:vm has no loader for import(): the external packages come in by require().
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__kdModuleUrl' },
  banner: { js: "(function (exports, require, module, __filename, __dirname) {'use strict';const __kdModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '})' },
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: true,
  logLevel: 'warning',
});
// bin/kd.js names each cache after the bundle's size and mtime, so caches of an earlier bundle are
// never read again (V8 itself checks little more than the source length); they only take space.
rmSync(join(root, 'dist', 'cli', '.kd-code-cache'), { recursive: true, force: true });
