/**
 * `kd delete`: kubectl v1.35.2's delete (kubectl pkg/cmd/delete/delete.go, delete_flags.go): objects
 * by `TYPE NAME…`, `TYPE/NAME…`, `-f`, `-l` or `--all` (listed, then deleted one by one), a
 * DeleteOptions body with the propagation policy and grace period, the `<kind> "<name>" deleted from
 * <ns> namespace` lines, then (`--wait`, the default) a wait until every deleted object is gone.
 */
import type { Command } from 'commander';
import type { SelectFlags } from '../apply/delete-run.js';
import { collectArray } from './create-generators.js';
import { withKubeFlags } from './kube-flags.js';

const long = 'Delete resources by file names, stdin, resources and names, or by resources and label selector.';
/** How often the wait for a deleted object polls it. */
const WAIT_POLL_MS = 100;

/** Flags of `kd delete`. */
export interface DeleteFlags extends SelectFlags {
  gracePeriod: number;
  now?: boolean;
  force?: boolean;
  cascade: string | boolean;
  wait: string | boolean;
  dryRun?: string | boolean;
  output?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Adds `delete` to the root program. */
export function registerDelete(program: Command): void {
  const cmd = program
    .command('delete')
    .description(long)
    .argument('[args...]', 'TYPE[.VERSION][.GROUP] [NAME ...] | TYPE[.VERSION][.GROUP]/NAME ...')
    .option('-f, --filename <file>', 'containing the resource to delete.', collectArray, [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--all', 'Delete all resources, in the namespace of the specified resource types.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully.', parseIntFlag, -1)
    .option('--now', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).')
    .option('--force', 'If true, immediately remove resources from API and bypass graceful deletion.')
    .option('--cascade [strategy]', 'Must be "background", "orphan", or "foreground".', 'background')
    .option('--wait [bool]', 'If true, wait for resources to be gone before returning.', 'true')
    .option('--timeout <duration>', 'The length of time to wait before giving up on a delete.')
    .option('--ignore-not-found', 'Treat "resource not found" as a successful delete.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output mode. Use "-o name" for shorter output (resource/name).');
  withKubeFlags(cmd).action(async (args: string[], flags: DeleteFlags) => {
    await runDelete(args, flags);
  });
}

function parseIntFlag(value: string): number {
  if (!/^[-+]?\d+$/.test(value)) throw new Error(`error: invalid argument "${value}" for "--grace-period" flag: strconv.ParseInt: parsing "${value}": invalid syntax\nSee 'kubectl delete --help' for usage.`);
  return Number(value);
}

/** kubectl's checks of the flag combinations (DeleteOptions.Complete and Validate). */
function validate(args: string[], flags: DeleteFlags): void {
  if (flags.output !== undefined && flags.output !== 'name') throw new Error(`unexpected -o output mode: ${flags.output}. We only support '-o name'`);
  if (args.length === 0 && flags.filename.length === 0) {
    throw new Error(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  if (flags.all && flags.selector) throw new Error("setting 'all' parameter but found a non empty selector. ");
  const named = args.length > 1 || args.some((a) => a.includes('/'));
  if (named && (flags.selector || flags.all)) throw new Error('name cannot be provided when a selector is specified');
  if (named && flags.allNamespaces) throw new Error('a resource cannot be retrieved by name across all namespaces');
  if (!['background', 'foreground', 'orphan', 'true', 'false'].includes(String(flags.cascade))) {
    throw new Error(`invalid cascade value (${String(flags.cascade)}). Must be "background", "foreground", or "orphan"`);
  }
  if (flags.now && flags.gracePeriod !== -1) throw new Error('--now and --grace-period cannot be specified together');
}

/** The propagation policy of `--cascade` (`true` is background, `false` orphan, as kubectl reads them). */
function propagation(cascade: string | boolean): string {
  const v = String(cascade);
  if (v === 'foreground') return 'Foreground';
  if (v === 'orphan' || v === 'false') return 'Orphan';
  return 'Background';
}

async function runDelete(args: string[], flags: DeleteFlags): Promise<void> {
  validate(args, flags);
  const [{ parseDryRun }, { connect }, { collectTargets, deleteAll }] = await Promise.all([import('../apply/write.js'), import('../kube/connect.js'), import('../apply/delete-run.js')]);
  const dryRun = parseDryRun(flags.dryRun);
  let gracePeriod = flags.now ? 1 : flags.gracePeriod;
  // kubectl turns --grace-period=0 into 1 unless --force, and --force alone into 0.
  if (gracePeriod === 0 && !flags.force) gracePeriod = 1;
  if (flags.force && gracePeriod < 0) gracePeriod = 0;
  const conn = await connect(flags);
  try {
    const { objects, errors } = await collectTargets(conn, args, flags);
    if (objects.length === 0 && errors.length === 0 && !flags.ignoreNotFound) {
      process.stdout.write('No resources found\n');
      return;
    }
    if (flags.force && gracePeriod === 0) {
      process.stderr.write(
        'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
      );
    }
    await deleteAll(conn, objects, errors, {
      dryRun,
      gracePeriod,
      force: !!flags.force && gracePeriod === 0,
      propagationPolicy: propagation(flags.cascade),
      ignoreNotFound: !!flags.ignoreNotFound,
      wait: String(flags.wait) !== 'false',
      outputName: flags.output === 'name',
      pollMs: WAIT_POLL_MS,
    });
  } finally {
    await conn.client.close();
  }
}

