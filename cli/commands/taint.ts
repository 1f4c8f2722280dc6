/**
 * `kd taint`: kubectl v1.35.2's taint (kubectl pkg/cmd/taint/taint.go); the work is in
 * cli/mutate/node-ops.ts.
 */
import type { Command } from 'commander';
import type { TaintFlags } from '../mutate/node-ops.js';
import { withDryRunFlag, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `taint` to the root program. */
export function registerTaint(program: Command): void {
  const cmd = program
    .command('taint')
    .description('Update the taints on one or more nodes.')
    .argument('[args...]', 'NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--overwrite', 'If true, allow taints to be overwritten, otherwise reject taint updates that overwrite existing taints.')
    .option('--all', 'Select all nodes in the cluster')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.');
  withKubeFlags(withOutputFlag(withDryRunFlag(cmd))).action(async (args: string[], flags: TaintFlags) => {
    const { runTaint } = await import('../mutate/node-ops.js');
    await runTaint(args, flags);
  });
}
