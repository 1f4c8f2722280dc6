/**
 * The `kd create <generator>` subcommands (kubectl pkg/cmd/create/create_*.go): flags with kubectl's
 * names and defaults, its required-flag and NAME checks, then the object is printed (`--dry-run=client`)
 * or POSTed with `fieldManager=kubectl-create&fieldValidation=Strict` and the answer printed. Server
 * errors carry the generator's `failed to create <what>: ` prefix where kubectl adds one.
 */
import type { Command } from 'commander';
import { typedObjectMeta, type Meta } from './create-objects.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

/** Flags every generator has, as commander hands them to the action. */
interface GenFlags {
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  dryRun?: string | boolean;
  output?: string;
  fieldManager?: string;
  validate?: string | boolean;
  showManagedFields?: boolean;
  [flag: string]: unknown;
}

/** What a generator needs to know to build its object. */
export interface GenContext {
  name: string;
  meta: Meta;
  /** Arguments after `--`. */
  command: string[];
  flags: GenFlags;
  /** Resolves a type through discovery (role rules); opens a connection on first use. */
  resolve(arg: string): Promise<import('../kube/discovery.js').ApiResource[]>;
  /** GETs a path on the server (job --from). */
  getJson(path: string): Promise<any>;
}

/** One generator: its command, the resource it POSTs to and how it builds the object. */
export interface Generator {
  name: string;
  aliases?: string[];
  description: string;
  /** `group/version` and plural of the created resource. */
  apiVersion: string;
  plural: string;
  namespaced: boolean;
  /** The prefix kubectl puts before a server error, when it adds one. */
  errorPrefix?: string;
  required?: string[];
  options(cmd: Command): void;
  build(ctx: GenContext): Promise<any> | any;
  /** The server's answer as kubectl's typed decoding prints it (defaults of non-pointer structs, field order). */
  typedAnswer?(obj: any): any;
}

/** Everything after `--` in the raw argv of the root program (commander mixes them into the operands). */
function argsAfterDash(cmd: Command): string[] {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  const raw: string[] = ((root as unknown as { rawArgs?: string[] }).rawArgs ?? []).slice(2);
  const at = raw.indexOf('--');
  return at < 0 ? [] : raw.slice(at + 1);
}

/** `kubectl create deployment`: the command path kubectl prints in usage errors. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return ['kubectl', ...names].join(' ');
}

/** Adds one generator subcommand under `parent`. */
export function addGenerator(parent: Command, gen: Generator): Command {
  const cmd = parent.command(gen.name).description(gen.description).argument('[args...]');
  for (const alias of gen.aliases ?? []) cmd.alias(alias);
  gen.options(cmd);
  cmd
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, jsonpath).')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-create')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--save-config', 'Accepted for compatibility.')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.');
  withKubeFlags(cmd).action(async (args: string[], flags: GenFlags) => {
    await runGenerator(cmd, gen, args, flags);
  });
  return cmd;
}

async function runGenerator(cmd: Command, gen: Generator, args: string[], flags: GenFlags): Promise<void> {
  const missing = (gen.required ?? []).filter((f) => isUnset(flags[camel(f)]));
  if (missing.length) throw new Error(`required flag(s) ${missing.map((f) => `"${f}"`).join(', ')} not set`);
  const command = argsAfterDash(cmd);
  const names = args.slice(0, args.length - command.length);
  if (names.length !== 1) throw new UsageError(`exactly one NAME is required, got ${names.length}`, commandPath(cmd));
  const { parseDryRun, parseValidate, writePrinter, writeQuery } = await import('../apply/write.js');
  const dryRun = parseDryRun(flags.dryRun);
  const validation = parseValidate(flags.validate);
  const print = await writePrinter(flags.output, dryRun, { showManagedFields: flags.showManagedFields, typed: true });
  const conn = lazyConnection(flags);
  try {
    const name = names[0]!;
    const meta: Meta = { name, ...(gen.namespaced && flags.namespace ? { namespace: flags.namespace } : {}) };
    const ctx: GenContext = { name, meta, command, flags, resolve: async (a) => (await conn.get()).resolve(a), getJson: async (p) => (await conn.get()).client.getJson(p) };
    const obj = await gen.build(ctx);
    if (dryRun === 'client') {
      process.stdout.write(print(obj, 'created'));
      return;
    }
    const { client, namespace } = await conn.get();
    const base = gen.apiVersion.includes('/') ? `/apis/${gen.apiVersion}` : `/api/${gen.apiVersion}`;
    const path = `${base}${gen.namespaced ? `/namespaces/${encodeURIComponent(flags.namespace ?? namespace)}` : ''}/${gen.plural}`;
    const query = writeQuery({ fieldManager: flags.fieldManager, validation, dryRun });
    let created: any;
    try {
      created = await client.request('POST', path + query, { body: obj });
    } catch (err) {
      throw gen.errorPrefix && (err as { code?: number }).code ? new Error(`${gen.errorPrefix}${(err as Error).message}`) : err;
    }
    // kubectl decodes the answer into the typed object, so JSON shows its struct order.
    const typed = { ...created, ...(created?.metadata ? { metadata: typedObjectMeta(created.metadata) } : {}) };
    process.stdout.write(print(gen.typedAnswer ? gen.typedAnswer(typed) : typed, 'created'));
  } finally {
    await conn.close();
  }
}

/** The connection, opened only when a generator needs the server (not for `--dry-run=client`). */
function lazyConnection(flags: GenFlags) {
  let pending: Promise<import('../kube/connect.js').Connection> | undefined;
  return {
    get() {
      pending ??= import('../kube/connect.js').then(({ connect }) => connect(flags));
      return pending;
    },
    async close() {
      if (pending) await (await pending.catch(() => undefined))?.client.close();
    },
  };
}

function isUnset(value: unknown): boolean {
  return value === undefined || (Array.isArray(value) && value.length === 0);
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

/** Commander collector for repeatable, comma-separated string-array flags (pflag StringSlice). */
export function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',')];
}

/** Commander collector for repeatable flags whose values may contain commas (pflag StringArray). */
export function collectArray(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** pflag's int32 parser: kubectl's error text for a value that is not a number. */
export function intFlag(flag: string, cmdPath: string) {
  return (value: string): number => {
    if (!/^[-+]?\d+$/.test(value)) {
      throw new UsageHelpError(`invalid argument "${value}" for "${flag}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`, cmdPath);
    }
    return Number(value);
  };
}

/** A flag-parsing error, printed by cobra with `See '<cmd> --help' for usage.`. */
export class UsageHelpError extends Error {
  constructor(message: string, cmdPath: string) {
    super(`error: ${message}\nSee '${cmdPath} --help' for usage.`);
  }
}
