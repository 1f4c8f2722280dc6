#!/usr/bin/env node
// Part of `npm run build`, after tsc: compiles the decode validators of every kind with Ajv and
// writes them as one standalone CommonJS module, schemas/generated/validators.cjs, which the
// daemon loads without Ajv (server/validation/ajv.ts says why). The schemas come from the compiled
// ajv.js, the one place that turns definitions.json into Ajv schemas.
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { AJV_OPTIONS, ajvSchema, validatedRoots } = await import(join(ROOT, 'dist', 'server', 'validation', 'ajv.js'));
const { loadDefinitions, validatorsFile } = await import(join(ROOT, 'dist', 'server', 'validation', 'schema.js'));

const started = performance.now();
const definitions = loadDefinitions();
const { schema, rootRef } = ajvSchema(definitions);
const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true } });
ajv.addSchema(schema);
const exports = Object.fromEntries(validatedRoots(definitions).map((name) => [name, rootRef(name)]));
const code = standaloneCode(ajv, exports);
writeFileSync(validatorsFile(), code);
console.log(`gen-validators: ${Object.keys(exports).length} kinds, ${(code.length / 1024).toFixed(0)} KiB in ${(performance.now() - started).toFixed(0)} ms`);
