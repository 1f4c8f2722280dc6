/**
 * What kubectl's mutating verbs share (kubectl pkg/cmd/util/helpers.go, cli-runtime PrintFlags and
 * the resource builder with ContinueOnError + Latest): the `--dry-run` strategy, the printer that
 * writes `kind.group/name <operation>[ (dry run)]` or the object, the write query, and fetching the
 * objects a command acts on from `TYPE NAME`, `TYPE/NAME`, `-l`, `--all` or `-f`.
 */
import type { Connection } from '../kube/connect.js';
import type { ApiResource } from '../kube/discovery.js';

/** kubectl's DryRunStrategy. */
export type DryRun = 'none' | 'client' | 'server';

/** One object a command acts on (cli-runtime resource.Info). */
export interface Info {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
  /** The object as last read from the server (or from the file with --local). */
  obj: any;
  /** The -f source the object came from, for kubectl's `from "<file>"` texts. */
  source?: string;
}

/** The -o formats of kubectl's PrintFlags for non-get verbs, in the order of its error message. */
export const PRINT_FORMATS = 'go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml';

/** kubectl's GetDryRunStrategy: the strategy, with its deprecation warnings for the bare and boolean forms. */
export function dryRunStrategy(value: string | boolean | undefined): DryRun {
  if (value === true || value === 'unchanged') {
    klogWarning('helpers.go:719', '--dry-run is deprecated and can be replaced with --dry-run=client.');
    return 'client';
  }
  const text = String(value ?? 'none');
  const bool = parseGoBool(text);
  if (bool !== undefined) {
    const to = bool ? 'client' : 'none';
    klogWarning('helpers.go:733', `--dry-run=${text} is deprecated (boolean value) and can be replaced with --dry-run=${to}.`);
    return to;
  }
  if (text === 'client' || text === 'server' || text === 'none') return text;
  throw new Error(`Invalid dry-run value (${text}). Must be "none", "server", or "client".`);
}

/** Go's strconv.ParseBool. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** A klog warning line as kubectl writes it to stderr (`W1125 23:58:01.972883   26748 file.go:N] msg`). */
export function klogWarning(where: string, message: string): void {
  const d = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const micros = String(d.getMilliseconds() * 1000).padStart(6, '0');
  const stamp = `${two(d.getMonth() + 1)}${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${micros}`;
  process.stderr.write(`W${stamp} ${String(process.pid).padStart(7)} ${where}] ${message}\n`);
}

