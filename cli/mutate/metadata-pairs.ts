/**
 * `kd label` and `kd annotate`: ports of kubectl pkg/cmd/label/label.go and
 * pkg/cmd/annotate/annotate.go. Both read each object, change its labels or annotations locally and
 * send the JSON merge patch between the two (fieldManager kubectl-label / kubectl-annotate). They
 * differ in details kubectl has: label prints the local object as `labeled`/`not labeled`/
 * `unlabeled`, annotate the server's answer as `annotated`; both refuse to change an existing value
 * without --overwrite.
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { sortKeys } from '../print/generic.js';
import { labelValueErrors } from './names.js';
import { createMergePatch, dryRunStrategy, fetchInfos, infoPath, objectPrinter, throwCollected, writeQuery, type DryRun, type Info } from './common.js';

/** Which of the two verbs runs. */
export type PairVerb = 'label' | 'annotate';

/** Flags of label and annotate. */
export interface PairFlags extends KubeFlags {
  overwrite?: boolean;
  list?: boolean;
  all?: boolean;
  allNamespaces?: boolean;
  selector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
  /** Change the objects of -f locally and print them; no server is contacted. */
  local?: boolean;
}

/** kubectl's GetResourcesAndPairs: resource arguments first, then KEY=VAL / KEY- pairs. */
export function resourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const isPair = (s.includes('=') && !s.startsWith('=')) || (s.endsWith('-') && s !== '-');
    if (isPair) pairs.push(s);
    else if (pairs.length > 0) throw new Error(`all resources must be specified before ${pairType} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}

/** label.go parseLabels. */
function parseLabels(specs: string[]): { add: Map<string, string>; remove: string[] } {
  const add = new Map<string, string>();
  const remove: string[] = [];
  for (const spec of specs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) throw new Error(`invalid label spec: ${spec}`);
      const errs = labelValueErrors(parts[1]!);
      if (errs.length > 0) throw new Error(`invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`);
      add.set(parts[0]!, parts[1]!);
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new Error(`unknown label spec: ${spec}`);
    }
  }
  if (remove.some((k) => add.has(k))) throw new Error('can not both modify and remove a label in the same command');
  return { add, remove };
}

/** kubectl's ParsePairs with removal, as annotate uses it. */
function parseAnnotations(specs: string[]): { add: Map<string, string>; remove: string[] } {
  const add = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq > 0) add.set(spec.slice(0, eq), spec.slice(eq + 1));
    else if (spec.endsWith('-') && spec !== '-') remove.push(spec.slice(0, -1));
    else invalid.push(spec);
  }
  if (invalid.length > 0) throw new Error(`invalid annotation format: ${invalid.join(', ')}`);
  return { add, remove };
}

/** What one run changes. */
interface PairChange {
  verb: PairVerb;
  field: 'labels' | 'annotations';
  add: Map<string, string>;
  remove: string[];
  overwrite: boolean;
  resourceVersion?: string;
}

/** labelFunc / updateAnnotations: applies the change to the object in place or throws the overwrite error. */
function applyChange(obj: any, c: PairChange): void {
  obj.metadata ??= {};
  const current: Record<string, string> = obj.metadata[c.field] ?? {};
  if (!c.overwrite) {
    const taken = [...c.add].filter(([k, v]) => k in current && current[k] !== v && (c.verb === 'label' || k !== 'kubernetes.io/change-cause'));
    if (taken.length > 0 && c.verb === 'label') throw new Error(taken.map(([k]) => `'${k}' already has a value (${current[k]}), and --overwrite is false`).join(', '));
    if (taken.length > 0) throw new Error(`--overwrite is false but found the following declared annotation(s): ${taken.map(([k]) => `'${k}' already has a value (${current[k]})`).join('; ')}`);
  }
  const next = { ...current };
  for (const [k, v] of c.add) next[k] = v;
  for (const k of c.remove) delete next[k];
  obj.metadata[c.field] = next;
  if (c.resourceVersion) obj.metadata.resourceVersion = c.resourceVersion;
}

/** Go's json.Marshal of an unstructured object: sorted keys, compact. */
function marshal(obj: unknown): string {
  return JSON.stringify(sortKeys(obj));
}

/** Parses the arguments and checks them as Complete and Validate do, in kubectl's order. */
function prepare(verb: PairVerb, args: string[], flags: PairFlags) {
  const dryRun = dryRunStrategy(flags.dryRun);
  const pairType = verb === 'label' ? 'label' : 'annotation';
  const { resources, pairs } = resourcesAndPairs(args, pairType);
  const { add, remove } = verb === 'label' ? parseLabels(pairs) : parseAnnotations(pairs);
  if (verb === 'label' && flags.list && flags.output) throw new Error('--list and --output may not be specified together');
  if (flags.all && flags.selector) throw new Error('cannot set --all and --selector at the same time');
  if (flags.all && flags.fieldSelector) throw new Error('cannot set --all and --field-selector at the same time');
  if (flags.local) checkLocal(verb, dryRun, resources, flags);
  if (resources.length < 1 && flags.filename.length === 0) throw new Error('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  if (add.size < 1 && remove.length < 1 && !flags.list) throw new Error(`at least one ${pairType} update is required`);
  if (verb === 'annotate') {
    const both = remove.filter((k) => add.has(k));
    if (both.length > 0) throw new Error(`can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
  }
  const change: PairChange = { verb, field: verb === 'label' ? 'labels' : 'annotations', add, remove, overwrite: !!flags.overwrite, resourceVersion: flags.resourceVersion };
  return { dryRun, resources, change };
}

