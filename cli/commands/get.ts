/**
 * `kd get`: kubectl v1.35.2's get (kubectl pkg/cmd/get/get.go) for tables, `-o wide|name|json|yaml|jsonpath=…`,
 * selectors, `-A`, `--show-labels`, `-L`, several types and named objects. Human-readable output
 * prints the server's Tables; the other formats print plain objects, several of them wrapped in a
 * `kind: List` as kubectl builds it.
 */
import type { Command } from 'commander';
import type { KubeClient } from '../kube/client.js';
import type { Target } from '../kube/builder.js';
import type { ApiResource } from '../kube/discovery.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { goQuote } from '../print/go-fmt.js';
import { intFlag } from './create-generators.js';
import { effectiveOutput, withTemplateFlags } from '../print/print-flags.js';
import { PreformattedError, UsageError, withKubeFlags } from './kube-flags.js';

const long = 'Display one or many resources.';
/** The -o values kubectl accepts, in the order of its error message. */
const ALLOWED_FORMATS = 'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml';
/** kubectl's default chunk size for lists. */
const CHUNK_SIZE = 500;

interface GetFlags extends KubeFlags {
  output?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  labelColumns: string[];
  headers: boolean;
  ignoreNotFound?: boolean;
  showManagedFields?: boolean;
  sortBy?: string;
  watch?: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
  raw?: string;
  showKind?: boolean;
  chunkSize?: number;
}

