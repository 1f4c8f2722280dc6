/**
 * `kd edit`: kubectl v1.35.2's edit (kubectl pkg/cmd/edit/edit.go) with `$KUBE_EDITOR`/`$EDITOR`:
 * the objects open in the editor as YAML (`-o json` for JSON) and the changes are sent as
 * strategic merge patches with `fieldManager=kubectl-edit`; the loop is in cli/apply/edit-loop.ts.
 */
import type { Command } from 'commander';
import { collectArray } from './create-generators.js';
import { withKubeFlags } from './kube-flags.js';

const long = 'Edit a resource from the default editor.';

interface EditFlags {
  filename: string[];
  output?: string;
  outputPatch?: boolean;
  fieldManager: string;
  validate?: string | boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
}

/** Adds `edit` to the root program. */
export function registerEdit(program: Command): void {
  const cmd = program
    .command('edit')
    .description(long)
    .argument('[args...]', '(RESOURCE/NAME | -f FILENAME)')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files to use to edit the resource', collectArray, [])
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, kyaml).')
    .option('--output-patch', 'Output the patch if the resource is edited.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.', 'kubectl-edit')
    .option('--validate [mode]', 'Must be one of: strict (or true), warn, ignore (or false).', 'strict');
  withKubeFlags(cmd).action(async (args: string[], flags: EditFlags) => {
    await runEdit(args, flags);
  });
}

async function runEdit(args: string[], flags: EditFlags): Promise<void> {
  const format = flags.output ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') {
    throw new Error(`unable to match a printer suitable for the output format "${format}", allowed formats are: json,kyaml,yaml`);
  }
  if (args.length === 0 && flags.filename.length === 0) {
    throw new Error(
      "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
    );
  }
  const [{ parseValidate, writePrinter }, { connect }, { editLoop, fetchEdited }] = await Promise.all([import('../apply/write.js'), import('../kube/connect.js'), import('../apply/edit-loop.js')]);
  const validation = parseValidate(flags.validate);
  // -o also picks how edited objects are printed; kubectl makes a printer per object, so YAML
  // documents get no `---` between them.
  const { printYaml } = await import('../print/generic.js');
  const { withoutManagedFields } = await import('../apply/write.js');
  const print = flags.output === 'yaml' ? (obj: any) => printYaml(withoutManagedFields(obj)) : await writePrinter(flags.output, 'none');
  const conn = await connect(flags);
  try {
    const targets = await editTargets(conn, args, flags);
    const items = await fetchEdited(conn, targets);
    if (items.length === 0) throw new Error('edit cancelled, no objects found');
    await editLoop(conn, items, { format, fieldManager: flags.fieldManager, validation, outputPatch: !!flags.outputPatch, env: process.env }, print);
  } finally {
    await conn.client.close();
  }
}

/** The objects of the arguments (named, or every one of a type) or of `-f`; edit fetches the live objects either way. */
async function editTargets(conn: import('../kube/connect.js').Connection, args: string[], flags: EditFlags): Promise<import('../kube/builder.js').Target[]> {
  if (flags.filename.length > 0) {
    const { readInfos } = await import('../apply/manifests.js');
    const read = await readInfos(conn, { filenames: flags.filename, namespace: conn.namespace, enforceNamespace: !!flags.namespace });
    const { throwAll } = await import('../apply/manifests.js');
    await throwAll(read.errors);
    return read.infos.map((i) => ({ resource: i.resource, name: i.name }));
  }
  const { resolveTargets } = await import('../kube/builder.js');
  // A type without a name edits every object of that type in the namespace, in one List buffer.
  const { targets } = await resolveTargets(args, conn.resolve);
  return targets;
}
