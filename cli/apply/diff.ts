/**
 * The work of `kd diff` (kubectl pkg/cmd/diff/diff.go): each `-f` object as it is live and as it
 * would be after an apply, both written as YAML into the directories LIVE-* and MERGED-* under the
 * temp dir, then `diff -u -N` (or $KUBECTL_EXTERNAL_DIFF) run on the two. The would-be object is
 * the server's answer to a dry run: a create when the object is missing, the apply patch otherwise
 * (client-side three-way or server-side). Exit 0 without differences, 1 with; errors exit 2, from
 * the root boundary.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeFlags } from '../kube/kubeconfig.js';
import type { Connection } from '../kube/connect.js';
import type { Info } from './manifests.js';
import { withoutManagedFields } from './write.js';

/** The flags of `diff`. */
export interface DiffFlags extends KubeFlags {
  filename: string[];
  recursive?: boolean;
  selector?: string;
  serverSide?: boolean;
  forceConflicts?: boolean;
  fieldManager?: string;
  showManagedFields?: boolean;
}

/** kubectl tries this many times while the live object keeps changing; the last try without a lock. */
const MAX_RETRIES = 4;
const MASK = '***';

/** Runs `diff` and leaves the diff program's exit status (0 or 1) in process.exitCode. */
export async function runDiff(args: string[], flags: DiffFlags): Promise<void> {
  if (args.length > 0) {
    const { UsageError } = await import('../commands/kube-flags.js');
    throw new UsageError(`Unexpected args: [${args.join(' ')}]`, 'kubectl diff');
  }
  if (flags.filename.length === 0) throw new Error('must specify one of -f and -k');
  if (flags.forceConflicts && !flags.serverSide) throw new Error('--force-conflicts only works with --server-side');
  const fieldManager = flags.fieldManager ?? (flags.serverSide ? 'kubectl' : 'kubectl-client-side-apply');
  const [{ connect }, { readInfos }, { printYaml }] = await Promise.all([import('../kube/connect.js'), import('./manifests.js'), import('../print/generic.js')]);
  const live = tempDir('LIVE');
  const merged = tempDir('MERGED');
  try {
    const conn = await connect(flags);
    try {
      const read = await readInfos(conn, { filenames: flags.filename, recursive: flags.recursive, namespace: conn.namespace, enforceNamespace: !!flags.namespace });
      // Without ContinueOnError the builder stops at the first object it cannot map.
      if (read.errors.length > 0) throw read.errors[0];
      const { matchesSelector } = await import('../rollout/targets.js');
      for (const info of read.infos) {
        if (flags.selector && !matchesSelector(info.obj.metadata?.labels ?? {}, flags.selector)) continue;
        let [from, to] = await versions(conn, info, flags, fieldManager);
        if (!flags.showManagedFields) [from, to] = [withoutManagedFields(from), withoutManagedFields(to)];
        const secret = to?.apiVersion === 'v1' && to?.kind === 'Secret';
        if (secret) [from, to] = maskSecretData(from, to);
        const name = fileName(info);
        // An object that does not exist yet still gets its file: empty, or `null` for a Secret,
        // which went through the masker as a nil object.
        writeFileSync(join(live, name), from ? printYaml(from) : secret ? 'null\n' : '', { mode: 0o700 });
        writeFileSync(join(merged, name), to ? printYaml(to) : '', { mode: 0o700 });
        if (from?.metadata?.deletionTimestamp) process.stderr.write(`Warning: Detected changes to resource ${info.name} which is currently being deleted.\n`);
      }
    } finally {
      await conn.client.close();
    }
    process.exitCode = await runDiffProgram(live, merged);
  } finally {
    rmSync(live, { recursive: true, force: true });
    rmSync(merged, { recursive: true, force: true });
  }
}

