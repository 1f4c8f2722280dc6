/**
 * Describers of services, endpoints, config, storage, policy and autoscaling objects (kubectl
 * pkg/describe/describe.go ServiceDescriber, EndpointsDescriber, EndpointSliceDescriber,
 * ConfigMapDescriber, SecretDescriber, ServiceAccountDescriber, PersistentVolume(Claim)Describer,
 * PodDisruptionBudgetDescriber, HorizontalPodAutoscalerDescriber, IngressDescriber).
 */
import { formatLabelSelector, formatLabels } from '../../schemas/format/labels.js';
import { apiPath, listAll, refOf, searchEvents, type DescribeContext } from './fetch.js';
import { byteCompare, canonicalQty, describeEvents, intOrString, printAnnotations, printLabels, rfc1123z, since } from './format.js';
import { pvcClass } from './workloads.js';
import { tabbed, type PrefixWriter } from './writer.js';

const MAX_ENDPOINTS = 3;

/** formatEndpointSlices: up to three ready `ip:port` of the named port, then `+ N more...`. */
function formatEndpointSlices(slices: any[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>';
  const list: string[] = [];
  let more = false;
  let count = 0;
  const add = (ep: any, text: () => string) => {
    if (list.length === MAX_ENDPOINTS) more = true;
    if (ep.conditions?.ready === false) return;
    if (!more) list.push(text());
    count++;
  };
  for (const s of slices) {
    if (!s.ports?.length) {
      for (const ep of s.endpoints ?? []) add(ep, () => ep.addresses[0]);
      continue;
    }
    for (const p of s.ports) {
      if (portName !== undefined && (p.name ?? '') !== portName) continue;
      for (const ep of s.endpoints ?? []) add(ep, () => (ep.addresses[0].includes(':') ? `[${ep.addresses[0]}]:${p.port}` : `${ep.addresses[0]}:${p.port}`));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX_ENDPOINTS} more...` : text;
}

/** ServiceDescriber. */
export async function describeService(ctx: DescribeContext, svc: any): Promise<string> {
  let slices: any[] = [];
  try {
    slices = await listAll(ctx, apiPath('discovery.k8s.io/v1', 'endpointslices', svc.metadata.namespace), { labelSelector: `kubernetes.io/service-name=${svc.metadata.name}` });
  } catch {
    slices = [];
  }
  const events = await searchEvents(ctx, refOf(svc));
  return tabbed((w) => {
    const spec = svc.spec ?? {};
    w.write(0, `Name:\t${svc.metadata.name}\n`);
    w.write(0, `Namespace:\t${svc.metadata.namespace}\n`);
    printLabels(w, 'Labels', svc.metadata.labels);
    printAnnotations(w, 'Annotations', svc.metadata.annotations);
    w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
    w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
    if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map((i: any) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : i.hostname)).join(', ')}\n`);
    for (const p of spec.ports ?? []) {
      const name = p.name || '<unset>';
      const proto = p.protocol ?? 'TCP';
      w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
      w.write(0, `TargetPort:\t${intOrString(p.targetPort)}/${proto}\n`);
      if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
      w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
    }
    w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
    if (spec.trafficDistribution) w.write(0, `Traffic Distribution:\t${spec.trafficDistribution}\n`);
    describeEvents(events, w);
  });
}

function header(w: PrefixWriter, obj: any): void {
  w.write(0, `Name:\t${obj.metadata.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  printLabels(w, 'Labels', obj.metadata.labels);
  printAnnotations(w, 'Annotations', obj.metadata.annotations);
}

/** EndpointsDescriber. */
export async function describeEndpoints(ctx: DescribeContext, ep: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(ep));
  return tabbed((w) => {
    header(w, ep);
    w.write(0, 'Subsets:\n');
    for (const s of ep.subsets ?? []) {
      w.write(1, `Addresses:\t${(s.addresses ?? []).map((a: any) => a.ip).join(',') || '<none>'}\n`);
      w.write(1, `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a: any) => a.ip).join(',') || '<none>'}\n`);
      if (s.ports?.length) {
        w.write(1, 'Ports:\n');
        w.write(2, 'Name\tPort\tProtocol\n');
        w.write(2, '----\t----\t--------\n');
        for (const p of s.ports) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? 'TCP'}\n`);
      }
      w.write(0, '\n');
    }
    describeEvents(events, w);
  });
}

