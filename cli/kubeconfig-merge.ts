/**
 * Puts the `kubedojo` cluster, user and context into the user's kubeconfig and makes it current,
 * leaving every other entry as it was (comments and layout included). Which file gets written
 * follows client-go's rules for `kubectl config`: with $KUBECONFIG listing several files, entries go
 * to the file that already has them, else to the first file that exists, else to the last one; the
 * current context goes to the first file that sets one.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMap, isSeq, parse, parseDocument, type Document } from 'yaml';
import { kubeconfigFiles } from './kube/kubeconfig-files.js';

export { kubeconfigFiles } from './kube/kubeconfig-files.js';

const SECTIONS = [
  ['clusters', 'cluster'],
  ['users', 'user'],
  ['contexts', 'context'],
] as const;

/**
 * Merges the named entries of `source` (a kubeconfig's text) into the user's kubeconfig files and
 * sets the current context; returns the file the context went to.
 */
export function mergeKubeconfig(source: string, name: string, env: NodeJS.ProcessEnv = process.env): string {
  const from = parse(source) as Record<string, Array<Record<string, unknown>>>;
  const files = kubeconfigFiles(env);
  const docs = new Map(files.map((f) => [f, load(f)]));
  const holder = files.find((f) => hasNamed(docs.get(f)!, 'contexts', name));
  const target = holder ?? files.find((f) => existsSync(f)) ?? files.at(-1)!;
  const doc = docs.get(target)!;
  for (const [section, field] of SECTIONS) {
    const entry = from[section]?.find((e) => e['name'] === name);
    if (!entry) throw new Error(`the daemon's kubeconfig has no ${field} named ${name}`);
    upsertNamed(doc, section, name, entry);
  }
  const currentIn = files.find((f) => docs.get(f)!.get('current-context')) ?? target;
  docs.get(currentIn)!.set('current-context', name);
  for (const f of new Set([target, currentIn])) save(f, docs.get(f)!);
  return target;
}

function load(path: string): Document {
  let doc = parseDocument(existsSync(path) ? readFileSync(path, 'utf8') : '');
  if (doc.errors.length > 0) throw new Error(`cannot read kubeconfig ${path}: ${doc.errors[0]!.message}`);
  // An empty or missing file starts a new config; anything else that is not a mapping is not ours to replace.
  if (doc.contents === null) doc = parseDocument('{}');
  if (!isMap(doc.contents)) throw new Error(`cannot read kubeconfig ${path}: it is not a YAML mapping`);
  if (!doc.get('apiVersion')) doc.set('apiVersion', 'v1');
  if (!doc.get('kind')) doc.set('kind', 'Config');
  return doc;
}

function hasNamed(doc: Document, section: string, name: string): boolean {
  const seq = doc.get(section);
  return isSeq(seq) && seq.items.some((i) => isMap(i) && i.get('name') === name);
}

function upsertNamed(doc: Document, section: string, name: string, entry: Record<string, unknown>): void {
  let seq = doc.get(section);
  if (!isSeq(seq)) {
    seq = doc.createNode([]);
    doc.set(section, seq);
  }
  const items = (seq as { items: unknown[] }).items;
  const node = doc.createNode(entry);
  const at = items.findIndex((i) => isMap(i) && i.get('name') === name);
  if (at >= 0) items[at] = node;
  else items.push(node);
}

function save(path: string, doc: Document): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  // It holds credentials: owner-only, and replaced atomically so kubectl never reads half a file.
  writeFileSync(tmp, doc.toString({ lineWidth: 0, indentSeq: false }), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/**
 * `kubectl config use-context`: sets the current context in the first file that sets one (else the
 * first file that exists), as client-go's ModifyConfig does.
 */
export function setCurrentContext(files: string[], name: string): void {
  const docs = new Map(files.map((f) => [f, load(f)]));
  const target = files.find((f) => docs.get(f)!.get('current-context')) ?? files.find((f) => existsSync(f)) ?? files.at(-1)!;
  docs.get(target)!.set('current-context', name);
  save(target, docs.get(target)!);
}

/**
 * `kubectl config set-context`: sets fields of a context (creating it when missing) in the file
 * that holds it, else the first file that exists; reports whether it was created.
 */
export function setContextFields(files: string[], name: string, fields: Record<string, string>): { created: boolean } {
  const docs = new Map(files.map((f) => [f, load(f)]));
  const holder = files.find((f) => hasNamed(docs.get(f)!, 'contexts', name));
  const target = holder ?? files.find((f) => existsSync(f)) ?? files.at(-1)!;
  const doc = docs.get(target)!;
  if (!holder) upsertNamed(doc, 'contexts', name, { context: {}, name });
  const seq = doc.get('contexts') as { items: unknown[] };
  const entry = seq.items.find((i) => isMap(i) && i.get('name') === name) as Document['contents'] & { get(k: string): unknown; set(k: string, v: unknown): void };
  let context = entry.get('context') as { set(k: string, v: unknown): void } | undefined;
  if (!isMap(context)) {
    entry.set('context', doc.createNode({}));
    context = entry.get('context') as { set(k: string, v: unknown): void };
  }
  for (const [k, v] of Object.entries(fields)) context.set(k, v);
  save(target, doc);
  return { created: !holder };
}
