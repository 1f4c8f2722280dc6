/**
 * `kd expose`: kubectl v1.35.2's expose (kubectl pkg/cmd/expose/expose.go); the work is in
 * cli/mutate/expose.ts.
 */
import type { Command } from 'commander';
import type { ExposeFlags } from '../mutate/expose.js';
import { withDryRunFlag, withFilenameFlags, withOutputFlag } from '../mutate/flags.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `expose` to the root program. */
export function registerExpose(program: Command): void {
  const cmd = program
    .command('expose')
    .description('Expose a resource as a new Kubernetes service.')
    .argument('[args...]', '(-f FILENAME | TYPE NAME)')
    .option('--port <port>', 'The port that the service should serve on.')
    .option('--target-port <port>', 'Name or number for the port on the container that the service should direct traffic to.')
    .option('--protocol <protocol>', 'The network protocol for the service to be created. Default is \'TCP\'.')
    .option('--type <type>', 'Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName.')
    .option('--name <name>', 'The name for the newly created object.')
    .option('--selector <selector>', 'A label selector to use for this service.')
    .option('-l, --labels <labels>', 'Labels to apply to the service created by this call.')
    .option('--cluster-ip <ip>', 'ClusterIP to be assigned to the service.')
    .option('--external-ip <ips>', 'Additional external IP address (not managed by Kubernetes) to accept for the service.')
    .option('--session-affinity <affinity>', 'If non-empty, set the session affinity for the service to this; legal values: \'None\', \'ClientIP\'')
    .option('--field-manager <name>', 'Name of the manager used to track field ownership.');
  withKubeFlags(withOutputFlag(withDryRunFlag(withFilenameFlags(cmd, 'identifying the resource to expose a service')))).action(async (args: string[], flags: ExposeFlags) => {
    const { runExpose } = await import('../mutate/expose.js');
    await runExpose(args, flags);
  });
}