/** Adds `get` to the root program. */
export function registerGet(program: Command): void {
  const cmd = program
    .command('get')
    .description(long)
    .argument('[args...]', 'TYPE[.VERSION][.GROUP] [NAME ...] | TYPE[.VERSION][.GROUP]/NAME ...')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide, kyaml).')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--show-labels', 'When printing, show all labels as the last column')
    .option('-L, --label-columns <labels>', 'Labels to show as columns (repeatable, comma-separated)', collect, [])
    .option('--no-headers', "When using the default output format, don't print headers")
    .option('--ignore-not-found', 'If set, NotFound errors are not reported')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    .option('--sort-by <jsonpath>', 'If non-empty, sort list types using this field specification (a JSONPath expression).')
    .option('-w, --watch', 'After listing/getting the requested object, watch for changes.')
    .option('--watch-only', 'Watch for changes to the requested object(s), without listing/getting first.')
    .option('--output-watch-events', 'Output watch event objects when --watch or --watch-only is used.')
    .option('--raw <uri>', 'Raw URI to request from the server.  Uses the transport specified by the kubeconfig file.')
    .option('--show-kind', 'If present, list the resource type for the requested object(s).')
    // kd reads a list in one request; the flag is taken for its checks, the output is the same.
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once. Pass 0 to disable.', intFlag('--chunk-size', 'kubectl get'), 500);
  withTemplateFlags(cmd);
  withKubeFlags(cmd).action(async (args: string[], flags: GetFlags) => {
    await runGet(args, flags);
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

async function runGet(args: string[], flags: GetFlags): Promise<void> {
  if (flags.raw) return runRaw(args, flags, flags.raw);
  if (args.length === 0) {
    process.stderr.write('You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n');
    throw new UsageError('Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).', 'kubectl get');
  }
  const output = effectiveOutput(flags.output);
  const { connect } = await import('../kube/connect.js');
  const { client, namespace, resolve } = await connect(flags);
  try {
    const { resolveTargets } = await import('../kube/builder.js');
    const { targets, singleItemImplied } = await resolveTargets(args, resolve, flags.allNamespaces);
    if (flags.watch || flags.watchOnly) {
      const { runWatch } = await import('../print/watch.js');
      return await runWatch(client, targets, flags, namespace, () => genericPrinter(output, flags));
    }
    // kubectl builds its printer after resolving the types, so their errors come first.
    if (output === '' || output === 'wide') return await printHuman(client, targets, flags, namespace);
    const print = await genericPrinter(output, flags);
    await printGeneric(client, targets, flags, namespace, singleItemImplied, print);
  } finally {
    await client.close();
  }
}

/** `get --raw <uri>`: the server's answer to a GET of the URI's path and query, copied to stdout as it is. */
async function runRaw(args: string[], flags: GetFlags, raw: string): Promise<void> {
  if (args.length > 0) throw new Error('arguments may not be passed when --raw is specified');
  if (flags.watch || flags.watchOnly || flags.selector) throw new Error('--raw may not be specified with other flags that filter the server request or alter the output');
  if (flags.output) throw new Error('--raw and --output are mutually exclusive');
  const path = requestUri(raw);
  const { connect } = await import('../kube/connect.js');
  const { client } = await connect(flags);
  try {
    const res = await client.stream(path, 'application/json, */*');
    for await (const chunk of res) process.stdout.write(chunk as Buffer);
  } finally {
    await client.close();
  }
}

/**
 * url.ParseRequestURI's test, then what restClient.RequestURI keeps: the path and query. An
 * absolute URL is accepted and its host ignored; anything else must start with a slash.
 */
function requestUri(raw: string): string {
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw);
  if (!absolute && !raw.startsWith('/')) throw new Error(`--raw must be a valid URL path: parse ${goQuote(raw)}: invalid URI for request`);
  if (!absolute) return raw;
  const url = new URL(raw);
  return `${url.pathname}${url.search}`;
}

function query(flags: GetFlags, extra: Record<string, string> = {}, table = false): string {
  const q = new URLSearchParams();
  if (flags.selector) q.set('labelSelector', flags.selector);
  if (flags.fieldSelector) q.set('fieldSelector', flags.fieldSelector);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  // Sorting a Table needs whole objects in its rows.
  if (table && flags.sortBy) q.set('includeObject', 'Object');
  const text = q.toString();
  return text ? `?${text}` : '';
}

/** Fetches one target: the object (or Table) by name, or every page of the list. */
async function fetchTarget(client: KubeClient, t: Target, flags: GetFlags, namespace: string, accept: string): Promise<any> {
  const { resourcePath } = await import('../kube/discovery.js');
  const ns = flags.allNamespaces ? undefined : namespace;
  const table = accept !== 'application/json';
  if (t.name !== undefined) return client.getJson(resourcePath(t.resource, ns, t.name) + query({ labelColumns: [], headers: true, sortBy: flags.sortBy }, {}, table), accept);
  const path = resourcePath(t.resource, ns);
  let result: any;
  let cont = '';
  do {
    const page = await client.getJson(path + query(flags, { limit: String(CHUNK_SIZE), ...(cont ? { continue: cont } : {}) }, table), accept);
    if (!result) result = page;
    else if (page.rows) result.rows.push(...page.rows);
    else result.items.push(...page.items);
    cont = page.metadata?.continue ?? '';
  } while (cont);
  return result;
}

/** Each target's result or error, fetched concurrently but kept in argument order. */
async function fetchAll(client: KubeClient, targets: Target[], flags: GetFlags, namespace: string, accept: string) {
  return Promise.all(
    targets.map((t) =>
      fetchTarget(client, t, flags, namespace, accept).then(
        (value) => ({ t, value, error: undefined as unknown }),
        (error: unknown) => ({ t, value: undefined, error }),
      ),
    ),
  );
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 404;
}

async function printHuman(client: KubeClient, targets: Target[], flags: GetFlags, namespace: string): Promise<void> {
  const [{ TABLE_ACCEPT }, { TablePrinter }, { TabWriter }] = await Promise.all([import('../kube/client.js'), import('../print/table.js'), import('../print/tabwriter.js')]);
  const results = await fetchAll(client, targets, flags, namespace, TABLE_ACCEPT);
  const errors = results.filter((r) => r.error !== undefined && !(flags.ignoreNotFound && isNotFound(r.error))).map((r) => r.error);
  const found = results.filter((r) => r.error === undefined);
  const withKind = flags.showKind || new Set(found.map((r) => `${r.t.resource.group}/${r.t.resource.kind}`)).size > 1;
  let written = 0;
  let separate = false;
  const w = new TabWriter((text) => {
    process.stdout.write((separate ? '\n' : '') + text);
    separate = false;
    written += text.length;
  });
  let printer: InstanceType<typeof TablePrinter> | undefined;
  let last: ApiResource | undefined;
  let allNamespaced = !flags.allNamespaces;
  const sorting = flags.sortBy ? await import('../print/sort.js') : undefined;
  for (const { t, value } of found) {
    allNamespaced &&= t.resource.namespaced;
    // SortingPrinter sorts a table of two rows or more; one whose rows all lack the field prints no rows.
    if (sorting && value.rows?.length > 1) value.rows = sortTableRows(sorting, value.rows, flags.sortBy!);
    if (t.resource !== last) {
      w.flush();
      if (last && flags.headers && written > 0) separate = true;
      const kindPrefix = withKind ? `${t.resource.kind.toLowerCase()}${t.resource.group ? `.${t.resource.group}` : ''}` : undefined;
      printer = new TablePrinter({
        wide: flags.output === 'wide',
        noHeaders: !flags.headers,
        withNamespace: !!flags.allNamespaces && t.resource.namespaced,
        kindPrefix,
        showLabels: !!flags.showLabels,
        labelColumns: flags.labelColumns,
      });
      last = t.resource;
    }
    printer!.print(value, w);
  }
  w.flush();
  if (written === 0 && !flags.ignoreNotFound && errors.length === 0) {
    process.stderr.write(allNamespaced ? `No resources found in ${namespace} namespace.\n` : 'No resources found\n');
  }
  throwErrors(errors);
}

/**
 * TableSorter: kubectl swallows the errors of building it (a bad path, a field no row has) and
 * prints no rows; an unsortable value (a map, a list) ends kubectl with an error.
 */
function sortTableRows(sorting: typeof import('../print/sort.js'), rows: any[], field: string): any[] {
  let sorted: any[] | undefined;
  try {
    sorted = sorting.sortBy(rows, field, (row: any) => row.object, true);
  } catch (e) {
    if (e instanceof sorting.UnsortableError) throw e;
  }
  return sorted ?? [];
}

function throwErrors(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new PreformattedError(errors);
}

async function printGeneric(
  client: KubeClient,
  targets: Target[],
  flags: GetFlags,
  namespace: string,
  singleItemImplied: boolean,
  print: (obj: any, items: any[]) => string,
): Promise<void> {
  const results = await fetchAll(client, targets, flags, namespace, 'application/json');
  if (singleItemImplied && results[0]!.error !== undefined) {
    if (flags.ignoreNotFound && isNotFound(results[0]!.error)) return;
    throw results[0]!.error;
  }
  const errors = results.filter((r) => r.error !== undefined && !(flags.ignoreNotFound && isNotFound(r.error))).map((r) => r.error);
  let items = results.filter((r) => r.error === undefined).flatMap((r) => (r.t.name === undefined ? listItems(r.value) : [r.value]));
  if (flags.sortBy) items = (await import('../print/sort.js')).sortBy(items, flags.sortBy, (item) => item) ?? [];
  if (items.length === 0 && flags.ignoreNotFound) return throwErrors(errors);
  const obj = singleItemImplied ? items[0] : { apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } };
  process.stdout.write(print(obj, items));
  throwErrors(errors);
}

