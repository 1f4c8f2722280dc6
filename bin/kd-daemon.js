#!/usr/bin/env node
// The daemon shim (`kd serve` and the tests start it): the daemon lives in the compiled server.
import('../dist/server/main.js').then(
  (m) => m.main(process.argv.slice(2)).then((code) => process.exit(code)),
  (err) => {
    process.stderr.write(`error: cannot load the kubedojo daemon (run 'npm run build' first): ${err.message}\n`);
    process.exit(1);
  },
);
