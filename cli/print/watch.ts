/**
 * `kubectl get -w|--watch-only [--output-watch-events]` (kubectl pkg/cmd/get/get.go watch): print
 * the list (or the object), then every watch event through the same printer; a list's watch
 * starts at the list's resourceVersion, a single object's at 0 with its synthetic first ADDED
 * swallowed. Table column widths persist across events (tabwriter.RememberWidths) and only grow.
 * Ends silently when the server closes the watch.
 */
import type { KubeClient } from '../kube/client.js';
import type { Target } from '../kube/builder.js';
import { TABLE_ACCEPT } from '../kube/client.js';
import { sortKeys } from './generic.js';
import { TablePrinter } from './table.js';
import { GoTabWriter } from './tabwriter.js';

/** The get flags the watch reads. */
export interface WatchFlags {
  output?: string;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  showLabels?: boolean;
  labelColumns: string[];
  headers: boolean;
  watchOnly?: boolean;
  outputWatchEvents?: boolean;
}

const EVENT_WIDTH = 8;

/** Reads newline-delimited watch events. */
export async function* readWatchEvents(res: AsyncIterable<unknown>): AsyncGenerator<{ type: string; object: any }> {
  let buf = '';
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line);
    }
  }
}

/** Adds kubectl's EVENT column in front of a Table's columns. */
function withEventColumn(table: any, type: string): any {
  return {
    ...table,
    columnDefinitions: [{ name: 'Event', type: 'string', format: '' }, ...(table.columnDefinitions ?? [])],
    // The event type is printed padded to the longest one, MODIFIED.
    rows: (table.rows ?? []).map((r: any) => ({ ...r, cells: [type.padEnd(EVENT_WIDTH), ...(r.cells ?? [])] })),
  };
}

function listQuery(flags: WatchFlags, extra: Record<string, string>): string {
  const q = new URLSearchParams();
  if (flags.selector) q.set('labelSelector', flags.selector);
  if (flags.fieldSelector) q.set('fieldSelector', flags.fieldSelector);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return `?${q}`;
}

/**
 * Runs the watch for the one target; `printerFor` gives the generic printer for non-table formats.
 */
export async function runWatch(
  client: KubeClient,
  targets: Target[],
  flags: WatchFlags,
  namespace: string,
  printerFor: () => Promise<(obj: any, items: any[]) => string>,
): Promise<void> {
  if (targets.length !== 1) throw new Error(`watch is only supported on individual resources and resource collections, but ${targets.length} resources were found`);
  const { resourcePath } = await import('../kube/discovery.js');
  const t = targets[0]!;
  const human = !flags.output || flags.output === 'wide';
  const accept = human ? TABLE_ACCEPT : 'application/json';
  const ns = flags.allNamespaces ? undefined : namespace;
  const collection = resourcePath(t.resource, ns);
  const isList = t.name === undefined;
  const initial = await client.getJson(isList ? collection + listQuery(flags, {}).replace(/\?$/, '') : resourcePath(t.resource, ns, t.name), accept);
  const w = new GoTabWriter((text) => process.stdout.write(text));
  const table = new TablePrinter({ wide: flags.output === 'wide', noHeaders: !flags.headers, withNamespace: !!flags.allNamespaces && t.resource.namespaced, showLabels: !!flags.showLabels, labelColumns: flags.labelColumns });
  const generic = human ? undefined : await printerFor();
  let lastColumns: unknown[] | undefined;
  const print = (obj: any, type: string) => {
    if (human) {
      if (obj.columnDefinitions?.length) lastColumns = obj.columnDefinitions;
      else obj = { ...obj, columnDefinitions: lastColumns };
      table.print(flags.outputWatchEvents ? withEventColumn(obj, type) : obj, w);
      w.flush();
      return;
    }
    if (flags.outputWatchEvents && flags.output === 'json') {
      // A WatchEvent goes through the JSON printer as a typed object: one compact line.
      process.stdout.write(`${JSON.stringify({ type, object: sortKeys(obj) }).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`);
      return;
    }
    const item = flags.outputWatchEvents ? { type, object: obj } : obj;
    process.stdout.write(generic!(item, [item]));
  };
  if (!flags.watchOnly) {
    if (human) print(initial, 'ADDED');
    else for (const item of isList ? listItems(initial) : [initial]) print(item, 'ADDED');
  } else if (human && initial.columnDefinitions?.length) lastColumns = initial.columnDefinitions;
  const rv = isList ? String(initial.metadata?.resourceVersion ?? '') : '0';
  const extra: Record<string, string> = isList ? { resourceVersion: rv, watch: 'true' } : { fieldSelector: `metadata.name=${t.name}`, resourceVersion: '0', watch: 'true' };
  const q = isList ? listQuery(flags, extra) : `?${new URLSearchParams(extra)}`;
  const res = await client.stream(collection + q, accept);
  let skipFirst = !isList;
  for await (const e of readWatchEvents(res)) {
    if (e.type === 'BOOKMARK') continue;
    if (skipFirst) {
      skipFirst = false;
      if (human && e.object?.columnDefinitions?.length) lastColumns = e.object.columnDefinitions;
      continue;
    }
    print(e.object, e.type);
  }
}

/** A list's items with the kind and apiVersion the server leaves out of each item. */
function listItems(list: any): any[] {
  const kind = String(list.kind ?? '').replace(/List$/, '');
  return (list.items ?? []).map((item: any) => ({ apiVersion: list.apiVersion, kind, ...item }));
}
