/**
 * `kd fault`: injects faults into the practice cluster and takes them back: a stopped kubelet,
 * node memory/disk/PID pressure, an unpullable image, slow image pulls, and crashing a container
 * now. Faults stay until removed (`kd fault remove ID`, `kd fault clear`) or the cluster is reset.
 */
import type { Command } from 'commander';
import { TabWriter } from '../print/tabwriter.js';
import { UsageError } from './kube-flags.js';
import { admin, formatGoSeconds, parseGoDuration, withDataDir, type AdminFlags } from './admin-flags.js';

const examples = `
Examples:
  # Stop the kubelet of node01 (the node goes NotReady, its pods are evicted after 5m), then start it
  kd fault kubelet stop node01
  kd fault kubelet start node01

  # Make node02 report memory pressure (it gets the node.kubernetes.io/memory-pressure taint)
  kd fault add pressure node02 memory

  # Make pulls of nginx:1.27 fail; without a tag every tag of the image fails
  kd fault add unpullable nginx:1.27

  # Make image pulls take a minute (optionally only one image or one node)
  kd fault add slow-pull 60s --image redis --node node01

  # Kill the first container of pod web-x now (exit code 137)
  kd fault crash web-x

  # List the active faults, remove one, remove all
  kd fault list
  kd fault remove f1
  kd fault clear`;

/** A fault as the daemon lists it. */
interface FaultView {
  id?: string;
  type: string;
  node?: string;
  condition?: string;
  image?: string;
  seconds?: number;
}

const PRESSURE: Readonly<Record<string, string>> = { memory: 'MemoryPressure', disk: 'DiskPressure', pid: 'PIDPressure' };

/** One line saying what a fault does. */
export function describeFault(f: FaultView): string {
  switch (f.type) {
    case 'KubeletStopped':
      return `kubelet of node ${f.node} stopped`;
    case 'NodeCondition':
      return `node ${f.node} reports ${f.condition}`;
    case 'ImageUnpullable':
      return `pulls of ${f.image} fail`;
    case 'SlowImagePull':
      return `pulls${f.image ? ` of ${f.image}` : ''}${f.node ? ` on node ${f.node}` : ''} take ${formatGoSeconds((f.seconds ?? 0) * 1000)}`;
    default:
      return f.type;
  }
}

async function add(flags: AdminFlags, fault: object): Promise<void> {
  const stored = (await admin(flags, 'POST', '/kubedojo/faults', fault)) as FaultView;
  process.stdout.write(`fault ${stored.id} added: ${describeFault(stored)}\n`);
}

async function list(flags: AdminFlags): Promise<void> {
  const items = ((await admin(flags, 'GET', '/kubedojo/faults')) as { items: FaultView[] }).items;
  if (items.length === 0) {
    process.stdout.write('No faults are active.\n');
    return;
  }
  const w = new TabWriter((t) => process.stdout.write(t));
  w.row(['ID', 'TYPE', 'DESCRIPTION']);
  for (const f of items) w.row([f.id ?? '', f.type, describeFault(f)]);
  w.flush();
}

async function remove(flags: AdminFlags, ids: string[]): Promise<void> {
  for (const id of ids) {
    const removed = (await admin(flags, 'DELETE', `/kubedojo/faults/${encodeURIComponent(id)}`)) as FaultView;
    process.stdout.write(`fault ${id} removed: ${describeFault(removed)}\n`);
  }
}

async function kubelet(flags: AdminFlags, action: string, node: string): Promise<void> {
  if (action === 'stop') return add(flags, { type: 'KubeletStopped', node });
  if (action !== 'start') throw new UsageError(`Cannot change the kubelet as the action must be stop or start: current value is ${action}`, 'kd fault kubelet');
  const items = ((await admin(flags, 'GET', '/kubedojo/faults')) as { items: FaultView[] }).items;
  const held = items.filter((f) => f.type === 'KubeletStopped' && f.node === node);
  if (held.length === 0) {
    process.stdout.write(`kubelet of node ${node} is already running\n`);
    return;
  }
  await remove(flags, held.map((f) => f.id ?? ''));
}

