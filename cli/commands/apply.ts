/**
 * `kd apply`: kubectl v1.35.2's apply (kubectl pkg/cmd/apply/apply.go). Client-side apply keeps the
 * manifest in the last-applied-configuration annotation and sends a three-way strategic merge
 * patch (`created`, `configured`, `unchanged`); `--server-side` sends an apply patch
 * (`serverside-applied`). Errors of single objects are collected and printed at the end.
 */
import type { Command } from 'commander';
import { collectArray } from './create-generators.js';
import { withTemplateFlags } from '../print/print-flags.js';
import { withKubeFlags } from './kube-flags.js';

const long = 'Apply a configuration to a resource by file name or stdin.';

interface ApplyFlags {
  filename: string[];
  recursive?: boolean;
  serverSide?: boolean;
  forceConflicts?: boolean;
  dryRun?: string | boolean;
  output?: string;
  fieldManager?: string;
  validate?: string | boolean;
  showManagedFields?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Adds `apply` to the root program. */
export function registerApply(program: Command): void {
  const cmd = program
    .command('apply')
    .description(long)
    .argument('[args...]')
    .option('-f, --filename <file>', 'The files that contain the configurations to apply.', collectArray, [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--server-side', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts', 'If true, server-side apply will force the changes against conflicts.')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, jsonpath).')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.');
  withTemplateFlags(cmd);
  withKubeFlags(cmd).action(async (args: string[], flags: ApplyFlags) => {
    await runApply(args, flags);
  });
}

async function runApply(args: string[], flags: ApplyFlags): Promise<void> {
  if (args.length > 0) {
    const { UsageError } = await import('./kube-flags.js');
    throw new UsageError(`Unexpected args: [${args.join(' ')}]`, 'kubectl apply');
  }
  if (flags.filename.length === 0) throw new Error('must specify one of -f and -k');
  if (flags.forceConflicts && !flags.serverSide) throw new Error('--force-conflicts only works with --server-side');
  const [{ parseDryRun, parseValidate, writePrinter, withoutManagedFields }, { connect }, { readInfos, throwAll }, apply] = await Promise.all([
    import('../apply/write.js'),
    import('../kube/connect.js'),
    import('../apply/manifests.js'),
    import('../apply/client-side.js'),
  ]);
  const dryRun = parseDryRun(flags.dryRun);
  if (dryRun === 'client' && flags.serverSide) throw new Error('--dry-run=client doesn\'t work with --server-side (did you mean --dry-run=server instead?)');
  const validation = parseValidate(flags.validate);
  const print = await writePrinter(flags.output, dryRun, { showManagedFields: flags.showManagedFields });
  const conn = await connect(flags);
  try {
    const read = await readInfos(conn, { filenames: flags.filename, recursive: flags.recursive, namespace: conn.namespace, enforceNamespace: !!flags.namespace });
    const options = {
      dryRun,
      validation,
      fieldManager: flags.fieldManager ?? (flags.serverSide ? 'kubectl' : 'kubectl-client-side-apply'),
      forceConflicts: flags.forceConflicts,
    };
    const errors: unknown[] = [];
    // kubectl prints -o json/yaml objects at the end, several of them as one List.
    const printed: any[] = [];
    const atEnd = flags.output !== undefined && flags.output !== 'name';
    for (const info of read.infos) {
      try {
        const result = flags.serverSide ? await apply.serverSideApply(conn, info, options) : await apply.clientSideApply(conn, info, options);
        if (atEnd) printed.push(result.obj);
        else process.stdout.write(print(result.obj, result.operation));
      } catch (err) {
        errors.push(flags.serverSide ? await conflictError(err, info.source) : err);
      }
    }
    if (printed.length === 1) process.stdout.write(print(printed[0], ''));
    if (printed.length > 1) process.stdout.write(print({ apiVersion: 'v1', items: flags.showManagedFields ? printed : printed.map(withoutManagedFields), kind: 'List', metadata: {} }, ''));
    await throwAll([...errors, ...read.errors]);
  } finally {
    await conn.client.close();
  }
}

/** A server-side apply conflict as kubectl words it; other errors with their source. */
async function conflictError(err: unknown, source: string): Promise<unknown> {
  const { ApiStatusError } = await import('../kube/errors.js');
  if (!(err instanceof ApiStatusError) || err.code !== 409 || !err.details?.causes?.length) {
    const { withSource } = await import('../apply/manifests.js');
    return withSource(err, 'applying', source);
  }
  return new Error(`${err.message}
Please review the fields above--they currently have other managers. Here
are the ways you can resolve this warning:
* If you intend to manage all of these fields, please re-run the apply
  command with the \`--force-conflicts\` flag.
* If you do not intend to manage all of the fields, please edit your
  manifest to remove references to the fields that should keep their
  current managers.
* You may co-own fields by updating your manifest to match the existing
  value; in this case, you'll become the manager if the other manager(s)
  stop managing the field (remove it from their configuration).
See https://kubernetes.io/docs/reference/using-api/server-side-apply/#conflicts`);
}
