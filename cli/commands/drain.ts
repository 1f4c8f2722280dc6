/**
 * `kd drain`: kubectl v1.35.2's drain (kubectl pkg/cmd/drain/drain.go and pkg/drain/*): cordon,
 * filter the node's pods, evict them through policy/v1 (or delete them), wait until they are gone.
 * The work lives in cli/drain/*, loaded only when drain runs.
 */
import type { Command } from 'commander';
import { withKubeFlags } from './kube-flags.js';

/** Adds `drain` to the root program. */
export function registerDrain(program: Command): void {
  const cmd = program
    .command('drain')
    .description('Drain node in preparation for maintenance.')
    .argument('[node...]', 'NODE')
    .option('--force', 'Continue even if there are pods that do not declare a controller.')
    .option('--ignore-daemonsets', 'Ignore DaemonSet-managed pods.')
    .option('--delete-emptydir-data', 'Continue even if there are pods using emptyDir (local data that will be deleted when the node is drained).')
    .option('--grace-period <seconds>', 'Period of time in seconds given to each pod to terminate gracefully. If negative, the default value specified in the pod will be used.', '-1')
    .option('--timeout <duration>', 'The length of time to wait before giving up, zero means infinite', '0s')
    .option('--pod-selector <selector>', 'Label selector to filter pods on the node')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--disable-eviction', 'Force drain to use delete, even if eviction is supported.')
    .option('--skip-wait-for-delete-timeout <seconds>', 'If pod DeletionTimestamp older than N seconds, skip waiting for the pod.', '0')
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once.', '500')
    .option('--dry-run [strategy]', 'Must be "none", "server", or "client".');
  withKubeFlags(cmd).action(async (args: string[], flags) => {
    const { runDrain } = await import('../drain/run.js');
    await runDrain(args, flags);
  });
}
