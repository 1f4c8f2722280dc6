/**
 * `kd annotate`: kubectl v1.35.2's annotate (kubectl pkg/cmd/annotate/annotate.go); the work is in cli/mutate/metadata-pairs.ts.
 */
import type { Command } from 'commander';
import type { PairFlags } from '../mutate/metadata-pairs.js';
import { withPairFlags } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `annotate` to the root program. */
export function registerAnnotate(program: Command): void {
  const cmd = program
    .command('annotate')
    .description('Update the annotations on one or more resources.')
    .argument('[args...]', 'TYPE NAME KEY_1=VAL_1 ... KEY_N=VAL_N | TYPE/NAME KEY-');
  withKubeFlags(withPairFlags(cmd, 'annotate')).action(async (args: string[], flags: PairFlags) => {
    const { runPairs } = await import('../mutate/metadata-pairs.js');
    await runPairs('annotate', args, flags);
  });
}
