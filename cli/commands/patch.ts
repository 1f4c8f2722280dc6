/**
 * `kd patch`: kubectl v1.35.2's patch (kubectl pkg/cmd/patch/patch.go); the work is in
 * cli/mutate/patch.ts.
 */
import type { Command } from 'commander';
import type { PatchFlags } from '../mutate/patch.js';
import { withDryRunFlag, withFilenameFlags, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `patch` to the root program. */
export function registerPatch(program: Command): void {
  const cmd = program
    .command('patch')
    .description('Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.')
    .argument('[args...]', '(-f FILENAME | TYPE NAME)')
    .option('-p, --patch <patch>', 'The patch to be applied to the resource JSON file.')
    .option('--patch-file <file>', 'A file containing a patch to be applied to the resource.')
    .option('--type <type>', 'The type of patch being provided; one of [json merge strategic]', 'strategic')
    .option('--subresource <name>', 'If specified, patch will operate on the subresource of the requested object.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.');
  withKubeFlags(withOutputFlag(withDryRunFlag(withFilenameFlags(cmd, 'identifying the resource to update')))).action(async (args: string[], flags: PatchFlags) => {
    const { runPatch } = await import('../mutate/patch.js');
    await runPatch(args, flags);
  });
}
