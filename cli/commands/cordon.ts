/**
 * `kd cordon` and `kd uncordon`: kubectl v1.35.2's (kubectl pkg/cmd/drain/drain.go); the work is in
 * cli/mutate/node-ops.ts.
 */
import type { Command } from 'commander';
import type { CordonFlags } from '../mutate/node-ops.js';
import { withDryRunFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `cordon` and `uncordon` to the root program. */
export function registerCordon(program: Command): void {
  for (const [verb, desired, description] of [
    ['cordon', true, 'Mark node as unschedulable.'],
    ['uncordon', false, 'Mark node as schedulable.'],
  ] as const) {
    const cmd = program
      .command(verb)
      .description(description)
      .argument('[nodes...]', 'NODE')
      .option('-l, --selector <selector>', 'Selector (label query) to filter on');
    withKubeFlags(withDryRunFlag(cmd)).action(async (args: string[], flags: CordonFlags) => {
      const { runCordon } = await import('../mutate/node-ops.js');
      await runCordon(args, flags, desired);
    });
  }
}
