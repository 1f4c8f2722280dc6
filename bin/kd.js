#!/usr/bin/env node
// The kd shim: everything lives in the compiled CLI (npm run build writes dist/).
import('../dist/cli/main.js').then(
  (m) => m.main(process.argv),
  (err) => {
    process.stderr.write(`error: cannot load the kd CLI (run 'npm run build' first): ${err.message}\n`);
    process.exit(1);
  },
);
