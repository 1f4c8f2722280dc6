/**
 * The bodies of the `kd rollout` subcommands (kubectl pkg/cmd/rollout/rollout_*.go): resolve the
 * objects from arguments or `-f`, act on each, print through PrintFlags, and report per-object
 * errors at the end (the builder's ContinueOnError).
 */
import { parseIntFlag, type RolloutFlags } from '../commands/rollout.js';
import type { KubeClient } from '../kube/client.js';
import { dryRunStrategy, objectPrinter, type DryRun } from '../mutate/common.js';
import { ACTION_DONE, applyAction, type Action } from './actions.js';
import { historyObjects, viewHistory } from './history.js';
import { watchStatus } from './status.js';
import { allErrors, resolveInfos, sharedPrinter, throwAll, type Info } from './targets.js';
import { rollback } from './undo.js';
import { parseGoDuration } from './watch.js';

const BOOL_TEXT: Record<string, boolean> = { true: true, t: true, '1': true, TRUE: true, True: true, T: true, false: false, f: false, '0': false, FALSE: false, False: false, F: false };

/** What one subcommand needs besides the object. */
interface Settings {
  revision: number;
  toRevision: number;
  dryRun: DryRun;
  output: string | undefined;
  watch: boolean;
  timeoutMs: number;
  /** History's printer, made on first use and shared by all objects (YAML separators run on across them). */
  historyPrint?: (obj: any) => string;
}

/** Runs one rollout subcommand. */
export async function runRollout(sub: string, args: string[], flags: RolloutFlags): Promise<void> {
  const commandPath = `kubectl rollout ${sub}`;
  let watch = true;
  if (typeof flags.watch === 'string') {
    // `-w deploy/web`: a bool flag never takes the next word, so it was an argument.
    if (flags.watch in BOOL_TEXT) watch = BOOL_TEXT[flags.watch]!;
    else args = [flags.watch, ...args];
  }
  const revision = parseIntFlag(flags.revision, '--revision', commandPath);
  const toRevision = parseIntFlag(flags.toRevision, '--to-revision', commandPath);
  const timeoutMs = flags.timeout === undefined ? 0 : parseGoDuration(flags.timeout, '--timeout', commandPath);
  const dryRun = sub === 'undo' ? dryRunStrategy(flags.dryRun) : 'none';
  const filenames = flags.filename ?? [];
  if (args.length === 0 && filenames.length === 0) throw new Error('required resource not specified');
  if (revision < 0) throw new Error(`revision must be a positive integer: ${revision}`);
  const settings: Settings = { revision, toRevision, dryRun, output: flags.output, watch, timeoutMs };
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const resolved = await resolveInfos(conn, args, {
      namespace: conn.namespace,
      selector: flags.selector,
      filenames,
      recursive: flags.recursive,
      enforceNamespace: !!flags.namespace,
    });
    const errors: unknown[] = [];
    if (sub === 'status' && resolved.infos.length === 0 && resolved.errors.length === 0) process.stderr.write(`No resources found in ${conn.namespace} namespace.\n`);
    for (const info of resolved.infos) {
      try {
        await one(sub, info, conn.client, settings);
      } catch (err) {
        errors.push(err);
      }
    }
    throwAll(allErrors(resolved, errors));
  } finally {
    await conn.client.close();
  }
}

/** Acts on one object and prints what kubectl prints for it; the printer is made after the action, as kubectl's ToPrinter. */
async function one(sub: string, info: Info, client: KubeClient, o: Settings): Promise<void> {
  if (sub === 'status') return watchStatus(client, info, o);
  if (sub === 'history') {
    if (o.output === undefined) {
      process.stdout.write(await viewHistory(client, info, o.revision));
      return;
    }
    const objects = await historyObjects(client, info, o.revision);
    o.historyPrint ??= sharedPrinter(await objectPrinter(o.output, '', 'none'), o.output);
    for (const obj of objects) process.stdout.write(o.historyPrint(obj));
    return;
  }
  if (sub === 'undo') {
    // kubectl prints the object as it read it, with the rollback's result as the operation.
    const result = await rollback(client, info, o.toRevision, o.dryRun);
    process.stdout.write((await objectPrinter(o.output, result, o.dryRun))(info.obj));
    return;
  }
  const patched = await applyAction(client, info, sub as Action);
  process.stdout.write((await objectPrinter(o.output, ACTION_DONE[sub as Action], 'none'))(patched));
}
