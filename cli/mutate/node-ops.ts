/**
 * `kd cordon`, `kd uncordon` (port of kubectl pkg/cmd/drain/drain.go RunCordonOrUncordon and
 * pkg/drain/cordon.go) and `kd taint` (port of kubectl pkg/cmd/taint/taint.go and utils.go).
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { dryRunStrategy, fetchInfos, infoPath, objectPrinter, throwCollected, writeQuery, type Info } from './common.js';
import { labelValueErrors, qualifiedNameErrors } from './names.js';

/** Flags of cordon and uncordon. */
export interface CordonFlags extends KubeFlags {
  selector?: string;
  dryRun?: string | boolean;
}

/**
 * Cordons (desired true) or uncordons the named or selected nodes: one strategic merge patch of
 * `spec.unschedulable` each, none for a node already in the desired state.
 */
export async function runCordon(args: string[], flags: CordonFlags, desired: boolean): Promise<void> {
  const verb = desired ? 'cordon' : 'uncordon';
  const dryRun = dryRunStrategy(flags.dryRun);
  if (args.length === 0 && flags.selector === undefined) {
    const { UsageError } = await import('../commands/kube-flags.js');
    throw new UsageError(`USAGE: ${verb} NODE [flags]`, `kubectl ${verb}`);
  }
  if (args.length > 0 && flags.selector) {
    const { UsageError } = await import('../commands/kube-flags.js');
    throw new UsageError('cannot specify both a node name and a --selector option', `kubectl ${verb}`);
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const sel = args.length > 0 ? { args: args.every((a) => a.includes('/')) ? args : ['nodes', ...args] } : { args: ['nodes'], selector: flags.selector || undefined, all: !flags.selector };
    const fetched = await fetchInfos(conn, sel);
    // drain's builder stops at the first error rather than going on.
    if (fetched.errors.length > 0) throw fetched.errors[0];
    let failed = false;
    for (const info of fetched.infos) {
      if (!(await cordonOne(info, conn.client, desired, dryRun))) failed = true;
    }
    if (failed) throw new Error(`unable to ${verb} at least one node`);
  } finally {
    await conn.client.close();
  }
}

/** One node; false when its patch failed (already reported). */
async function cordonOne(info: Info, client: import('../kube/client.js').KubeClient, desired: boolean, dryRun: 'none' | 'client' | 'server'): Promise<boolean> {
  const verb = desired ? 'cordon' : 'uncordon';
  const current = info.obj.spec?.unschedulable === true;
  if (current === desired) {
    process.stdout.write((await objectPrinter(undefined, `already ${verb}ed`, dryRun))(info.obj));
    return true;
  }
  if (dryRun !== 'client') {
    try {
      const body = { spec: { unschedulable: desired ? true : null } };
      await client.request('PATCH', await infoPath(info, '', writeQuery({ dryRun })), { body, contentType: 'application/strategic-merge-patch+json' });
    } catch (err) {
      const { messageForError } = await import('../kube/errors.js');
      process.stderr.write(`error: unable to ${verb} node ${JSON.stringify(info.name)}: ${messageForError(err)}\n`);
      return false;
    }
  }
  process.stdout.write((await objectPrinter(undefined, `${verb}ed`, dryRun))(info.obj));
  return true;
}

/** One taint as kubectl parses it. */
interface Taint {
  key: string;
  value?: string;
  effect?: string;
}

