#!/usr/bin/env node
// The kd shim. `npm run build` writes the CLI as ES modules (dist/cli/, what the tests import) and
// bundled into one function expression, dist/cli/kd-bundle.cjs (scripts/bundle-cli.mjs). This runs
// the bundle through a V8 code cache, one per verb since each verb compiles different functions: a
// one-shot command then compiles almost nothing, which was most of what kd spent beyond Node's own
// start. The first run of a verb writes its cache; a cache is named after the bundle's size and
// mtime, so a rebuild never meets an old one. Without the bundle (a build by tsc alone) the modules
// run as they are. bin/ is CommonJS (bin/package.json): the ES module loader would cost a one-shot
// run its own start-up.
'use strict';
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { Script } = require('node:vm');

const cliDir = join(__dirname, '..', 'dist', 'cli');
const bundle = join(cliDir, 'kd-bundle.cjs');

function fail(err) {
  process.stderr.write(`error: cannot load the kd CLI (run 'npm run build' first): ${err.message}\n`);
  process.exit(1);
}

function runBundle(stat) {
  const verb = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'root';
  const cacheFile = join(cliDir, '.kd-code-cache', `${stat.size}-${Math.trunc(stat.mtimeMs)}-${verb}.bin`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // First run of this verb since the build: compile, then write the cache below.
  }
  const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require('node:module').createRequire(bundle), module, bundle, cliDir);
  return module.exports.main(process.argv).then(() => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
      renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    } catch {
      // A read-only installation runs without the cache, only slower.
    }
  });
}

// kubectl dies quietly of SIGPIPE when its reader goes away (`kd get pods | head`), which shells
// report as 141; Node would throw EPIPE with a stack trace instead.
process.stdout.on('error', (err) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(141);
});

const stat = statSync(bundle, { throwIfNoEntry: false });
if (stat) {
  try {
    runBundle(stat).catch(fail);
  } catch (err) {
    fail(err);
  }
} else {
  import('../dist/cli/main.js').then((m) => m.main(process.argv), fail);
}
