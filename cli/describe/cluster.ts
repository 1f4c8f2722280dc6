/**
 * Describers of nodes, namespaces, resource quotas and limit ranges (kubectl pkg/describe/describe.go
 * NodeDescriber, NamespaceDescriber, ResourceQuotaDescriber, LimitRangeDescriber).
 */
import { apiPath, listAll, refOf, searchEvents, type DescribeContext } from './fetch.js';
import {
  addQty, byteCompare, canonicalQty, describeEvents, parseQty, printAnnotations, printLabels, printTaints, qtyMilli, qtyString, qtyValue, rfc1123z, since, type Quantity,
} from './format.js';
import { tabbed, type PrefixWriter } from './writer.js';

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);

type Totals = Map<string, Quantity>;

/** resourcehelper.PodRequestsAndLimits: containers summed, init containers as a floor, plus overhead. */
function podRequestsAndLimits(pod: any): { reqs: Totals; limits: Totals } {
  const sum = (key: 'requests' | 'limits') => {
    const total: Totals = new Map();
    for (const c of pod.spec?.containers ?? []) for (const [n, v] of Object.entries(c.resources?.[key] ?? {})) total.set(n, addQty(total.get(n), parseQty(v as string)));
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [n, v] of Object.entries(c.resources?.[key] ?? {})) {
        const q = parseQty(v as string);
        const cur = total.get(n);
        if (!cur || q.nano > cur.nano) total.set(n, q);
      }
    }
    for (const [n, v] of Object.entries(pod.spec?.overhead ?? {})) if (total.has(n)) total.set(n, addQty(total.get(n), parseQty(v as string)));
    return total;
  };
  return { reqs: sum('requests'), limits: sum('limits') };
}

const zero: Quantity = { nano: 0n, binary: false };
const pct = (part: number, whole: number) => (whole === 0 ? 0 : Math.trunc((part / whole) * 100));

function describeNodeResource(pods: any[], node: any, w: PrefixWriter): void {
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const alloc = Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status.allocatable : (node.status?.capacity ?? {});
  const allocCpu = qtyMilli(parseQty(alloc.cpu));
  const allocMem = qtyValue(parseQty(alloc.memory));
  const cell = (q: Quantity | undefined, whole: number, milli: boolean) => {
    const v = q ?? zero;
    return `${qtyString(v)} (${pct(milli ? qtyMilli(v) : qtyValue(v), whole)}%)`;
  };
  for (const pod of pods) {
    const { reqs, limits } = podRequestsAndLimits(pod);
    w.write(
      1,
      `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${cell(reqs.get('cpu'), allocCpu, true)}\t${cell(limits.get('cpu'), allocCpu, true)}\t${cell(reqs.get('memory'), allocMem, false)}\t${cell(limits.get('memory'), allocMem, false)}\t${since(pod.metadata.creationTimestamp)}\n`,
    );
  }
  w.write(0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(1, 'Resource\tRequests\tLimits\n');
  w.write(1, '--------\t--------\t------\n');
  const reqs: Totals = new Map();
  const limits: Totals = new Map();
  for (const pod of pods) {
    const r = podRequestsAndLimits(pod);
    for (const [n, q] of r.reqs) reqs.set(n, addQty(reqs.get(n), q));
    for (const [n, q] of r.limits) limits.set(n, addQty(limits.get(n), q));
  }
  const row = (name: string, whole: number, milli: boolean) => w.write(1, `${name}\t${cell(reqs.get(name), whole, milli)}\t${cell(limits.get(name), whole, milli)}\n`);
  row('cpu', allocCpu, true);
  row('memory', allocMem, false);
  row('ephemeral-storage', qtyValue(parseQty(alloc['ephemeral-storage'])), false);
  const names = Object.keys(alloc);
  for (const n of names.filter((x) => x.startsWith('hugepages-')).sort(byteCompare)) row(n, qtyValue(parseQty(alloc[n])), false);
  const ext = names.filter((x) => !x.startsWith('hugepages-') && !STANDARD_RESOURCES.has(x) && x !== 'pods' && x.includes('/')).sort(byteCompare);
  for (const n of ext) w.write(1, `${n}\t${qtyString(reqs.get(n) ?? zero)}\t${qtyString(limits.get(n) ?? zero)}\n`);
}

function nodeRoles(node: any): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return [...roles].sort(byteCompare);
}

