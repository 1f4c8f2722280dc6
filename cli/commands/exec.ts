/**
 * `kd exec`: kubectl v1.35.2's exec (kubectl pkg/cmd/exec/exec.go) over the WebSocket
 * v5.channel.k8s.io protocol: `POD|TYPE/NAME -- COMMAND…`, `-c`, `-i`, `-t`, `-q`; a non-zero exit
 * code becomes kd's exit code with kubectl's `command terminated with exit code N`.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { UsageError, withKubeFlags } from './kube-flags.js';

interface ExecFlags extends KubeFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
}

/** The number of arguments before `--` (cobra's ArgsLenAtDash), -1 without `--`. */
export function argsLenAtDash(cmd: Command, args: string[]): number {
  const raw: string[] = (cmd.parent as unknown as { rawArgs?: string[] } | null)?.rawArgs ?? process.argv;
  const at = raw.indexOf('--');
  return at < 0 ? -1 : args.length - (raw.length - at - 1);
}

/** Adds `exec` to the root program. */
export function registerExec(program: Command): void {
  const cmd = program
    .command('exec')
    .description('Execute a command in a container.')
    .argument('[args...]', '(POD | TYPE/NAME) [-c CONTAINER] -- COMMAND [args...]')
    .option('-c, --container <name>', 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation or the first container')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .option('-q, --quiet', 'Only print output from the remote session')
    .option('--pod-running-timeout <duration>', 'The length of time to wait until at least one pod is running', '1m0s');
  withKubeFlags(cmd).action(async (args: string[], flags: ExecFlags, self: Command) => {
    const dash = argsLenAtDash(self, args);
    const resource = args.length > 0 && dash !== 0 ? args[0] : undefined;
    let command: string[] = [];
    if (dash > -1) command = args.slice(dash);
    else if (args.length > 1) throw new UsageError('exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead', 'kubectl exec');
    if (!resource) throw new Error('pod, type/name or --filename must be specified');
    if (command.length === 0) throw new Error('you must specify at least one command for the container');
    await runExec(resource, command, flags);
  });
}

async function runExec(resource: string, command: string[], flags: ExecFlags): Promise<void> {
  const [{ connect }, { defaultContainer, firstPodOf }, { runOnTerminal, setupTty }, { finishSession }, { resourcePath }] = await Promise.all([
    import('../kube/connect.js'), import('../exec/pods.js'), import('../exec/tty.js'), import('../exec/attach.js'), import('../kube/discovery.js'),
  ]);
  const conn = await connect(flags);
  try {
    const slash = resource.indexOf('/');
    const [type] = await conn.resolve(slash < 0 ? 'pods' : resource.slice(0, slash));
    const obj = await conn.client.getJson(resourcePath(type!, conn.namespace, slash < 0 ? resource : resource.slice(slash + 1)));
    const pod = type!.kind === 'Pod' && type!.group === '' ? obj : await firstPodOf(conn, obj, type!, 'attach');
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new Error(`cannot exec into a container in a completed pod; current phase is ${phase}`);
    const container = flags.container || defaultContainer(pod, !!flags.quiet).name;
    const t = setupTty(!!flags.stdin, !!flags.tty, !!flags.quiet);
    finishSession(await runOnTerminal(conn.client, { subresource: 'exec', namespace: pod.metadata.namespace, pod: pod.metadata.name, container, command }, t, !!flags.stdin));
  } finally {
    await conn.client.close();
  }
}
