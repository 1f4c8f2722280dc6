/**
 * `kd autoscale`: kubectl v1.35.2's autoscale (kubectl pkg/cmd/autoscale/autoscale.go); the work is
 * in cli/mutate/autoscale.ts.
 */
import type { Command } from 'commander';
import type { AutoscaleFlags } from '../mutate/autoscale.js';
import { withDryRunFlag, withFilenameFlags, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `autoscale` to the root program. */
export function registerAutoscale(program: Command): void {
  const cmd = program
    .command('autoscale')
    .description('Auto-scale a deployment, replica set, stateful set, or replication controller.')
    .argument('[args...]', '(-f FILENAME | TYPE NAME | TYPE/NAME)')
    .option('--min <n>', 'The lower limit for the number of pods that can be set by the autoscaler.', '-1')
    .option('--max <n>', 'The upper limit for the number of pods that can be set by the autoscaler. Required.')
    .option('--cpu-percent <n>', 'Deprecated: the target average CPU utilization.', '-1')
    .option('--cpu <target>', 'Target CPU utilization over all the pods (e.g. "70%" or "500m").')
    .option('--memory <target>', 'Target memory utilization over all the pods (e.g. "60%" or "200Mi").')
    .option('--name <name>', 'The name for the newly created object.')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.');
  withKubeFlags(withOutputFlag(withDryRunFlag(withFilenameFlags(cmd, 'identifying the resource to autoscale.')))).action(async (args: string[], flags: AutoscaleFlags) => {
    const { runAutoscale } = await import('../mutate/autoscale.js');
    await runAutoscale(args, flags);
  });
}