/** The query of a write: fieldManager, dryRun=All for server dry runs, fieldValidation when given. */
export function writeQuery(opts: { fieldManager?: string; dryRun?: DryRun; fieldValidation?: string }): string {
  const q = new URLSearchParams();
  if (opts.dryRun === 'server') q.set('dryRun', 'All');
  if (opts.fieldManager) q.set('fieldManager', opts.fieldManager);
  if (opts.fieldValidation) q.set('fieldValidation', opts.fieldValidation);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** `kind[.group]` of an object, as the name printer writes it. */
export function kindGroup(obj: any): string {
  const apiVersion: string = obj?.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return `${String(obj?.kind ?? '').toLowerCase()}${group ? `.${group}` : ''}`;
}

/**
 * kubectl's PrintFlags printer for a verb: no -o prints `kind.group/name <operation>` plus the
 * dry-run suffix, `-o name` just `kind.group/name`, json/yaml the object without managedFields.
 * Throws kubectl's error for a format it does not know, before anything is changed.
 */
export async function objectPrinter(output: string | undefined, operation: string, dryRun: DryRun): Promise<(obj: any) => string> {
  const out = (await import('../print/print-flags.js')).effectiveOutput(output);
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  if (out === '') return (obj) => `${kindGroup(obj)}/${obj.metadata?.name ?? ''}${operation ? ` ${operation}` : ''}${suffix}\n`;
  if (out === 'name') return (obj) => `${kindGroup(obj)}/${obj.metadata?.name ?? ''}\n`;
  const { printJson, printYaml } = await import('../print/generic.js');
  if (out === 'json') return (obj) => printJson(withoutManagedFields(obj));
  if (out === 'yaml') return (obj) => printYaml(withoutManagedFields(obj));
  const shared = await (await import('../print/printers.js')).sharedPrinter(out, { strip: withoutManagedFields });
  if (shared) return shared;
  throw new Error(`unable to match a printer suitable for the output format "${out}", allowed formats are: ${PRINT_FORMATS}`);
}

function withoutManagedFields(obj: any): any {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** How a verb selects its objects. */
export interface Selection {
  args: string[];
  filenames?: string[];
  recursive?: boolean;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  /** Read this subresource of each named object instead of the object (patch --subresource). */
  subresource?: string;
}

/** The objects found and the errors met on the way (kubectl's builder goes on after each error). */
export interface Fetched {
  infos: Info[];
  errors: unknown[];
  singleItemImplied: boolean;
}

/** kubectl's builder argument checks for `ResourceTypeOrNameArgs` with selectors. */
function checkSelection(sel: Selection): void {
  const slashed = sel.args.some((a) => a.includes('/'));
  // --all only becomes a selector for a lone TYPE argument, so only -l and --field-selector clash with names.
  if (slashed && (sel.selector || sel.fieldSelector)) throw new Error('selectors and the all flag cannot be used when passing resource/name arguments');
  if (!slashed && sel.args.length > 1 && sel.selector) throw new Error('name cannot be provided when a selector is specified');
  if (!slashed && sel.args.length === 1 && !sel.selector && !sel.all && !sel.fieldSelector) throw new Error('resource(s) were provided, but no name was specified');
  if (sel.args.length === 0 && !sel.filenames?.length) {
    throw new Error("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
  }
}

/**
 * Fetches the latest state of every object the selection names, in argument order; NotFound and
 * other failures are collected rather than thrown, as the builder's ContinueOnError does.
 */
export async function fetchInfos(conn: Connection, sel: Selection): Promise<Fetched> {
  if (sel.args.length > 0 || !sel.filenames?.length) checkSelection(sel);
  const { resourcePath } = await import('../kube/discovery.js');
  const infos: Info[] = [];
  const errors: unknown[] = [];
  const sub = sel.subresource ? `/${sel.subresource}` : '';
  const one = async (resource: ApiResource, namespace: string | undefined, name: string, source?: string) => {
    try {
      const obj = await conn.client.getJson(resourcePath(resource, namespace, name) + sub);
      infos.push({ resource, namespace: resource.namespaced ? namespace : undefined, name, obj, source });
    } catch (err) {
      errors.push(err);
    }
  };
  if (sel.filenames?.length) {
    const { readManifests } = await import('../kube/builder.js');
    for (const m of await readManifests(sel.filenames, { recursive: sel.recursive })) {
      const resource = await conn.resourceFor(m.obj.apiVersion ?? '', m.obj.kind ?? '');
      await one(resource, m.obj.metadata?.namespace ?? conn.namespace, m.obj.metadata?.name ?? '', m.source);
    }
    return { infos, errors, singleItemImplied: false };
  }
  const { resolveTargets } = await import('../kube/builder.js');
  const { targets, singleItemImplied } = await resolveTargets(sel.args, conn.resolve, sel.allNamespaces);
  const namespace = sel.allNamespaces ? undefined : conn.namespace;
  for (const t of targets) {
    if (t.name !== undefined) {
      await one(t.resource, namespace, t.name);
      continue;
    }
    try {
      const list = await conn.client.getJson(resourcePath(t.resource, namespace) + listQuery(sel));
      for (const item of list.items ?? []) {
        const obj = { apiVersion: list.apiVersion, kind: String(list.kind ?? '').replace(/List$/, ''), ...item };
        infos.push({ resource: t.resource, namespace: item.metadata?.namespace, name: item.metadata?.name, obj });
      }
    } catch (err) {
      errors.push(err);
    }
  }
  return { infos, errors, singleItemImplied };
}

function listQuery(sel: Selection): string {
  const q = new URLSearchParams();
  if (sel.selector) q.set('labelSelector', sel.selector);
  if (sel.fieldSelector) q.set('fieldSelector', sel.fieldSelector);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** The path of an Info's object, optionally a subresource, with a query. */
export async function infoPath(info: Info, sub = '', query = ''): Promise<string> {
  const { resourcePath } = await import('../kube/discovery.js');
  return `${resourcePath(info.resource, info.namespace, info.name)}${sub ? `/${sub}` : ''}${query}`;
}

/** Throws what kubectl's visitor collected: one error as it is, several one per line. */
export async function throwCollected(errors: unknown[]): Promise<void> {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    const { PreformattedError } = await import('../commands/kube-flags.js');
    throw new PreformattedError(errors);
  }
}

/**
 * JSON merge patch from `from` to `to` (evanphx/json-patch CreateMergePatch): changed keys carry
 * their new value, removed keys null, arrays replaced whole.
 */
export function createMergePatch(from: any, to: any): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(to)) {
    const a = from?.[key];
    const b = to[key];
    if (isPlainObject(a) && isPlainObject(b)) {
      const sub = createMergePatch(a, b);
      if (Object.keys(sub).length > 0) patch[key] = sub;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      patch[key] = b;
    }
  }
  for (const key of Object.keys(from ?? {})) if (!(key in to)) patch[key] = null;
  return patch;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's time.ParseDuration, in milliseconds (`30s`, `1m30s`, `0`). */
export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]!]!;
    at = re.lastIndex;
  }
  return text.length > 0 ? total : undefined;
}

/** pflag's error for a flag value that does not parse, with kubectl's usage hint. */
export async function invalidFlagValue(value: string, flag: string, reason: string, commandPath: string): Promise<Error> {
  const { PreformattedError } = await import('../commands/kube-flags.js');
  return new PreformattedError([`error: invalid argument ${JSON.stringify(value)} for "--${flag}" flag: ${reason}`, `See '${commandPath} --help' for usage.`]);
}

/** pflag's int parsing, with strconv.ParseInt's error text. */
export async function parseIntFlag(value: string, flag: string, commandPath: string): Promise<number> {
  if (/^[-+]?\d+$/.test(value)) return Number(value);
  throw await invalidFlagValue(value, flag, `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`, commandPath);
}
