/**
 * What `kd set image|env|resources` share (port of kubectl pkg/cmd/set/helper.go and
 * polymorphichelpers/updatepodspec.go): finding the pod spec of each object, changing it locally,
 * and sending the change as one strategic merge patch of its containers (fieldManager kubectl-set).
 * An object the change leaves as it was gets no request and prints nothing, as in kubectl.
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { sortKeys } from '../print/generic.js';
import { dryRunStrategy, fetchInfos, infoPath, objectPrinter, throwCollected, writeQuery, type DryRun, type Info } from './common.js';

/** Flags every set subcommand has. */
export interface SetFlags extends KubeFlags {
  all?: boolean;
  selector?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
  /** Change the objects of -f locally and print them; no server is contacted. */
  local?: boolean;
}

/** One container of a pod spec, as JSON. */
export type Container = Record<string, any> & { name: string };

/** The path from an object to its pod spec, by kind (polymorphichelpers.updatePodSpecForObject). */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** Go's `%T` of the typed object kubectl decoded, for its "not a pod" error. */
function goType(obj: any): string {
  const version = String(obj.apiVersion ?? 'v1').split('/').pop();
  return `*${version}.${obj.kind}`;
}

/** The object's pod spec (mutable), or kubectl's error for a kind without one. */
export function podSpecOf(info: Info): any {
  const path = POD_SPEC_PATHS[info.obj.kind];
  if (!path) throw new Error(`error: ${info.resource.resource}/${info.name} the object is not a pod or does not have a pod template: ${goType(info.obj)}`);
  let at = info.obj;
  for (const key of path) at = at[key] ??= {};
  return at;
}

/** path.Match of a container-name glob (`*`, `?`, `[…]`), as `-c` uses it. */
export function matchesGlob(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${re}$`).test(name);
}

/** What a subcommand does to one object's pod spec; returns errors to report without stopping. */
export type SpecUpdate = (spec: any, info: Info) => Error[];

/** How a subcommand reports its changes. */
export interface SetRun {
  args: string[];
  flags: SetFlags;
  /** The printer's operation, e.g. `image updated`. */
  operation: string;
  /** Which container fields the patch carries (image, env or resources). */
  fields: string[];
  /** The verb in kubectl's patch failure text (`failed to patch <what> update to pod template`). */
  what: string;
  update: SpecUpdate;
  /** Checks that run after the objects were read (set image's Validate). */
  validate?: () => void;
  /** With --local, TYPE NAME arguments are an error (set image, set resources) rather than ignored (set env). */
  localRejectsArgs?: boolean;
}

/**
 * Reads the objects, updates each pod spec and patches those that changed. Errors of the update and
 * of the patches are collected and thrown together at the end.
 */
export async function runSet(run: SetRun): Promise<void> {
  const dryRun = dryRunStrategy(run.flags.dryRun);
  const print = await objectPrinter(run.flags.output, run.operation, dryRun);
  if (run.flags.local) return runSetLocal(run, dryRun, print);
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(run.flags);
  try {
    const { flags } = run;
    const fetched = await fetchInfos(conn, { args: run.args, filenames: flags.filename, recursive: flags.recursive, selector: flags.selector, all: flags.all });
    await throwCollected(fetched.errors);
    run.validate?.();
    const errors: unknown[] = [];
    for (const info of fetched.infos) {
      try {
        await setOne(conn.client, info, { run, dryRun, print, errors });
      } catch (err) {
        errors.push(err);
      }
    }
    await throwCollected(errors);
  } finally {
    await conn.client.close();
  }
}

/** `--local`: each object of the files is changed and printed if the change did anything. */
async function runSetLocal(run: SetRun, dryRun: DryRun, print: (obj: any) => string): Promise<void> {
  const { LOCAL_FILES_ONLY, checkLocalDryRun, readLocalInfos, withTypedDefaults } = await import('./local.js');
  if (run.localRejectsArgs && run.args.length > 0) throw new Error(LOCAL_FILES_ONLY);
  const { infos } = await readLocalInfos(run.flags.filename, run.flags.recursive);
  run.validate?.();
  checkLocalDryRun(dryRun);
  const errors: unknown[] = [];
  for (const info of infos) {
    try {
      withTypedDefaults(info.obj);
      const before = JSON.stringify(sortKeys(info.obj));
      errors.push(...run.update(podSpecOf(info), info));
      if (JSON.stringify(sortKeys(info.obj)) !== before) process.stdout.write(print(info.obj));
    } catch (err) {
      errors.push(err);
    }
  }
  await throwCollected(errors);
}

interface SetContext {
  run: SetRun;
  dryRun: DryRun;
  print: (obj: any) => string;
  errors: unknown[];
}

async function setOne(client: import('../kube/client.js').KubeClient, info: Info, ctx: SetContext): Promise<void> {
  const before = JSON.stringify(sortKeys(info.obj));
  const old = structuredClone(info.obj);
  const spec = podSpecOf(info);
  ctx.errors.push(...ctx.run.update(spec, info));
  if (JSON.stringify(sortKeys(info.obj)) === before) return;
  if (ctx.dryRun === 'client') {
    process.stdout.write(ctx.print(info.obj));
    return;
  }
  const patch = containersPatch(POD_SPEC_PATHS[info.obj.kind]!, podSpecOf({ ...info, obj: old }), spec, ctx.run.fields);
  const query = writeQuery({ dryRun: ctx.dryRun, fieldManager: ctx.run.flags.fieldManager ?? 'kubectl-set' });
  let actual;
  try {
    actual = await client.request('PATCH', await infoPath(info, '', query), { body: patch, contentType: 'application/strategic-merge-patch+json' });
  } catch (err) {
    const { messageForError } = await import('../kube/errors.js');
    throw new Error(`failed to patch ${ctx.run.what} update to pod template: ${messageForError(err).replace(/^Error from server \([^)]*\): /, '')}`);
  }
  process.stdout.write(ctx.print(actual));
}

/**
 * The strategic merge patch of the changed containers: each by name with the changed fields; env
 * entries that went away are deleted with `$patch: delete`, since env merges by name.
 */
function containersPatch(path: string[], oldSpec: any, newSpec: any, fields: string[]): any {
  const specPatch: Record<string, unknown> = {};
  for (const list of ['initContainers', 'containers']) {
    const changed: any[] = [];
    for (const c of (newSpec[list] ?? []) as Container[]) {
      const was: Record<string, any> = ((oldSpec[list] ?? []) as Container[]).find((o) => o.name === c.name) ?? {};
      const entry: Record<string, unknown> = { name: c.name };
      for (const f of fields) {
        if (JSON.stringify(sortKeys(was[f])) === JSON.stringify(sortKeys(c[f]))) continue;
        entry[f] = f === 'env' ? envPatch(was[f] ?? [], c[f] ?? []) : c[f];
      }
      if (Object.keys(entry).length > 1) changed.push(entry);
    }
    if (changed.length > 0) specPatch[list] = changed;
  }
  return path.reduceRight<any>((inner, key) => ({ [key]: inner }), specPatch);
}

function envPatch(oldEnv: Array<{ name: string }>, newEnv: Array<{ name: string }>): unknown[] {
  const removed = oldEnv.filter((e) => !newEnv.some((n) => n.name === e.name)).map((e) => ({ $patch: 'delete', name: e.name }));
  return [...newEnv, ...removed];
}