/** The printer for a non-table format; kubectl's error for a format it does not know. */
async function genericPrinter(output: string, flags: GetFlags): Promise<(obj: any, items: any[]) => string> {
  const { printJson, printName, printYaml } = await import('../print/generic.js');
  // kubectl hides managedFields from json and yaml unless asked; jsonpath sees them.
  const strip = (obj: any) => (flags.showManagedFields ? obj : withoutManagedFields(obj));
  if (output === 'name') return (_obj, items) => items.map(printName).join('');
  if (output === 'json') return (obj) => printJson(strip(obj));
  if (output === 'yaml') return (obj) => printYaml(strip(obj));
  if (output.startsWith('custom-columns=') || output.startsWith('custom-columns-file=')) {
    const cc = await import('../print/custom-columns.js');
    const columns = output.startsWith('custom-columns=') ? await cc.parseCustomColumns(output.slice('custom-columns='.length)) : await cc.parseCustomColumnsFile(output.slice('custom-columns-file='.length));
    return (_obj, items) => cc.printCustomColumns(columns, items, !flags.headers);
  }
  const shared = await (await import('../print/printers.js')).sharedPrinter(output, { strip });
  if (shared) return (obj) => shared(obj);
  throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED_FORMATS}`);
}

function withoutManagedFields(obj: any): any {
  if (obj?.kind === 'List' && Array.isArray(obj.items)) return { ...obj, items: obj.items.map(withoutManagedFields) };
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** A list's items with the kind and apiVersion the server leaves out of each item. */
function listItems(list: any): any[] {
  const kind = String(list.kind ?? '').replace(/List$/, '');
  return (list.items ?? []).map((item: any) => ({ apiVersion: list.apiVersion, kind, ...item }));
}