function registerAdd(fault: Command): void {
  const addCmd = fault.command('add').description('Inject a fault: kubelet-stop, pressure, unpullable, slow-pull');
  withDataDir(addCmd.command('kubelet-stop').description("Stop a node's kubelet").argument('<node>'))
    .action(async (node: string, flags: AdminFlags) => add(flags, { type: 'KubeletStopped', node }));
  withDataDir(addCmd.command('pressure').description('Make a node report memory, disk or pid pressure').argument('<node>').argument('<kind>', 'memory, disk or pid'))
    .action(async (node: string, kind: string, flags: AdminFlags) => {
      const condition = PRESSURE[kind.toLowerCase()] ?? (Object.values(PRESSURE).includes(kind) ? kind : undefined);
      if (!condition) throw new UsageError(`Cannot add the fault as the pressure must be memory, disk or pid: current value is ${kind}`, 'kd fault add pressure');
      await add(flags, { type: 'NodeCondition', node, condition });
    });
  withDataDir(addCmd.command('unpullable').description('Make pulls of an image fail (without a tag: every tag)').argument('<image>'))
    .action(async (image: string, flags: AdminFlags) => add(flags, { type: 'ImageUnpullable', image }));
  withDataDir(addCmd.command('slow-pull').description('Make image pulls take this long (Go duration: 60s, 2m)').argument('<duration>')
    .option('--image <image>', 'only pulls of this image (without a tag: every tag)').option('--node <node>', 'only pulls on this node'))
    .action(async (d: string, flags: AdminFlags & { image?: string; node?: string }) => {
      let ms: number;
      try {
        ms = parseGoDuration(d);
      } catch (err) {
        throw new UsageError(`invalid argument "${d}" for duration: ${(err as Error).message}`, 'kd fault add slow-pull');
      }
      await add(flags, { type: 'SlowImagePull', seconds: ms / 1000, ...(flags.image ? { image: flags.image } : {}), ...(flags.node ? { node: flags.node } : {}) });
    });
}

/** Adds `fault` and its subcommands to the root program. */
export function registerFault(program: Command): void {
  const fault = withDataDir(program.command('fault').description('Inject faults into the cluster: stopped kubelets, node pressure, image pull failures, crashes').addHelpText('after', examples));
  fault.action(async (flags: AdminFlags) => list(flags));
  withDataDir(fault.command('list').description('List the active faults')).action(async (flags: AdminFlags) => list(flags));
  registerAdd(fault);
  withDataDir(fault.command('kubelet').description("Stop or start a node's kubelet").argument('<action>', 'stop or start').argument('<node>'))
    .action(async (action: string, node: string, flags: AdminFlags) => kubelet(flags, action, node));
  withDataDir(fault.command('crash').description("Kill a pod's container now (exit code 137); its restart policy applies").argument('<pod>')
    .option('-c, --container <name>', 'container name (default: the first container)').option('-n, --namespace <ns>', 'namespace of the pod', 'default'))
    .action(async (pod: string, flags: AdminFlags & { container?: string; namespace: string }) => {
      const r = await admin(flags, 'POST', '/kubedojo/faults', { type: 'CrashContainer', namespace: flags.namespace, pod, ...(flags.container ? { container: flags.container } : {}) });
      process.stdout.write(`container ${r.container} of pod ${flags.namespace}/${pod} crashed (exit code 137)\n`);
    });
  withDataDir(fault.command('remove').description('Remove faults by id, undoing them').argument('<id...>'))
    .action(async (ids: string[], flags: AdminFlags) => remove(flags, ids));
  withDataDir(fault.command('clear').description('Remove every fault')).action(async (flags: AdminFlags) => {
    const n = ((await admin(flags, 'GET', '/kubedojo/faults')) as { items: unknown[] }).items.length;
    await admin(flags, 'DELETE', '/kubedojo/faults');
    process.stdout.write(`${n} fault${n === 1 ? '' : 's'} removed\n`);
  });
}