/** NodeDescriber. */
export async function describeNode(ctx: DescribeContext, node: any): Promise<string> {
  const name = node.metadata.name;
  const pods = await listAll(ctx, '/api/v1/pods', { fieldSelector: `spec.nodeName=${name},status.phase!=Succeeded,status.phase!=Failed` });
  let events: any[] | undefined;
  if (ctx.showEvents) {
    const ref = { ...refOf(node), namespace: '' };
    events = [...((await searchEvents(ctx, ref)) ?? []), ...((await searchEvents(ctx, { ...ref, uid: name })) ?? [])];
  }
  let lease: any;
  let leaseErr: unknown;
  try {
    lease = await ctx.client.getJson(apiPath('coordination.k8s.io/v1', 'leases', 'kube-node-lease', name));
  } catch (err) {
    leaseErr = err;
  }
  return tabbed((w) => {
    const roles = nodeRoles(node);
    w.write(0, `Name:\t${name}\n`);
    w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`);
    printLabels(w, 'Labels', node.metadata.labels);
    printAnnotations(w, 'Annotations', node.metadata.annotations);
    w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp)}\n`);
    printTaints(w, 'Taints', node.spec?.taints);
    w.write(0, `Unschedulable:\t${node.spec?.unschedulable === true}\n`);
    if (lease) {
      w.write(0, 'Lease:\n');
      w.write(1, `HolderIdentity:\t${lease.spec?.holderIdentity ?? '<unset>'}\n`);
      w.write(1, `AcquireTime:\t${lease.spec?.acquireTime ? rfc1123z(lease.spec.acquireTime) : '<unset>'}\n`);
      w.write(1, `RenewTime:\t${lease.spec?.renewTime ? rfc1123z(lease.spec.renewTime) : '<unset>'}\n`);
    } else {
      w.write(0, `Lease:\tFailed to get lease: ${(leaseErr as Error).message}\n`);
    }
    describeNodeStatus(node, w);
    describeNodeResource(pods, node, w);
    describeEvents(events, w);
  });
}

