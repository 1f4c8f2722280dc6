/**
 * `kd wait`: kubectl v1.35.2's wait (kubectl pkg/cmd/wait/wait.go) for `--for=delete|create|
 * condition=…|jsonpath=…` on named or selected objects; the work lives in cli/rollout/wait.ts.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { withKubeFlags } from './kube-flags.js';

interface WaitFlags extends KubeFlags {
  for?: string;
  timeout: string;
  selector?: string;
  fieldSelector?: string;
  all?: boolean;
  allNamespaces?: boolean;
  output?: string;
}

/** A negative --timeout waits for a week. */
const WEEK_MS = 168 * 3_600_000;
const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** Adds `wait` to the root program. */
export function registerWait(program: Command): void {
  const cmd = program
    .command('wait')
    .description('Experimental: Wait for a specific condition on one or many resources.')
    .argument('[args...]', 'TYPE NAME | TYPE/NAME | TYPE with -l or --all')
    .option('--for <condition>', 'The condition to wait on: [create|delete|condition=condition-name[=condition-value]|jsonpath=\'{JSONPath expression}\'=[JSONPath value]]')
    .option('--timeout <duration>', 'The length of time to wait before giving up.', '30s')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-A, --all-namespaces', 'List the requested object(s) across all namespaces')
    .option('-o, --output <format>', 'Output format: name');
  withKubeFlags(cmd).action(async (args: string[], flags: WaitFlags) => {
    await runWait(args, flags);
  });
}

async function runWait(args: string[], flags: WaitFlags): Promise<void> {
  const [{ parseGoDuration }, w, t] = await Promise.all([import('../rollout/watch.js'), import('../rollout/wait.js'), import('../rollout/targets.js')]);
  let timeoutMs = parseGoDuration(flags.timeout, '--timeout', 'kubectl wait');
  if (timeoutMs < 0) timeoutMs = WEEK_MS;
  const output = flags.output ?? '';
  if (output !== '' && output !== 'name') throw new Error(`unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,yaml`);
  const waitFor = await w.parseWaitFor(flags.for ?? '');
  if (args.length === 0) throw new Error(NO_RESOURCES);
  const named = args.some((a) => a.includes('/')) || args.length > 1;
  if (!named && flags.selector === undefined && flags.fieldSelector === undefined && !flags.all) throw new Error('resource(s) were provided, but no name was specified');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const end = timeoutMs === 0 ? undefined : Date.now() + timeoutMs;
    const selector = flags.selector ?? (flags.all || flags.fieldSelector !== undefined ? '' : undefined);
    if (waitFor.kind === 'create' && named) return await waitCreate(conn, args, flags, timeoutMs, t);
    const { infos, errors } = await t.resolveInfos(conn, args, { namespace: conn.namespace, selector, allNamespaces: flags.allNamespaces });
    const kept = waitFor.kind === 'delete' ? errors.filter((e) => (e as { code?: number }).code !== 404) : errors;
    for (const info of infos) {
      try {
        const obj = await w.waitOne(conn.client, info, waitFor, end);
        process.stdout.write(output === 'name' ? `${t.nameOf({ ...info, obj })}\n` : `${t.nameOf({ ...info, obj })} condition met\n`);
      } catch (err) {
        kept.push(err);
      }
    }
    if (kept.length === 0 && infos.length === 0 && waitFor.kind !== 'delete') throw new Error('no matching resources found');
    t.throwAll(kept);
  } finally {
    await conn.client.close();
  }
}

/** `--for=create` on named objects: poll each until it exists. */
async function waitCreate(
  conn: import('../kube/connect.js').Connection,
  args: string[],
  flags: WaitFlags,
  timeoutMs: number,
  t: typeof import('../rollout/targets.js'),
): Promise<void> {
  const [{ resolveTargets }, { resourcePath }, w] = await Promise.all([import('../kube/builder.js'), import('../kube/discovery.js'), import('../rollout/wait.js')]);
  const { targets } = await resolveTargets(args, conn.resolve, flags.allNamespaces);
  for (const target of targets) {
    const obj = await w.waitCreated(conn.client, resourcePath(target.resource, conn.namespace, target.name), timeoutMs);
    const name = t.nameOf({ resource: target.resource, obj });
    process.stdout.write(flags.output === 'name' ? `${name}\n` : `${name} condition met\n`);
  }
}
