/**
 * `kd scale`: kubectl v1.35.2's scale (kubectl pkg/cmd/scale/scale.go); the work is in
 * cli/mutate/scale.ts.
 */
import type { Command } from 'commander';
import type { ScaleFlags } from '../mutate/scale.js';
import { withDryRunFlag, withFilenameFlags, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `scale` to the root program. */
export function registerScale(program: Command): void {
  const cmd = program
    .command('scale')
    .description('Set a new size for a deployment, replica set, or replication controller')
    .argument('[args...]', '(-f FILENAME | TYPE NAME)')
    .option('--replicas <count>', 'The new desired number of replicas. Required.')
    .option('--current-replicas <count>', 'Precondition for current size. -1 (default) for no condition.', '-1')
    .option('--resource-version <version>', 'Precondition for resource version.')
    .option('--timeout <duration>', 'The length of time to wait before giving up on a scale operation, zero means don\'t wait.', '0s')
    .option('--all', 'Select all resources in the namespace of the specified resource types')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on');
  withKubeFlags(withOutputFlag(withDryRunFlag(withFilenameFlags(cmd, 'identifying the resource to set a new size')))).action(async (args: string[], flags: ScaleFlags) => {
    const { runScale } = await import('../mutate/scale.js');
    await runScale(args, flags);
  });
}