/** EndpointSliceDescriber (discovery.k8s.io/v1). */
export async function describeEndpointSlice(ctx: DescribeContext, eps: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(eps));
  return tabbed((w) => {
    header(w, eps);
    w.write(0, `AddressType:\t${eps.addressType ?? ''}\n`);
    if (!eps.ports?.length) w.write(0, 'Ports: <unset>\n');
    else {
      w.write(0, 'Ports:\n');
      w.write(1, 'Name\tPort\tProtocol\n');
      w.write(1, '----\t----\t--------\n');
      for (const p of eps.ports) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
    }
    if (!eps.endpoints?.length) w.write(0, 'Endpoints: <none>\n');
    else {
      w.write(0, 'Endpoints:\n');
      for (const e of eps.endpoints) {
        w.write(1, `- Addresses:\t${(e.addresses ?? []).join(', ') || '<none>'}\n`);
        w.write(2, 'Conditions:\n');
        w.write(3, `Ready:\t${e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)}\n`);
        w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
        if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`);
        w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
        w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
      }
    }
    describeEvents(events, w);
  });
}

/** ConfigMapDescriber (keys sorted: Go's map order is random, so no order is more faithful). */
export async function describeConfigMap(ctx: DescribeContext, cm: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(cm));
  return tabbed((w) => {
    header(w, cm);
    w.write(0, '\nData\n====\n');
    for (const k of Object.keys(cm.data ?? {}).sort(byteCompare)) {
      w.write(0, `${k}:\n----\n`);
      w.write(0, `${cm.data[k]}\n`);
      w.write(0, '\n');
    }
    w.write(0, '\nBinaryData\n====\n');
    for (const k of Object.keys(cm.binaryData ?? {}).sort(byteCompare)) w.write(0, `${k}: ${Buffer.from(cm.binaryData[k], 'base64').length} bytes\n`);
    w.write(0, '\n');
    describeEvents(events, w);
  });
}

/** SecretDescriber. */
export function describeSecret(secret: any): string {
  return tabbed((w) => {
    header(w, secret);
    w.write(0, `\nType:\t${secret.type ?? ''}\n`);
    w.write(0, '\nData\n====\n');
    for (const k of Object.keys(secret.data ?? {}).sort(byteCompare)) {
      const bytes = Buffer.from(secret.data[k], 'base64');
      if (k === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(0, `${k}:\t${bytes.toString()}\n`);
      else w.write(0, `${k}:\t${bytes.length} bytes\n`);
    }
  });
}

/** ServiceAccountDescriber: kubectl 1.35 lists only the image pull secrets. */
export async function describeServiceAccount(ctx: DescribeContext, sa: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(sa));
  return tabbed((w) => {
    header(w, sa);
    const names: string[] = (sa.imagePullSecrets ?? []).map((s: any) => s.name);
    if (names.length === 0) w.write(0, 'Image pull secrets:\t<none>\n');
    names.forEach((n, i) => w.write(0, `${i === 0 ? 'Image pull secrets:' : ' '.repeat(19)}\t${n}\n`));
    describeEvents(events, w);
  });
}

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };

function accessModes(modes: string[] | undefined): string {
  const seen: string[] = [];
  for (const m of ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']) if (modes?.includes(m)) seen.push(ACCESS_MODES[m]!);
  return seen.join(',');
}

/** PersistentVolumeClaimDescriber. */
export async function describePvc(ctx: DescribeContext, pvc: any): Promise<string> {
  const pods = await listAll(ctx, apiPath('v1', 'pods', pvc.metadata.namespace));
  const users = pods.filter((p) => (p.spec?.volumes ?? []).some((v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata.name));
  for (const ref of pvc.metadata.ownerReferences ?? []) {
    const owner = ref.kind === 'Pod' ? pods.find((p) => p.metadata.uid === ref.uid) : undefined;
    if (owner && !users.includes(owner)) users.push(owner);
  }
  const events = await searchEvents(ctx, refOf(pvc));
  return tabbed((w) => {
    const spec = pvc.spec ?? {};
    w.write(0, `Name:\t${pvc.metadata.name}\n`);
    w.write(0, `Namespace:\t${pvc.metadata.namespace}\n`);
    w.write(0, `StorageClass:\t${pvcClass(pvc)}\n`);
    w.write(0, pvc.metadata.deletionTimestamp ? `Status:\tTerminating (lasts ${since(pvc.metadata.deletionTimestamp)})\n` : `Status:\t${pvc.status?.phase ?? ''}\n`);
    w.write(0, `Volume:\t${spec.volumeName ?? ''}\n`);
    printLabels(w, 'Labels', pvc.metadata.labels);
    printAnnotations(w, 'Annotations', pvc.metadata.annotations);
    w.write(0, `Finalizers:\t[${(pvc.metadata.finalizers ?? []).join(' ')}]\n`);
    const bound = !!spec.volumeName;
    w.write(0, `Capacity:\t${bound && pvc.status?.capacity?.storage !== undefined ? canonicalQty(pvc.status.capacity.storage) : bound ? '0' : ''}\n`);
    w.write(0, `Access Modes:\t${bound ? accessModes(pvc.status?.accessModes) : ''}\n`);
    if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
    if (spec.dataSource) {
      w.write(0, 'DataSource:\n');
      if (spec.dataSource.apiGroup) w.write(1, `APIGroup:\t${spec.dataSource.apiGroup}\n`);
      w.write(1, `Kind:\t${spec.dataSource.kind}\n`);
      w.write(1, `Name:\t${spec.dataSource.name}\n`);
    }
    w.write(0, 'Used By:\t');
    const names = users.map((p) => p.metadata.name).sort(byteCompare);
    if (names.length === 0) w.writeLine('<none>');
    names.forEach((n, i) => w.write(0, `${i === 0 ? '' : '\t'}${n}\n`));
    if (pvc.status?.conditions?.length) {
      w.write(0, 'Conditions:\n');
      w.write(1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of pvc.status.conditions) w.write(1, `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`);
    }
    describeEvents(events, w);
  });
}

/** PersistentVolumeDescriber (hostPath, local, nfs and csi sources). */
export async function describePv(ctx: DescribeContext, pv: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(pv));
  return tabbed((w) => {
    const spec = pv.spec ?? {};
    w.write(0, `Name:\t${pv.metadata.name}\n`);
    printLabels(w, 'Labels', pv.metadata.labels);
    printAnnotations(w, 'Annotations', pv.metadata.annotations);
    w.write(0, `Finalizers:\t[${(pv.metadata.finalizers ?? []).join(' ')}]\n`);
    w.write(0, `StorageClass:\t${pv.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? spec.storageClassName ?? ''}\n`);
    w.write(0, pv.metadata.deletionTimestamp ? `Status:\tTerminating (lasts ${since(pv.metadata.deletionTimestamp)})\n` : `Status:\t${pv.status?.phase ?? ''}\n`);
    w.write(0, `Claim:\t${spec.claimRef ? `${spec.claimRef.namespace}/${spec.claimRef.name}` : ''}\n`);
    w.write(0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
    w.write(0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
    if (spec.volumeMode) w.write(0, `VolumeMode:\t${spec.volumeMode}\n`);
    w.write(0, `Capacity:\t${canonicalQty(spec.capacity?.storage ?? '0')}\n`);
    describeNodeAffinity(spec.nodeAffinity, w);
    w.write(0, `Message:\t${pv.status?.message ?? ''}\n`);
    w.write(0, 'Source:\n');
    if (spec.hostPath) w.write(2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${spec.hostPath.path}\n    HostPathType:\t${spec.hostPath.type ?? '<none>'}\n`);
    else if (spec.local) w.write(2, `Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t${spec.local.path}\n`);
    else if (spec.nfs) w.write(2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${spec.nfs.server}\n    Path:\t${spec.nfs.path}\n    ReadOnly:\t${spec.nfs.readOnly === true}\n`);
    else w.write(1, '<unknown>\n');
    describeEvents(events, w);
  });
}

function describeNodeAffinity(affinity: any, w: PrefixWriter): void {
  w.write(0, 'Node Affinity:\t');
  if (!affinity?.required) return w.writeLine('<none>');
  w.writeLine('');
  w.write(1, 'Required Terms:\t');
  const terms = affinity.required.nodeSelectorTerms ?? [];
  if (terms.length === 0) return w.writeLine('<none>');
  w.writeLine('');
  terms.forEach((term: any, i: number) => {
    w.write(2, `Term ${i}:\t`);
    const reqs = term.matchExpressions ?? [];
    if (reqs.length === 0) return w.writeLine('<none>');
    reqs.forEach((r: any, j: number) => {
      if (j !== 0) w.write(2, '\t');
      const values = r.values?.length ? ` [${r.values.join(', ')}]` : '';
      w.write(0, `${r.key} ${String(r.operator).toLowerCase()}${values}\n`);
    });
  });
}

/** PodDisruptionBudgetDescriber. */
export async function describePdb(ctx: DescribeContext, pdb: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(pdb));
  return tabbed((w) => {
    const spec = pdb.spec ?? {};
    const st = pdb.status ?? {};
    w.write(0, `Name:\t${pdb.metadata.name}\n`);
    w.write(0, `Namespace:\t${pdb.metadata.namespace}\n`);
    if (spec.minAvailable !== undefined) w.write(0, `Min available:\t${intOrString(spec.minAvailable)}\n`);
    else if (spec.maxUnavailable !== undefined) w.write(0, `Max unavailable:\t${intOrString(spec.maxUnavailable)}\n`);
    w.write(0, `Selector:\t${spec.selector ? formatLabelSelector(spec.selector) : '<unset>'}\n`);
    w.write(0, 'Status:\n');
    w.write(2, `Allowed disruptions:\t${st.disruptionsAllowed ?? 0}\n`);
    w.write(2, `Current:\t${st.currentHealthy ?? 0}\n`);
    w.write(2, `Desired:\t${st.desiredHealthy ?? 0}\n`);
    w.write(2, `Total:\t${st.expectedPods ?? 0}\n`);
    describeEvents(events, w);
  });
}
