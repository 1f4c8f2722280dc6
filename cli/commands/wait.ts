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
  filename: string[];
  recursive?: boolean;
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
    .option('-f, --filename <file>', 'identifying the resource.', (v: string, p: string[]) => [...p, v], [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, kyaml).');
  withKubeFlags(cmd).action(async (args: string[], flags: WaitFlags) => {
    await runWait(args, flags);
  });
}

async function runWait(args: string[], flags: WaitFlags): Promise<void> {
  const [{ parseGoDuration }, w, t, { objectPrinter }] = await Promise.all([
    import('../rollout/watch.js'),
    import('../rollout/wait.js'),
    import('../rollout/targets.js'),
    import('../mutate/common.js'),
  ]);
  let timeoutMs = parseGoDuration(flags.timeout, '--timeout', 'kubectl wait');
  if (timeoutMs < 0) timeoutMs = WEEK_MS;
  const print = t.sharedPrinter(await objectPrinter(flags.output, 'condition met', 'none'), flags.output);
  const waitFor = await w.parseWaitFor(flags.for ?? '');
  const filenames = flags.filename ?? [];
  if (args.length === 0 && filenames.length === 0) throw new Error(NO_RESOURCES);
  const named = args.some((a) => a.includes('/')) || args.length > 1;
  if (filenames.length === 0 && !named && flags.selector === undefined && flags.fieldSelector === undefined && !flags.all) {
    throw new Error('resource(s) were provided, but no name was specified');
  }
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const end = timeoutMs === 0 ? undefined : Date.now() + timeoutMs;
    const selector = flags.selector ?? (flags.all || flags.fieldSelector !== undefined ? '' : undefined);
    if (waitFor.kind === 'create' && (named || filenames.length > 0)) return await waitCreate(conn, args, flags, timeoutMs, print);
    const resolved = await t.resolveInfos(conn, args, {
      namespace: conn.namespace,
      selector,
      allNamespaces: flags.allNamespaces,
      filenames,
      recursive: flags.recursive,
      enforceNamespace: !!flags.namespace,
    });
    // A missing object is what --for=delete waits for.
    if (waitFor.kind === 'delete') resolved.errors = resolved.errors.filter((e) => (e as { code?: number }).code !== 404);
    const errors: unknown[] = [];
    for (const info of resolved.infos) {
      try {
        process.stdout.write(print(await w.waitOne(conn.client, info, waitFor, end)));
      } catch (err) {
        errors.push(err);
      }
    }
    const all = t.allErrors(resolved, errors);
    if (all.length === 0 && resolved.infos.length === 0 && waitFor.kind !== 'delete') throw new Error('no matching resources found');
    t.throwAll(all);
  } finally {
    await conn.client.close();
  }
}

/** `--for=create` on named objects (arguments or `-f`): poll each until it exists. */
async function waitCreate(conn: import('../kube/connect.js').Connection, args: string[], flags: WaitFlags, timeoutMs: number, print: (obj: any) => string): Promise<void> {
  const [{ resourcePath }, w] = await Promise.all([import('../kube/discovery.js'), import('../rollout/wait.js')]);
  const paths: string[] = [];
  if (flags.filename.length > 0) {
    if (args.length > 0) throw new Error('resource/name arguments cannot be provided when a path is specified');
    const { readInfos } = await import('../apply/manifests.js');
    const read = await readInfos(conn, { filenames: flags.filename, recursive: flags.recursive, namespace: conn.namespace, enforceNamespace: !!flags.namespace });
    if (read.errors.length > 0) throw read.errors[0];
    for (const r of read.infos) paths.push(resourcePath(r.resource, r.namespace, r.name));
  } else {
    const { resolveTargets } = await import('../kube/builder.js');
    const { targets } = await resolveTargets(args, conn.resolve, flags.allNamespaces);
    for (const target of targets) paths.push(resourcePath(target.resource, conn.namespace, target.name));
  }
  for (const path of paths) process.stdout.write(print(await w.waitCreated(conn.client, path, timeoutMs)));
}
