/**
 * `kd expose`: port of kubectl pkg/cmd/expose/expose.go. Reads the object, takes the selector, ports
 * and protocols it implies unless flags give them (polymorphichelpers MapBasedSelectorForObject,
 * PortsForObject, ProtocolsForObject), builds the Service in its Go field order and creates it with
 * fieldManager kubectl-expose.
 */
import type { KubeFlags } from '../kube/kubeconfig.js';
import { dryRunStrategy, fetchInfos, throwCollected, type Info } from './common.js';
import { createAndPrint, parseLabelList } from './create.js';

/** Flags of expose. */
export interface ExposeFlags extends KubeFlags {
  port?: string;
  targetPort?: string;
  protocol?: string;
  type?: string;
  name?: string;
  selector?: string;
  labels?: string;
  clusterIp?: string;
  externalIp?: string;
  sessionAffinity?: string;
  filename: string[];
  recursive?: boolean;
  output?: string;
  dryRun?: string | boolean;
  fieldManager?: string;
}

const EXPOSABLE_KINDS = ['ReplicationController', 'Service', 'Pod', 'Deployment', 'ReplicaSet'];

/** The selector the object implies, as `k=v,…` text (MapBasedSelectorForObject). */
function selectorFor(obj: any): string {
  const join = (m: Record<string, string> | undefined) =>
    Object.keys(m ?? {})
      .sort()
      .map((k) => `${k}=${m![k]}`)
      .join(',');
  switch (obj.kind) {
    case 'Pod':
      return join(obj.metadata?.labels);
    case 'ReplicationController':
      return join(obj.spec?.selector);
    case 'Service':
      if (!obj.spec?.selector) throw new Error('the service has no pod selector set');
      return join(obj.spec.selector);
    case 'Deployment':
    case 'ReplicaSet': {
      const sel = obj.spec?.selector ?? {};
      if (sel.matchExpressions?.length) throw new Error(`couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`);
      return join(sel.matchLabels);
    }
    default:
      throw new Error(`cannot extract pod selector from *${String(obj.apiVersion).split('/').pop()}.${obj.kind}`);
  }
}

/** The ports, with their protocols, that the object implies (PortsForObject, ProtocolsForObject). */
function portsFor(obj: any): Array<{ port: string; protocol: string }> {
  const containers: any[] = obj.kind === 'Pod' ? (obj.spec?.containers ?? []) : obj.kind === 'Service' ? [] : (obj.spec?.template?.spec?.containers ?? []);
  if (obj.kind === 'Service') return (obj.spec?.ports ?? []).map((p: any) => ({ port: String(p.port), protocol: p.protocol ?? 'TCP' }));
  return containers.flatMap((c) => (c.ports ?? []).map((p: any) => ({ port: String(p.containerPort), protocol: p.protocol ?? 'TCP' })));
}

/** The Service for one object, keys in the order of the Go Service struct. */
function buildService(info: Info, flags: ExposeFlags): any {
  const obj = info.obj;
  // polymorphichelpers.canBeExposed
  if (!EXPOSABLE_KINDS.includes(obj.kind)) throw new Error(`cannot expose a ${obj.kind}`);
  let selector = flags.selector;
  if (!selector) {
    try {
      selector = selectorFor(obj);
    } catch (err) {
      throw new Error(`couldn't retrieve selectors via --selector flag or introspection: ${(err as Error).message}`);
    }
  }
  const implied = portsFor(obj);
  const ports = flags.port ? flags.port.split(',').map((port) => ({ port, protocol: '' })) : implied;
  if (ports.length === 0) throw new Error("couldn't find port via --port flag or introspection");
  const labels = flags.labels ? parseLabelList(flags.labels) : obj.metadata?.labels;
  // An explicit -n is written into the object (kubectl's enforceNamespace), the context's is not.
  const metadata: Record<string, unknown> = { name: flags.name || obj.metadata.name, ...(flags.namespace ? { namespace: flags.namespace } : {}) };
  if (labels && Object.keys(labels).length > 0) metadata['labels'] = labels;
  const spec: Record<string, unknown> = {
    ports: ports.map((p, i) => {
      const protocol = flags.protocol || implied.find((x) => x.port === p.port)?.protocol || 'TCP';
      const target = flags.targetPort ?? p.port;
      return { ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}), protocol, port: Number(p.port), targetPort: /^\d+$/.test(target) ? Number(target) : target };
    }),
  };
  if (selector) spec['selector'] = parseLabelList(selector);
  if (flags.clusterIp) spec['clusterIP'] = flags.clusterIp;
  if (flags.type) spec['type'] = flags.type;
  if (flags.externalIp) spec['externalIPs'] = flags.externalIp.split(',');
  if (flags.sessionAffinity) spec['sessionAffinity'] = flags.sessionAffinity;
  return { kind: 'Service', apiVersion: 'v1', metadata, spec, status: { loadBalancer: {} } };
}

/** Runs `expose TYPE NAME …` or `expose -f …`. */
export async function runExpose(args: string[], flags: ExposeFlags): Promise<void> {
  const dryRun = dryRunStrategy(flags.dryRun);
  const { connect } = await import('../kube/connect.js');
  const conn = await connect(flags);
  try {
    const fetched = await fetchInfos(conn, { args, filenames: flags.filename, recursive: flags.recursive });
    await throwCollected(fetched.errors);
    for (const info of fetched.infos) {
      const service = buildService(info, flags);
      const path = `/api/v1/namespaces/${encodeURIComponent(info.namespace ?? conn.namespace)}/services`;
      await createAndPrint({ client: conn.client, path, obj: service, operation: 'exposed', fieldManager: flags.fieldManager ?? 'kubectl-expose', dryRun, output: flags.output });
    }
  } finally {
    await conn.client.close();
  }
}
