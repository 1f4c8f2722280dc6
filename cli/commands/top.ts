/**
 * `kd top node|pod`: kubectl v1.35.2's top (kubectl pkg/cmd/top/top_node.go, top_pod.go and
 * metricsutil/metrics_printer.go): usage from metrics.k8s.io/v1beta1 as `Nm` and `NMi`, node
 * percentages of allocatable (or capacity), sorting, containers, namespaces and kubectl's errors.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

/** Flags of both top subcommands. */
export interface TopFlags extends KubeFlags {
  selector?: string;
  fieldSelector?: string;
  sortBy?: string;
  headers: boolean;
  allNamespaces?: boolean;
  containers?: boolean;
  showCapacity?: boolean;
  sum?: boolean;
}

/** Adds `top node` and `top pod` to the root program. */
export function registerTop(program: Command): void {
  const top = program.command('top').description('Display resource (CPU/memory) usage.');
  const node = top
    .command('node')
    .aliases(['nodes', 'no'])
    .description('Display resource (CPU/memory) usage of nodes.')
    .argument('[args...]', 'NAME')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--sort-by <field>', 'If non-empty, sort nodes list using specified field. The field can be either \'cpu\' or \'memory\'.')
    .option('--no-headers', 'If present, print output without headers')
    .option('--show-capacity', 'Print node resources based on Capacity instead of Allocatable(default) of the nodes.')
    .option('--use-protocol-buffers [bool]', 'Enables using protocol-buffers to access Metrics API.')
    .option('--show-swap', 'Print node resources related to swap memory.');
  withKubeFlags(node).action(async (args: string[], flags: TopFlags) => {
    if (args.length > 1) throw new UsageError('node [NAME | -l label]', 'kubectl top node');
    const { topNodes } = await import('../exec/top.js');
    await topNodes(args[0], flags);
  });
  const pod = top
    .command('pod')
    .aliases(['pods', 'po'])
    .description('Display resource (CPU/memory) usage of pods.')
    .argument('[args...]', 'NAME')
    .option('-l, --selector <selector>', 'Selector (label query) to filter on')
    .option('--field-selector <selector>', 'Selector (field query) to filter on')
    .option('--sort-by <field>', 'If non-empty, sort pods list using specified field. The field can be either \'cpu\' or \'memory\'.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces.')
    .option('--containers', 'If present, print usage of containers within a pod.')
    .option('--no-headers', 'If present, print output without headers.')
    .option('--sum', 'Print the sum of the resource usage')
    .option('--use-protocol-buffers [bool]', 'Enables using protocol-buffers to access Metrics API.')
    .option('--show-swap', 'Print pod resources related to swap memory.');
  withKubeFlags(pod).action(async (args: string[], flags: TopFlags) => {
    if (args.length > 1) throw new UsageError('pod [NAME | -l label]', 'kubectl top pod');
    const { topPods } = await import('../exec/top.js');
    await topPods(args[0], flags);
  });
}
