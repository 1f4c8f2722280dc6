/**
 * `kd replace`: kubectl v1.35.2's replace (kubectl pkg/cmd/replace/replace.go). Each `-f` object is
 * PUT whole (its resourceVersion taken from the server when the manifest has none, as the resource
 * helper does); `--force` deletes every object, waits for them to be gone, then creates them.
 */
import type { Command } from 'commander';
import { collectArray } from './create-generators.js';
import { withTemplateFlags } from '../print/print-flags.js';
import { withKubeFlags } from './kube-flags.js';

const long = 'Replace a resource by file name or stdin.';
const WAIT_POLL_MS = 100;

interface ReplaceFlags {
  filename: string[];
  recursive?: boolean;
  force?: boolean;
  gracePeriod: number;
  cascade: string;
  wait?: boolean;
  dryRun?: string | boolean;
  output?: string;
  fieldManager: string;
  validate?: string | boolean;
  showManagedFields?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Adds `replace` to the root program. */
export function registerReplace(program: Command): void {
  const cmd = program
    .command('replace')
    .description(long)
    .argument('[args...]')
    .option('-f, --filename <file>', 'The files that contain the configurations to replace.', collectArray, [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('--force', 'If true, immediately remove resources from API and bypass graceful deletion.')
    .option('--grace-period <seconds>', 'Period of time in seconds given to the resource to terminate gracefully.', Number, -1)
    .option('--cascade [strategy]', 'Must be "background", "orphan", or "foreground".', 'background')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".', 'none')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, jsonpath).')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-replace')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.');
  withTemplateFlags(cmd);
  withKubeFlags(cmd).action(async (args: string[], flags: ReplaceFlags) => {
    await runReplace(args, flags);
  });
}

async function runReplace(args: string[], flags: ReplaceFlags): Promise<void> {
  if (args.length > 0) {
    const { UsageError } = await import('./kube-flags.js');
    throw new UsageError(`Unexpected args: [${args.join(' ')}]`, 'kubectl replace');
  }
  if (flags.filename.length === 0) throw new Error('must specify one of -f and -k');
  const [{ parseDryRun, parseValidate, writePrinter, writeQuery }, { connect }, { readInfos, throwAll, withSource }, { resourcePath }] = await Promise.all([
    import('../apply/write.js'),
    import('../kube/connect.js'),
    import('../apply/manifests.js'),
    import('../kube/discovery.js'),
  ]);
  const dryRun = parseDryRun(flags.dryRun);
  if (flags.force && dryRun !== 'none') throw new Error('--dry-run can not be used when --force is set');
  const validation = parseValidate(flags.validate);
  const print = await writePrinter(flags.output, dryRun, { showManagedFields: flags.showManagedFields });
  const conn = await connect(flags);
  try {
    const read = await readInfos(conn, { filenames: flags.filename, recursive: flags.recursive, namespace: conn.namespace, enforceNamespace: !!flags.namespace });
    if (flags.force) await forceDelete(conn, read.infos, flags);
    const errors: unknown[] = [];
    const query = writeQuery({ fieldManager: flags.fieldManager, validation, dryRun });
    for (const info of read.infos) {
      const obj = structuredClone(info.obj);
      if (info.namespace) (obj.metadata ??= {}).namespace = info.namespace;
      try {
        let answer: any;
        if (flags.force) {
          answer = await conn.client.request('POST', resourcePath(info.resource, info.namespace) + query, { body: obj });
        } else {
          const path = resourcePath(info.resource, info.namespace, info.name);
          // The resource helper fills in the live resourceVersion when the manifest has none.
          if (!obj.metadata?.resourceVersion) {
            // A missing object is PUT as it is, for the server to answer.
            const live = await conn.client.getJson(path).catch(() => undefined);
            if (live?.metadata?.resourceVersion) obj.metadata.resourceVersion = live.metadata.resourceVersion;
          }
          answer = dryRun === 'client' ? obj : await conn.client.request('PUT', path + query, { body: obj });
        }
        process.stdout.write(print(answer, 'replaced'));
      } catch (err) {
        errors.push(await withSource(err, 'replacing', info.source));
      }
    }
    await throwAll([...errors, ...read.errors]);
  } finally {
    await conn.client.close();
  }
}

/** `--force`: deletes every object (printing kubectl's delete lines) and waits until they are gone. */
async function forceDelete(conn: import('../kube/connect.js').Connection, infos: import('../apply/manifests.js').Info[], flags: ReplaceFlags): Promise<void> {
  const { deleteAll } = await import('../apply/delete-run.js');
  const objects = infos.map((i) => ({ resource: i.resource, namespace: i.namespace, name: i.name }));
  await deleteAll(conn, objects, [], {
    dryRun: 'none',
    gracePeriod: flags.gracePeriod,
    force: false,
    propagationPolicy: flags.cascade === 'foreground' ? 'Foreground' : flags.cascade === 'orphan' ? 'Orphan' : 'Background',
    ignoreNotFound: true,
    wait: true,
    outputName: false,
    pollMs: WAIT_POLL_MS,
  });
}
