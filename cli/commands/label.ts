/**
 * `kd label`: kubectl v1.35.2's label (kubectl pkg/cmd/label/label.go); the work is in cli/mutate/metadata-pairs.ts.
 */
import type { Command } from 'commander';
import type { PairFlags } from '../mutate/metadata-pairs.js';
import { withPairFlags } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `label` to the root program. */
export function registerLabel(program: Command): void {
  const cmd = program
    .command('label')
    .description('Update the labels on a resource.')
    .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE/NAME KEY-');
  withKubeFlags(withPairFlags(cmd, 'label')).action(async (args: string[], flags: PairFlags) => {
    const { runPairs } = await import('../mutate/metadata-pairs.js');
    await runPairs('label', args, flags);
  });
}
