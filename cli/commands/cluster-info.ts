/**
 * `kd cluster-info` (kubectl pkg/cmd/clusterinfo): the API server and every kube-system Service
 * labelled `kubernetes.io/cluster-service=true`, with kubectl's colours on a terminal.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { withKubeFlags } from './kube-flags.js';

/** Adds `cluster-info` to the root program. */
export function registerClusterInfo(program: Command): void {
  const cmd = program.command('cluster-info').description('Display cluster information').argument('[args...]');
  withKubeFlags(cmd).action(async (_args: string[], flags: KubeFlags) => {
    await runClusterInfo(flags);
  });
  const dump = cmd
    .command('dump')
    .description('Dump relevant information for debugging and diagnosis')
    // kubectl takes no arguments here but ignores any it is given.
    .argument('[args...]')
    .option('--namespaces <list>', 'A comma separated list of namespaces to dump.')
    .option('-A, --all-namespaces', 'If true, dump all namespaces.  If true, --namespaces is ignored.')
    .option('--output-directory <dir>', 'Where to output the files.  If empty or \'-\' uses stdout, otherwise creates a directory hierarchy in that directory')
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, kyaml).')
    .option('--pod-running-timeout <duration>', 'The length of time (like 5s, 2m, or 3h, higher than zero) to wait until at least one pod is running', '20s');
  withKubeFlags(dump).action(async (_args: string[], _flags: unknown, self: Command) => {
    const { runDump } = await import('../cluster-info/dump.js');
    // Connection flags given after `dump` are parsed by the parent, which declares them too.
    await runDump(self.optsWithGlobals());
  });
}

async function runClusterInfo(flags: KubeFlags): Promise<void> {
  const { resolveContext } = await import('../kube/kubeconfig.js');
  const { KubeClient } = await import('../kube/client.js');
  const context = resolveContext(flags);
  const client = new KubeClient(context);
  const color = process.stdout.isTTY && !process.env['NO_COLOR'];
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const line = (name: string, link: string) => `${paint(32, name)} is running at ${paint(33, link)}\n`;
  try {
    const services = await client.getJson('/api/v1/namespaces/kube-system/services?labelSelector=kubernetes.io%2Fcluster-service%3Dtrue');
    const server = context.server.replace(/\/$/, '');
    let text = line('Kubernetes control plane', server);
    for (const svc of services.items ?? []) {
      const name = svc.metadata?.labels?.['kubernetes.io/name'] || svc.metadata?.name;
      for (const link of serviceLinks(svc, server)) text += line(name, link);
    }
    process.stdout.write(`${text}\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
  } finally {
    await client.close();
  }
}

/** A LoadBalancer's ingress address, else the API server proxy URL of the first port. */
function serviceLinks(svc: any, server: string): string[] {
  const ingress = svc.status?.loadBalancer?.ingress?.[0];
  const port = svc.spec?.ports?.[0];
  if (ingress) {
    const host = ingress.ip || ingress.hostname;
    return [`http://${host}${port ? `:${port.port}` : ''}`];
  }
  const portName = port?.name || (port ? String(port.port) : '');
  const scheme = portName.startsWith('https') ? 'https:' : '';
  return [`${server}/api/v1/namespaces/${svc.metadata.namespace}/services/${scheme}${svc.metadata.name}${portName ? `:${portName}` : ''}/proxy`];
}