/** Flags of taint. */
export interface TaintFlags extends KubeFlags {
  selector?: string;
  overwrite?: boolean;
  all?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** utils.go parseTaint: `key=value:effect`, `key:effect` or `key`. */
function parseTaint(spec: string): Taint {
  const parts = spec.split(':');
  let key = parts[0]!;
  let value: string | undefined;
  let effect: string | undefined;
  if (parts.length === 2) {
    effect = parts[1]!;
    if (!TAINT_EFFECTS.includes(effect)) throw new Error(`invalid taint effect: ${effect}, unsupported taint effect`);
    const kv = parts[0]!.split('=');
    if (kv.length > 2) throw new Error(`invalid taint spec: ${spec}`);
    key = kv[0]!;
    if (kv.length === 2) {
      value = kv[1]!;
      const errs = labelValueErrors(value);
      if (errs.length > 0) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
    }
  } else if (parts.length > 2) {
    throw new Error(`invalid taint spec: ${spec}`);
  }
  const errs = qualifiedNameErrors(key);
  if (errs.length > 0) throw new Error(`invalid taint spec: ${spec}, ${errs.join('; ')}`);
  return { key, value, effect };
}

/** utils.go parseTaints: taints to add (each needs an effect, unique by key and effect) and to remove. */
function parseTaints(specs: string[]): { add: Taint[]; remove: Taint[] } {
  const add: Taint[] = [];
  const remove: Taint[] = [];
  for (const spec of specs) {
    if (spec.endsWith('-')) {
      const t = parseTaint(spec.slice(0, -1));
      remove.push({ key: t.key, effect: t.effect });
      continue;
    }
    const t = parseTaint(spec);
    if (!t.effect) throw new Error(`invalid taint spec: ${spec}`);
    if (add.some((a) => a.key === t.key && a.effect === t.effect)) throw new Error(`duplicated taints with the same key and effect: {${t.key} ${t.value ?? ''} ${t.effect} <nil>}`);
    add.push(t);
  }
  return { add, remove };
}

/** core/v1 Taint.ToString. */
function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

/** Splits the arguments as taint.go Complete does and checks them as Validate does. */
async function prepareTaint(args: string[], flags: TaintFlags) {
  const dryRun = dryRunStrategy(flags.dryRun);
  const resources: string[] = [];
  const taintArgs: string[] = [];
  for (const s of args) {
    const isTaint = s.includes('=') || s.includes(':') || s.endsWith('-');
    if (isTaint) taintArgs.push(s);
    else if (taintArgs.length > 0) throw new Error(`all resources must be specified before taint changes: ${s}`);
    else resources.push(s);
  }
  if (resources.length < 1) throw new Error('one or more resources must be specified as <resource> <name>');
  if (taintArgs.length < 1) throw new Error('at least one taint update is required');
  let parsed;
  try {
    parsed = parseTaints(taintArgs);
  } catch (err) {
    const { UsageError } = await import('../commands/kube-flags.js');
    throw new UsageError((err as Error).message, 'kubectl taint');
  }
  return { dryRun, resources, ...parsed };
}

/** Taint.MatchTaint: same key and effect. */
function matches(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/** updateTaints + reorganizeTaints: the node's new taints and the operation to print. */
function updateTaints(node: any, add: Taint[], remove: Taint[], overwrite: boolean): string {
  const old: Taint[] = node.spec?.taints ?? [];
  if (!overwrite) {
    const existing = add.flatMap((t) => old.filter((o) => matches(t, o)).map(() => t.key));
    if (existing.length > 0) throw new Error(`node ${node.metadata.name} already has ${existing.join(',')} taint(s) with same effect(s) and --overwrite is false`);
  }
  let next: Taint[] = add.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect }));
  for (const o of old) if (!next.some((t) => matches(t, o))) next.push(o);
  const added = old.length !== next.length;
  const errors: string[] = [];
  let deleted = false;
  for (const r of remove) {
    const kept = next.filter((t) => (r.effect ? !matches(r, t) : t.key !== r.key));
    deleted = kept.length !== next.length;
    if (!deleted) errors.push(`taint ${JSON.stringify(taintString(r))} not found`);
    next = kept;
  }
  if (errors.length > 0) throw new Error(errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`);
  node.spec ??= {};
  node.spec.taints = next;
  if ((added && deleted) || overwrite) return 'modified';
  return added ? 'tainted' : 'untainted';
}

/**
 * Runs `taint NODE-TYPE NAME… KEY=VAL:EFFECT… KEY[:EFFECT]-…` (or with `-l`/`--all`).
 *
 * @example
 * await runTaint(['nodes', 'node01', 'gpu=yes:NoSchedule'], flags);
 */
export async function runTaint(args: string[], flags: TaintFlags): Promise<void> {
  const { dryRun, resources, add, remove } = await prepareTaint(args, flags);
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const type = resources[0]!.toLowerCase();
    const [resource] = await conn.resolve(type);
    if (resource!.kind !== 'Node') throw new Error(`invalid resource type ${type}, only node types are supported`);
    const conflicts = add.flatMap((a) => remove.filter((r) => r.key === a.key && (!r.effect || r.effect === a.effect)).map((r) => `${r.key}=${r.effect ?? ''}`));
    if (conflicts.length > 0) throw new Error(`can not both modify and remove the following taint(s) in the same command: ${conflicts.join(', ')}`);
    if (flags.all && flags.selector) throw new Error("setting 'all' parameter with a non empty selector is prohibited");
    if (!flags.all && !flags.selector && resources.length < 2) throw new Error("at least one resource name must be specified since 'all' parameter is not set");
    const names = flags.all || flags.selector ? [] : resources.slice(1);
    const fetched = await fetchInfos(conn, { args: ['nodes', ...names], selector: flags.selector, all: flags.all });
    const errors = [...fetched.errors];
    for (const info of fetched.infos) {
      try {
        const operation = updateTaints(info.obj, add, remove, !!flags.overwrite);
        // taint's printer takes the operation alone: no dry-run suffix, as in kubectl.
        const print = await objectPrinter(flags.output, operation, 'none');
        if (dryRun === 'client') {
          process.stdout.write(print(info.obj));
          continue;
        }
        const taints = info.obj.spec.taints.length > 0 ? info.obj.spec.taints : null;
        const query = writeQuery({ dryRun, fieldManager: flags.fieldManager ?? 'kubectl-taint', fieldValidation: 'Strict' });
        const out = await conn.client.request('PATCH', await infoPath(info, '', query), { body: { spec: { taints } }, contentType: 'application/strategic-merge-patch+json' });
        process.stdout.write(print(out));
      } catch (err) {
        errors.push(err);
      }
    }
    await throwCollected(errors);
  } finally {
    await conn.client.close();
  }
}
