/**
 * `kd cluster-info dump` (kubectl pkg/cmd/clusterinfo/clusterinfo_dump.go): the node list, then
 * for each namespace its events, replication controllers, services, daemon sets, deployments,
 * replica sets and pods, and every container's log between START/END markers; to stdout, or
 * as files under `--output-directory`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { KubeClient } from '../kube/client.js';
import type { KubeFlags } from '../kube/kubeconfig.js';

/** The flags of `cluster-info dump`. */
export interface DumpFlags extends KubeFlags {
  namespaces?: string;
  allNamespaces?: boolean;
  outputDirectory?: string;
  output?: string;
  podRunningTimeout: string;
}

/** The per-namespace lists in kubectl's order: file name and collection path under the namespace. */
const NAMESPACED: Array<[file: string, api: string, resource: string]> = [
  ['events', '/api/v1', 'events'],
  ['replication-controllers', '/api/v1', 'replicationcontrollers'],
  ['services', '/api/v1', 'services'],
  ['daemonsets', '/apis/apps/v1', 'daemonsets'],
  ['deployments', '/apis/apps/v1', 'deployments'],
  ['replicasets', '/apis/apps/v1', 'replicasets'],
  ['pods', '/api/v1', 'pods'],
];

/** Where one piece goes: stdout, or `<dir>/<name><ext>` (parents made as needed). */
type Sink = (name: string, ext: string, text: string) => void;

function sinkFor(dir: string | undefined): Sink {
  if (!dir || dir === '-') return (_name, _ext, text) => void process.stdout.write(text);
  const written = new Set<string>();
  return (name, ext, text) => {
    const file = join(dir, name) + ext;
    mkdirSync(dirname(file), { recursive: true });
    // kubectl creates each file once; a pod's containers append to its logs file.
    writeFileSync(file, text, { flag: written.has(file) ? 'a' : 'w' });
    written.add(file);
  };
}

/** The printer of the lists and the extension of their files (.json, .yaml, else .txt). */
async function listPrinter(output: string): Promise<{ print: (obj: any) => string; ext: string }> {
  const ext = output === 'json' ? '.json' : output === 'yaml' ? '.yaml' : '.txt';
  if (output === 'json') return { print: (await import('./typed-json.js')).typedJson, ext };
  const { objectPrinter } = await import('../mutate/common.js');
  const { sharedPrinter } = await import('../rollout/targets.js');
  const inner = await objectPrinter(output, '', 'none');
  if (output === 'name') return { print: (obj) => { throw new Error(`list types are not supported by name printing: *v1.${obj.kind}`); }, ext };
  const shared = sharedPrinter(inner, output);
  const { withTypedDefaults } = await import('./typed-json.js');
  return { print: (list) => shared({ ...list, items: (list.items ?? []).map((o: any) => withTypedDefaults(withoutManagedFields(o))) }), ext };
}

/** kubectl's printers leave managedFields out of every object, list items included. */
function withoutManagedFields(obj: any): any {
  if (!obj?.metadata?.managedFields) return obj;
  const { managedFields: _omitted, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** Runs `cluster-info dump`. */
export async function runDump(flags: DumpFlags): Promise<void> {
  const { parseGoDuration } = await import('../rollout/watch.js');
  parseGoDuration(flags.podRunningTimeout, '--pod-running-timeout', 'kubectl cluster-info dump');
  const { print, ext } = await listPrinter(flags.output ?? 'json');
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  const sink = sinkFor(flags.outputDirectory);
  try {
    sink('nodes', ext, print(await conn.client.getJson('/api/v1/nodes')));
    for (const ns of await namespacesOf(conn.client, flags, conn.namespace)) {
      const enc = encodeURIComponent(ns);
      let pods: any;
      for (const [file, api, resource] of NAMESPACED) {
        const list = await conn.client.getJson(`${api}/namespaces/${enc}/${resource}`);
        sink(join(ns, file), ext, print(list));
        pods = list;
      }
      for (const pod of pods.items ?? []) {
        const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
        // A pod without containers still gets its (empty) logs file.
        if (containers.length === 0) sink(join(ns, pod.metadata.name, 'logs'), '.txt', '');
        for (const c of containers) sink(join(ns, pod.metadata.name, 'logs'), '.txt', await containerLogs(conn.client, pod, c.name));
      }
    }
    const dest = flags.outputDirectory;
    if (dest && dest !== '-') process.stdout.write(`Cluster info dumped to ${dest}\n`);
  } finally {
    await conn.client.close();
  }
}

/** `--all-namespaces`: every namespace; `--namespaces`: those; else kube-system and the current one. */
async function namespacesOf(client: KubeClient, flags: DumpFlags, current: string): Promise<string[]> {
  if (flags.allNamespaces) return ((await client.getJson('/api/v1/namespaces')).items ?? []).map((n: any) => n.metadata.name);
  if (flags.namespaces) return flags.namespaces.split(',');
  return ['kube-system', current];
}

/**
 * A raw request does not decode the server's Status, so client-go words the failure by its code
 * alone (apimachinery errors.NewGenericServerResponse).
 */
function rawRequestError(err: unknown, pod: string): string {
  const generic: Record<number, string> = {
    400: 'the server rejected our request for an unknown reason',
    404: 'the server could not find the requested resource',
  };
  const text = generic[(err as { code?: number }).code ?? 0];
  return text ? `${text} (get pods ${pod})` : (err as Error).message;
}

/** One container's log between kubectl's markers; a failed request leaves kubectl's error line instead. */
async function containerLogs(client: KubeClient, pod: any, container: string): Promise<string> {
  const { namespace, name } = pod.metadata;
  const what = `container ${container} of pod ${namespace}/${name}`;
  let body: string;
  try {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log?container=${encodeURIComponent(container)}`;
    const res = await client.stream(path, '*/*');
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    body = Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    body = `Request log error: ${rawRequestError(err, name)}\n`;
  }
  return `==== START logs for ${what} ====\n${body}==== END logs for ${what} ====\n`;
}
