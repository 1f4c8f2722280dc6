/**
 * What kubectl's writing verbs (create, apply, replace, delete, edit) share: the `--dry-run` and
 * `--validate` flag values (kubectl pkg/cmd/util/helpers.go GetDryRunStrategy, GetValidationDirective),
 * the query of a write, and the printing of a written object as `-o name|yaml|json|jsonpath=…` or as
 * the `<kind>.<group>/<name> <operation>` line of the name printer.
 */
import type { Command } from 'commander';
import { withTemplateFlags } from '../print/print-flags.js';

/** kubectl's dry-run strategies. */
export type DryRun = 'none' | 'client' | 'server';

/** The fieldValidation directive sent with a write (`Ignore` for `--validate=false`). */
export type Validation = 'Strict' | 'Warn' | 'Ignore';

/** The -o values of the writing verbs, in the order of kubectl's error message. */
const ALLOWED_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml';

/** Parses `--dry-run`; a bare `--dry-run` means client, as kubectl's deprecated default did. */
export function parseDryRun(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === false || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new Error(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** Parses `--validate` into the fieldValidation directive kubectl sends. */
export function parseValidate(value: string | boolean | undefined): Validation {
  const v = String(value ?? 'strict').toLowerCase();
  if (v === 'strict' || v === 'true') return 'Strict';
  if (v === 'warn') return 'Warn';
  if (v === 'ignore' || v === 'false') return 'Ignore';
  throw new Error(`invalid - validate option "${String(value)}"; must be one of: strict (or true), warn, ignore (or false)`);
}

/** Adds `--dry-run`, `-o` and `--validate` with kubectl's names and defaults. */
export function withWriteFlags(cmd: Command, opts: { validate?: boolean } = {}): Command {
  cmd
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, jsonpath).')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.');
  if (opts.validate !== false) cmd.option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict');
  return withTemplateFlags(cmd);
}

/** The query string of a write: `fieldManager`, `fieldValidation` and `dryRun=All` in kubectl's order. */
export function writeQuery(opts: { fieldManager?: string; validation?: Validation; dryRun?: DryRun; force?: boolean }): string {
  const q = new URLSearchParams();
  if (opts.dryRun === 'server') q.set('dryRun', 'All');
  if (opts.fieldManager) q.set('fieldManager', opts.fieldManager);
  if (opts.validation) q.set('fieldValidation', opts.validation);
  if (opts.force !== undefined) q.set('force', String(opts.force));
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** ` (dry run)` / ` (server dry run)`, the suffix kubectl's name printer adds to an operation. */
export function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
}

/** `kind.group/name`, as kubectl's name printer writes an object. */
export function kindName(obj: any): string {
  const apiVersion: string = obj.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${String(obj.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}/${obj.metadata?.name ?? ''}`;
}

/** A printer for a written object: (object, operation) → text. */
export type WritePrinter = (obj: any, operation: string) => string;

/**
 * The printer of `-o` for a writing verb; without `-o` the line `<kind>.<group>/<name> <operation>`
 * with the dry-run suffix. `typed` objects (built by a generator) keep their key order in JSON as
 * kubectl's typed structs do; objects read from the server or files print with sorted keys.
 */
export async function writePrinter(outputFlag: string | undefined, dryRun: DryRun, opts: { showManagedFields?: boolean; typed?: boolean } = {}): Promise<WritePrinter> {
  const strip = (obj: any) => (opts.showManagedFields ? obj : withoutManagedFields(obj));
  const output = (await import('../print/print-flags.js')).effectiveOutput(outputFlag);
  if (output === undefined || output === '') return (obj, op) => `${kindName(obj)} ${op}${dryRunSuffix(dryRun)}\n`;
  if (output === 'name') return (obj) => `${kindName(obj)}\n`;
  const { printJson, printTypedJson, printYaml } = await import('../print/generic.js');
  // The YAML printer separates the documents of successive objects.
  let printed = 0;
  if (output === 'yaml') return (obj) => (printed++ > 0 ? '---\n' : '') + printYaml(strip(obj));
  if (output === 'json') return (obj) => (opts.typed ? printTypedJson(strip(obj)) : printJson(strip(obj)));
  const shared = await (await import('../print/printers.js')).sharedPrinter(output, { strip, typed: opts.typed });
  if (shared) return (obj) => shared(obj);
  throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_FORMATS}`);
}

/** Go's json.Marshal of decoded JSON: compact, map keys sorted, HTML characters escaped. */
export function goCompactJson(value: unknown): string {
  const sort = (v: any): any => {
    if (Array.isArray(v)) return v.map(sort);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort(v[k])]));
  };
  return JSON.stringify(sort(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The object without metadata.managedFields, which kubectl's json/yaml printers hide by default. */
export function withoutManagedFields(obj: any): any {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Whether an error is an API NotFound. */
export function isNotFound(err: unknown): boolean {
  return (err as { code?: number; reason?: string }).code === 404;
}
