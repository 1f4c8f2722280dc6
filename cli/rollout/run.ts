/**
 * The bodies of the `kd rollout` subcommands (kubectl pkg/cmd/rollout/rollout_*.go): resolve the
 * objects, act on each, print kubectl's lines, and report per-object errors at the end.
 */
import { parseIntFlag } from '../commands/rollout.js';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { ACTION_DONE, applyAction, type Action } from './actions.js';
import { viewHistory } from './history.js';
import { watchStatus } from './status.js';
import { nameOf, resolveInfos, throwAll, type Info } from './targets.js';
import { rollback, type DryRun } from './undo.js';
import { parseGoDuration } from './watch.js';

interface Flags extends KubeFlags {
  selector?: string;
  output?: string;
  revision?: string;
  toRevision?: string;
  timeout?: string;
  watch?: string | boolean;
  dryRun?: string | boolean;
}

const BOOL_TEXT: Record<string, boolean> = { true: true, t: true, '1': true, TRUE: true, True: true, T: true, false: false, f: false, '0': false, FALSE: false, False: false, F: false };

/** Runs one rollout subcommand. */
export async function runRollout(sub: string, args: string[], flags: Flags): Promise<void> {
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
  const dryRun = dryRunOf(flags.dryRun);
  const output = flags.output ?? '';
  if (output !== '' && output !== 'name') {
    throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  }
  if (args.length === 0) throw new Error('required resource not specified');
  if (revision < 0) throw new Error(`revision must be a positive integer: ${revision}`);
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const { infos, errors } = await resolveInfos(conn, args, { namespace: conn.namespace, selector: flags.selector });
    if (sub === 'status') {
      throwAll(errors);
      for (const info of infos) await watchStatus(conn.client, info, { revision, watch, timeoutMs });
      return;
    }
    for (const info of infos) {
      try {
        process.stdout.write(await one(sub, info, conn.client, { revision, toRevision, dryRun, output }));
      } catch (err) {
        errors.push(err);
      }
    }
    throwAll(errors);
  } finally {
    await conn.client.close();
  }
}

async function one(sub: string, info: Info, client: import('../kube/client.js').KubeClient, o: { revision: number; toRevision: number; dryRun: DryRun; output: string }): Promise<string> {
  if (sub === 'history') return viewHistory(client, info, o.revision);
  const suffix = o.dryRun === 'client' ? ' (dry run)' : o.dryRun === 'server' ? ' (server dry run)' : '';
  if (sub === 'undo') {
    const result = await rollback(client, info, o.toRevision, o.dryRun);
    return o.output === 'name' ? `${nameOf(info)}\n` : `${nameOf(info)} ${result}${suffix}\n`;
  }
  await applyAction(client, info, sub as Action);
  return o.output === 'name' ? `${nameOf(info)}\n` : `${nameOf(info)} ${ACTION_DONE[sub as Action]}\n`;
}

/** kubectl's --dry-run values; a bare flag means client (deprecated spelling). */
function dryRunOf(value: string | boolean | undefined): DryRun {
  if (value === undefined || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new Error(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}