/** The live object (undefined when missing) and the server's dry run of applying the manifest. */
async function versions(conn: Connection, info: Info, flags: DiffFlags, fieldManager: string): Promise<[any, any]> {
  const [{ resourcePath }, { modifiedConfiguration, LAST_APPLIED }, { createThreeWayMergePatch }] = await Promise.all([
    import('../kube/discovery.js'),
    import('./client-side.js'),
    import('./three-way.js'),
  ]);
  const path = resourcePath(info.resource, info.namespace, info.name);
  const local = structuredClone(info.obj);
  if (info.namespace) (local.metadata ??= {}).namespace = info.namespace;
  const query = (extra: Record<string, string> = {}) => `?${new URLSearchParams({ dryRun: 'All', fieldManager, ...extra })}`;
  for (let attempt = 1; ; attempt++) {
    if (attempt === MAX_RETRIES) {
      const { klogWarning } = await import('../mutate/common.js');
      const r = info.resource;
      klogWarning('diff.go:721', `Object (${r.group}/${r.version}, Kind=${r.kind}: ${info.name}) keeps changing, diffing without lock`);
    }
    let current: any;
    try {
      current = await conn.client.getJson(path);
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
    try {
      if (flags.serverSide) {
        return [current, await conn.client.request('PATCH', path + query({ force: String(!!flags.forceConflicts) }), { body: local, contentType: 'application/apply-patch+yaml' })];
      }
      if (!current) return [current, await conn.client.request('POST', resourcePath(info.resource, info.namespace) + query(), { body: local })];
      const lastApplied = current.metadata?.annotations?.[LAST_APPLIED];
      const patch: any = createThreeWayMergePatch(lastApplied ? JSON.parse(lastApplied) : undefined, modifiedConfiguration(info, false), current, String(info.obj.kind));
      if (Object.keys(patch).length === 0) return [current, current];
      // The patch is tied to the version read, unless the object kept changing.
      if (attempt < MAX_RETRIES) patch.metadata = { ...(patch.metadata ?? {}), resourceVersion: current.metadata?.resourceVersion };
      return [current, await conn.client.request('PATCH', path + query(), { body: patch, contentType: 'application/strategic-merge-patch+json' })];
    } catch (err) {
      if ((err as { code?: number }).code !== 409 || attempt >= MAX_RETRIES) throw err;
    }
  }
}

/**
 * kubectl's Masker for a Secret's data: every value becomes `***`; a key whose value changes
 * shows `*** (before)` and `*** (after)`, so the diff tells that it changed but not to what.
 */
function maskSecretData(from: any, to: any): [any, any] {
  const before: Record<string, unknown> | undefined = from?.data ? { ...from.data } : undefined;
  const after: Record<string, unknown> | undefined = to?.data ? { ...to.data } : undefined;
  for (const k of Object.keys(before ?? {})) {
    if (after && k in after) {
      if (before![k] !== after[k]) {
        before![k] = `${MASK} (before)`;
        after[k] = `${MASK} (after)`;
        continue;
      }
      after[k] = MASK;
    }
    before![k] = MASK;
  }
  for (const k of Object.keys(after ?? {})) if (!before || !(k in before)) after![k] = MASK;
  return [before ? { ...from, data: before } : from, after ? { ...to, data: after } : to];
}

/** `[group.]version.Kind.namespace.name`, the name of an object's file in both directories. */
function fileName(info: Info): string {
  const r = info.resource;
  return `${r.group ? `${r.group}.` : ''}${r.version}.${r.kind}.${info.namespace ?? ''}.${info.name}`;
}

/** A new directory under the temp dir named like Go's os.MkdirTemp: `<prefix>-<random number>`. */
function tempDir(prefix: string): string {
  for (;;) {
    const dir = join(tmpdir(), `${prefix}-${Math.floor(Math.random() * 2 ** 32)}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
      return dir;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * Runs `diff -u -N FROM TO`, or $KUBECTL_EXTERNAL_DIFF (its words after the first must be made of
 * letters, digits, `-` and `=`; others are dropped). Exit 0 and 1 are the result; anything else is
 * an error.
 */
async function runDiffProgram(from: string, to: string): Promise<number> {
  const external = process.env['KUBECTL_EXTERNAL_DIFF'];
  let program = 'diff';
  let args = ['-u', '-N', from, to];
  if (external) {
    const [first = '', ...rest] = external.split(' ');
    program = first;
    args = [from, to];
    args.push(...rest.filter((word) => /^[a-zA-Z0-9-=]+$/.test(word)));
  }
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', (err: NodeJS.ErrnoException) => reject(new Error(`failed to run "${program}": ${err.code === 'ENOENT' ? `executable file not found in $PATH` : err.message}`)));
    child.once('close', (status, signal) => resolve(status ?? (signal ? 128 : 1)));
  });
  if (code > 1) throw new Error(`failed to run "${program}": exit status ${code}`);
  return code;
}
