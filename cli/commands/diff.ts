/**
 * `kd diff`: kubectl v1.35.2's diff (kubectl pkg/cmd/diff/diff.go), the live objects of `-f`
 * against what an apply would make of them, through `diff -u -N`. Its errors exit 2, as exit 1
 * means "differences found" (kubectl's CheckDiffErr; see cli/main.ts).
 */
import type { Command } from 'commander';
import type { DiffFlags } from '../apply/diff.js';
import { collectArray, intFlag } from './create-generators.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `diff` to the root program. */
export function registerDiff(program: Command): void {
  const cmd = program
    .command('diff')
    .description('Diff the live version against a would-be applied version.')
    .argument('[args...]')
    .option('-f, --filename <file>', 'Filename, directory, or URL to files contains the configuration to diff', collectArray, [])
    .option('-R, --recursive', 'Process the directory used in -f, --filename recursively.')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--server-side', 'If true, apply runs in the server instead of the client.')
    .option('--force-conflicts', 'If true, server-side apply will force the changes against conflicts.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.')
    .option('--show-managed-fields', 'If true, include managed fields in the diff.')
    // One object at a time here; kubectl's parallel visits print the same.
    .option('--concurrency <n>', 'Number of objects to process in parallel when diffing against the live version.', intFlag('--concurrency', 'kubectl diff'), 1);
  withKubeFlags(cmd).action(async (args: string[], flags: DiffFlags) => {
    const { runDiff } = await import('../apply/diff.js');
    await runDiff(args, flags);
  });
}