function describeNodeStatus(node: any, w: PrefixWriter): void {
  const st = node.status ?? {};
  if (st.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
    for (const c of st.conditions) {
      w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
  }
  w.write(0, 'Addresses:\n');
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    if (!list || Object.keys(list).length === 0) continue;
    w.write(0, `${title}:\n`);
    for (const r of Object.keys(list).sort(byteCompare)) w.write(0, `  ${r}:\t${canonicalQty(list[r])}\n`);
  }
  const info = st.nodeInfo ?? {};
  w.write(0, 'System Info:\n');
  const rows: Array<[string, string]> = [
    ['Machine ID', 'machineID'], ['System UUID', 'systemUUID'], ['Boot ID', 'bootID'], ['Kernel Version', 'kernelVersion'], ['OS Image', 'osImage'],
    ['Operating System', 'operatingSystem'], ['Architecture', 'architecture'], ['Container Runtime Version', 'containerRuntimeVersion'],
    ['Kubelet Version', 'kubeletVersion'], ['Kube-Proxy Version', 'kubeProxyVersion'],
  ];
  for (const [label, key] of rows) w.write(0, `  ${label}:\t${info[key] ?? ''}\n`);
  const spec = node.spec ?? {};
  if (spec.podCIDR) w.write(0, `PodCIDR:\t${spec.podCIDR}\n`);
  if (spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`);
  if (spec.providerID) w.write(0, `ProviderID:\t${spec.providerID}\n`);
}

function describeLimitRangeSpec(spec: any, prefix: string, w: PrefixWriter): void {
  for (const item of spec?.limits ?? []) {
    const names = new Set<string>();
    for (const key of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) for (const n of Object.keys(item[key] ?? {})) names.add(n);
    const v = (key: string, n: string) => (item[key]?.[n] === undefined ? '-' : canonicalQty(item[key][n]));
    for (const n of names) {
      w.write(0, `${prefix}${item.type ?? ''}\t${n}\t${v('min', n)}\t${v('max', n)}\t${v('defaultRequest', n)}\t${v('default', n)}\t${v('maxLimitRequestRatio', n)}\n`);
    }
  }
}

const SCOPE_HELP: Record<string, string> = {
  Terminating: 'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating: 'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort: 'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

/** NamespaceDescriber: the namespace, its quotas and limit ranges. */
export async function describeNamespace(ctx: DescribeContext, ns: any): Promise<string> {
  const name = ns.metadata.name;
  const quotas = await listAll(ctx, apiPath('v1', 'resourcequotas', name));
  const limits = await listAll(ctx, apiPath('v1', 'limitranges', name));
  return tabbed((w) => {
    w.write(0, `Name:\t${name}\n`);
    printLabels(w, 'Labels', ns.metadata.labels);
    printAnnotations(w, 'Annotations', ns.metadata.annotations);
    w.write(0, `Status:\t${ns.status?.phase ?? ''}\n`);
    if (ns.status?.conditions?.length) {
      w.write(0, 'Conditions:\n');
      w.write(1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(1, '----\t------\t------------------\t------\t-------\n');
      for (const c of ns.status.conditions) w.write(1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    w.write(0, '\n');
    if (quotas.length === 0) w.write(0, 'No resource quota.\n');
    else {
      w.write(0, 'Resource Quotas\n');
      for (const q of [...quotas].sort((a, b) => byteCompare(a.metadata.name, b.metadata.name))) {
        w.write(1, `Name:\t${q.metadata.name}\n`);
        const scopes = [...(q.spec?.scopes ?? [])].sort(byteCompare);
        if (scopes.length) {
          w.write(1, `Scopes:\t${scopes.join(', ')}\n`);
          for (const s of scopes) if (SCOPE_HELP[s]) w.write(1, `* ${SCOPE_HELP[s]}\n`);
        }
        w.write(1, 'Resource\tUsed\tHard\n');
        w.write(1, '--------\t---\t---\n');
        const hard = q.status?.hard ?? {};
        for (const r of Object.keys(hard).sort(byteCompare)) w.write(1, `${r}\t${canonicalQty(q.status?.used?.[r] ?? '0')}\t${canonicalQty(hard[r])}\n`);
      }
    }
    w.write(0, '\n');
    if (limits.length === 0) w.write(0, 'No LimitRange resource.\n');
    else {
      w.write(0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
      w.write(0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
      for (const lr of limits) describeLimitRangeSpec(lr.spec, ' ', w);
    }
  });
}

/** ResourceQuotaDescriber. */
export function describeQuota(q: any): string {
  return tabbed((w) => {
    w.write(0, `Name:\t${q.metadata.name}\n`);
    w.write(0, `Namespace:\t${q.metadata.namespace}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort(byteCompare);
    if (scopes.length) {
      w.write(0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(0, 'Resource\tUsed\tHard\n');
    w.write(0, '--------\t----\t----\n');
    const hard = q.status?.hard ?? {};
    for (const r of Object.keys(hard).sort(byteCompare)) {
      const h = parseQty(hard[r]);
      const u = parseQty(q.status?.used?.[r] ?? '0');
      w.write(0, `${r}\t${qtyString({ nano: u.nano, binary: h.binary })}\t${qtyString(h)}\n`);
    }
  });
}

/** LimitRangeDescriber. */
export function describeLimitRange(lr: any): string {
  return tabbed((w) => {
    w.write(0, `Name:\t${lr.metadata.name}\n`);
    w.write(0, `Namespace:\t${lr.metadata.namespace}\n`);
    w.write(0, 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
    w.write(0, '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
    describeLimitRangeSpec(lr.spec, '', w);
  });
}