/** kubectl's --local checks (label.go/annotate.go Validate); their examples differ by verb. */
function checkLocal(verb: PairVerb, dryRun: DryRun, resources: string[], flags: PairFlags): void {
  if (dryRun === 'server') throw new Error('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const [yaml, json] = verb === 'label' ? ['pod.yaml', 'pod.json'] : ['rsrc.yaml', 'rsrc.json'];
  if (resources.length > 0) throw new Error(`can only use local files by -f ${yaml} or --filename=${json} when --local=true is set`);
  if (flags.filename.length === 0) throw new Error(`one or more files must be specified as -f ${yaml} or --filename=${json}`);
}

/**
 * Runs `label` or `annotate` with the positional arguments and flags.
 *
 * @example
 * await runPairs('label', ['pod', 'web', 'tier=front'], flags);
 */
export async function runPairs(verb: PairVerb, args: string[], flags: PairFlags): Promise<void> {
  const { dryRun, resources, change } = prepare(verb, args, flags);
  // annotate builds its printer before it reads anything; label only when it prints.
  const operation = verb === 'label' ? '' : 'annotated';
  const earlyPrinter = verb === 'annotate' ? await objectPrinter(flags.output, operation, dryRun) : undefined;
  if (flags.local) return runPairsLocal(verb, flags, { change, dryRun, earlyPrinter });
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args: resources, filenames: flags.filename, recursive: flags.recursive, selector: flags.selector, fieldSelector: flags.fieldSelector, all: flags.all, allNamespaces: flags.allNamespaces });
    if (!fetched.singleItemImplied && flags.resourceVersion) throw new Error('--resource-version may only be used with a single resource');
    const errors = [...fetched.errors];
    for (const info of fetched.infos) {
      try {
        await visit(info, { verb, change, dryRun, flags, single: fetched.singleItemImplied, earlyPrinter, client: conn.client });
      } catch (err) {
        errors.push(err);
      }
    }
    await throwCollected(errors);
  } finally {
    await conn.client.close();
  }
}

/** `--local`: every object of the files is changed in memory and printed; errors are collected. */
async function runPairsLocal(verb: PairVerb, flags: PairFlags, ctx: { change: PairChange; dryRun: DryRun; earlyPrinter?: (obj: any) => string }): Promise<void> {
  const { readLocalInfos } = await import('./local.js');
  const { infos, singleItemImplied } = await readLocalInfos(flags.filename, flags.recursive);
  const errors: unknown[] = [];
  for (const info of infos) {
    try {
      await visit(info, { verb, flags, single: singleItemImplied, ...ctx });
    } catch (err) {
      errors.push(err);
    }
  }
  await throwCollected(errors);
}

interface VisitContext {
  verb: PairVerb;
  change: PairChange;
  dryRun: DryRun;
  flags: PairFlags;
  single: boolean;
  earlyPrinter?: (obj: any) => string;
  /** Absent with --local: nothing is sent. */
  client?: import('../kube/client.js').KubeClient;
}

/** One object: change it locally, patch it unless only printing, then print or list. */
async function visit(info: Info, ctx: VisitContext): Promise<void> {
  const { change, dryRun, flags } = ctx;
  const obj = info.obj;
  if (flags.resourceVersion) obj.metadata.resourceVersion = '';
  const oldData = marshal(obj);
  const before = structuredClone(obj);
  let outputObj = obj;
  if (dryRun !== 'client' && !flags.list && ctx.client) {
    if (ctx.verb === 'label') {
      const present = obj.metadata?.labels ?? {};
      for (const k of change.remove) if (!(k in present)) process.stdout.write(`label ${JSON.stringify(k)} not found.\n`);
    }
    applyChange(obj, change);
    const patch = createMergePatch(before, obj);
    const query = writeQuery({ dryRun, fieldManager: flags.fieldManager ?? `kubectl-${ctx.verb}` });
    outputObj = await ctx.client.request('PATCH', await infoPath(info, '', query), { body: patch, contentType: 'application/merge-patch+json' });
  } else {
    applyChange(obj, change);
  }
  const newData = marshal(obj);
  if (flags.list) return listPairs(outputObj, info, ctx);
  if (ctx.verb === 'annotate') {
    process.stdout.write(ctx.earlyPrinter!(outputObj));
    return;
  }
  let message = 'not labeled';
  if (oldData !== newData) message = !flags.overwrite && newData.length < oldData.length ? 'unlabeled' : 'labeled';
  // label prints its own copy of the object, not the server's answer.
  process.stdout.write((await objectPrinter(flags.output, message, dryRun))(obj));
}

/** `--list`: KEY=VALUE lines, under a `Listing … for Kind.group/name:` header when several objects may come. */
function listPairs(obj: any, info: Info, ctx: VisitContext): void {
  const pairs: Record<string, string> = obj.metadata?.[ctx.change.field] ?? {};
  let indent = '';
  if (!ctx.single) {
    indent = ' ';
    const apiVersion: string = info.obj.apiVersion ?? '';
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    process.stdout.write(`Listing ${ctx.change.field} for ${info.obj.kind}.${group}/${info.name}:\n`);
  }
  // Go ranges over a map in random order; sorted keys are one of its orders and make runs repeatable.
  for (const k of Object.keys(pairs).sort()) process.stdout.write(`${indent}${k}=${pairs[k]}\n`);
}
