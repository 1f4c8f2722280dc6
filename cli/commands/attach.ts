/**
 * `kd attach`: kubectl v1.35.2's attach (kubectl pkg/cmd/attach/attach.go): `POD`, `TYPE/NAME` or
 * `TYPE NAME`, `-c`, `-i`, `-t`, `-q`.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { withKubeFlags } from './kube-flags.js';

interface AttachFlags extends KubeFlags {
  container?: string;
  stdin?: boolean;
  tty?: boolean;
  quiet?: boolean;
}

/** Adds `attach` to the root program. */
export function registerAttach(program: Command): void {
  const cmd = program
    .command('attach')
    .description('Attach to a process that is already running inside an existing container.')
    .argument('[args...]', '(POD | TYPE/NAME) -c CONTAINER')
    .option('-c, --container <name>', 'Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation or the first container')
    .option('-i, --stdin', 'Pass stdin to the container')
    .option('-t, --tty', 'Stdin is a TTY')
    .option('-q, --quiet', 'Only print output from the remote session')
    .option('--pod-running-timeout <duration>', 'The length of time to wait until at least one pod is running', '1m0s');
  withKubeFlags(cmd).action(async (args: string[], flags: AttachFlags) => {
    if (args.length === 0) throw new Error('at least 1 argument is required for attach');
    if (args.length > 2) throw new Error(`expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
    await runAttach(args, flags);
  });
}

async function runAttach(args: string[], flags: AttachFlags): Promise<void> {
  const [{ connect }, { firstPodOf }, { attachToPod, finishSession }, { resourcePath }] = await Promise.all([
    import('../kube/connect.js'), import('../exec/pods.js'), import('../exec/attach.js'), import('../kube/discovery.js'),
  ]);
  const conn = await connect(flags);
  try {
    let typeArg = 'pods';
    let name = args[0]!;
    if (args.length === 2) [typeArg, name] = [args[0]!, args[1]!];
    else if (name.includes('/')) [typeArg, name] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
    const [type] = await conn.resolve(typeArg);
    const obj = await conn.client.getJson(resourcePath(type!, conn.namespace, name));
    const pod = type!.kind === 'Pod' && type!.group === '' ? obj : await firstPodOf(conn, obj, type!, 'attach');
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') throw new Error(`cannot attach a container in a completed pod; current phase is ${phase}`);
    finishSession(await attachToPod(conn.client, pod, { container: flags.container, stdin: !!flags.stdin, tty: !!flags.tty, quiet: !!flags.quiet }));
  } finally {
    await conn.client.close();
  }
}
