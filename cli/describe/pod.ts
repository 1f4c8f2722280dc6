/**
 * The pod describer and the pod-template parts the workload describers share (kubectl
 * pkg/describe/describe.go describePod, describeContainers, describeVolumes, DescribePodTemplate).
 */
import { byteCompare, canonicalQty, parseQty, qtyMilli, qtyValue, describeEvents, printAnnotations, printLabels, printTolerations, rfc1123z, since, goSortBy } from './format.js';
import { describeVolumes } from './volumes.js';
import { tabbed, type PrefixWriter } from './writer.js';

/** The controller owner as `Kind/name`, or ''. */
export function controllerOf(obj: any): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: any) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

/** describePod. */
export function describePod(pod: any, events: any[] | undefined): string {
  return tabbed((w) => {
    const spec = pod.spec ?? {};
    const status = pod.status ?? {};
    w.write(0, `Name:\t${pod.metadata.name}\n`);
    w.write(0, `Namespace:\t${pod.metadata.namespace}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
    if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabels(w, 'Labels', pod.metadata.labels);
    printAnnotations(w, 'Annotations', pod.metadata.annotations);
    if (pod.metadata.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(0, `Status:\tTerminating (lasts ${since(pod.metadata.deletionTimestamp)})\n`);
      w.write(0, `Termination Grace Period:\t${pod.metadata.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(0, `Message:\t${status.message}\n`);
    const seccomp = spec.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(0, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(0, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
    }
    w.write(0, `IP:\t${status.podIP ?? ''}\n`);
    if (!status.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
    else {
      w.write(0, 'IPs:\n');
      for (const ip of status.podIPs) w.write(1, `IP:\t${ip.ip}\n`);
    }
    const controlledBy = controllerOf(pod);
    if (controlledBy) w.write(0, `Controlled By:\t${controlledBy}\n`);
    if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    if (spec.resources) {
      w.write(0, 'Resources:\n');
      describeResources(spec.resources, w, 1);
    }
    const env = (e: any) => fieldRefValue(pod, e);
    if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, status.initContainerStatuses, env, w, '');
    describeContainers('Containers', spec.containers ?? [], status.containerStatuses, env, w, '');
    if (spec.ephemeralContainers?.length) describeContainers('Ephemeral Containers', spec.ephemeralContainers, status.ephemeralContainerStatuses, env, w, '');
    describePodConditions(pod, w);
    describeVolumes(spec.volumes, w, '');
    w.write(0, `QoS Class:\t${status.qosClass || computeQos(pod)}\n`);
    printLabels(w, 'Node-Selectors', spec.nodeSelector);
    printTolerations(w, 'Tolerations', spec.tolerations);
    describeTopologySpread(spec.topologySpreadConstraints, w, '');
    describeEvents(events, w);
  });
}

function describePodConditions(pod: any, w: PrefixWriter): void {
  const conditions = pod.status?.conditions ?? [];
  if (pod.spec?.readinessGates?.length) {
    w.write(0, 'Readiness Gates:\n  Type\tStatus\n');
    for (const g of pod.spec.readinessGates) {
      const c = conditions.find((x: any) => x.type === g.conditionType);
      w.write(1, `${g.conditionType} \t${c ? c.status : '<none>'} \n`);
    }
  }
  if (conditions.length > 0) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
}

function describeTopologySpread(tscs: any[] | undefined, w: PrefixWriter, space: string): void {
  if (!tscs?.length) return;
  const sorted = goSortBy(tscs, (a, b) => byteCompare(a.topologyKey, b.topologyKey));
  w.write(0, `${space}Topology Spread Constraints:\t`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, `${space}\t`);
    let text = `${t.topologyKey}:${t.whenUnsatisfiable} when max skew ${t.maxSkew} is exceeded`;
    if (t.labelSelector) text += ` for selector ${selectorText(t.labelSelector)}`;
    w.write(0, `${text}\n`);
  });
}

function selectorText(sel: any): string {
  const parts: string[] = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const r of sel.matchExpressions ?? []) {
    if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.operator === 'In' ? 'in' : 'notin'} (${[...(r.values ?? [])].sort().join(',')})`);
  }
  return parts.length ? parts.sort(byteCompare).join(',') : '<none>';
}

/** qos.ComputePodQOS: Guaranteed when every container limits cpu and memory equal to its requests. */
export function computeQos(pod: any): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined && canonicalQty(req[r]) !== '0') any = true;
      if (lim[r] !== undefined && canonicalQty(lim[r]) !== '0') any = true;
      if (lim[r] === undefined || (req[r] !== undefined && canonicalQty(req[r]) !== canonicalQty(lim[r]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** EnvValueRetriever: kubectl resolves only the metadata field paths (fieldpath.ExtractFieldPathAsString). */
function fieldRefValue(pod: any, e: any): string {
  const path: string = e.valueFrom.fieldRef.fieldPath;
  const m = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (m) return pod.metadata?.[m[1]!]?.[m[2]!] ?? '';
  const meta = pod.metadata ?? {};
  const fmtMap = (o: Record<string, string> | undefined) =>
    Object.keys(o ?? {}).sort().map((k) => `${k}=${JSON.stringify(o![k])}`).join('\n');
  const values: Record<string, string | undefined> = {
    'metadata.name': meta.name,
    'metadata.namespace': meta.namespace,
    'metadata.uid': meta.uid,
    'metadata.labels': fmtMap(meta.labels),
    'metadata.annotations': fmtMap(meta.annotations),
  };
  return values[path] ?? '';
}

/** describeResources: Limits then Requests, each sorted by name. */
export function describeResources(res: any, w: PrefixWriter, level: number): void {
  for (const [title, list] of [['Limits', res?.limits], ['Requests', res?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(byteCompare);
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${canonicalQty(list[n])}\n`);
  }
}

type EnvResolver = ((e: any) => string) | undefined;

/** describeContainers. */
export function describeContainers(label: string, containers: any[], statuses: any[] | undefined, resolve: EnvResolver, w: PrefixWriter, space: string): void {
  const byName = new Map<string, any>((statuses ?? []).map((s: any) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeContainerBasics(c, status, space, w);
    describeCommand(c, w);
    if (status) describeContainerState(status, w);
    describeResources(c.resources, w, 2);
    describeProbes(c, w);
    if (c.envFrom?.length) describeEnvFrom(c, w);
    describeEnv(c, resolve, w);
    describeMounts(c, w);
  }
}

function describeContainerBasics(c: any, status: any, space: string, w: PrefixWriter): void {
  w.write(1, `${space ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
  const ports = (c.ports ?? []).map((p: any) => `${p.containerPort}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
  const hostPorts = (c.ports ?? []).map((p: any) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
  w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
  w.write(2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(2, `SeccompProfile:\t${seccomp.type}\n`);
    if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile}\n`);
  }
}

function describeCommand(c: any, w: PrefixWriter): void {
  for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!list?.length) continue;
    w.write(2, `${title}:\n`);
    for (const item of list) for (const s of String(item).split('\n')) w.write(3, `${s}\n`);
  }
}

function describeContainerState(status: any, w: PrefixWriter): void {
  describeState('State', status.state ?? {}, w);
  if (status.lastState?.terminated) describeState('Last State', status.lastState, w);
  w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
  w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
}

function describeState(name: string, state: any, w: PrefixWriter): void {
  if (state.running) {
    w.write(2, `${name}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state.waiting) {
    w.write(2, `${name}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state.terminated) {
    const t = state.terminated;
    w.write(2, `${name}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else {
    w.write(2, `${name}:\tWaiting\n`);
  }
}

/** DescribeProbe. */
export function describeProbe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const host = g.host ?? '';
    const port = g.port === undefined ? '' : String(g.port);
    const hostPort = port ? (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`) : host;
    return `http-get ${String(g.scheme ?? '').toLowerCase()}://${hostPort}${g.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeProbes(c: any, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function describeEnvFrom(c: any, w: PrefixWriter): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom) {
    const ref = e.configMapRef ?? e.secretRef;
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    const optional = ref?.optional === true;
    if (!e.prefix) w.write(3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
    else w.write(3, `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeEnv(c: any, resolve: EnvResolver, w: PrefixWriter): void {
  const env = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      String(e.value ?? '').split('\n').forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      w.write(3, `${e.name}:\t${resolve ? resolve(e) : ''} (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      const r = from.resourceFieldRef;
      let value = resourceFieldValue(c, r);
      if (value === '0' && (r.resource === 'limits.cpu' || r.resource === 'limits.memory')) value = 'node allocatable';
      w.write(3, `${e.name}:\t${value} (${r.resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${from.secretKeyRef.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${from.configMapKeyRef.optional === true}\n`);
    }
  }
}

/** ExtractContainerResourceValue with the default divisor: whole cores (rounded up) or bytes. */
function resourceFieldValue(c: any, ref: any): string {
  const [kind, name] = String(ref.resource).split('.');
  const raw = c.resources?.[kind === 'limits' ? 'limits' : 'requests']?.[name!];
  const q = parseQty(raw ?? '0');
  if (name === 'cpu') return String(Math.ceil(qtyMilli(q) / 1000));
  return String(qtyValue(q));
}

function describeMounts(c: any, w: PrefixWriter): void {
  const mounts = c.volumeMounts ?? [];
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(2, `Mounts:${none}\n`);
  for (const m of goSortBy(mounts, (a: any, b: any) => byteCompare(a.mountPath, b.mountPath))) {
    const flags = [m.readOnly ? 'ro' : 'rw'];
    if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`);
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  if (c.volumeDevices?.length) {
    w.write(2, `Devices:${none}\n`);
    for (const d of goSortBy(c.volumeDevices, (a: any, b: any) => byteCompare(a.devicePath, b.devicePath))) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

/** DescribePodTemplate. */
export function describePodTemplate(template: any, w: PrefixWriter): void {
  w.write(0, 'Pod Template:\n');
  if (!template) return w.write(1, '<unset>');
  const spec = template.spec ?? {};
  printLabels(w, '  Labels', template.metadata?.labels);
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotations(w, '  Annotations', template.metadata.annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if (spec.initContainers?.length) describeContainers('Init Containers', spec.initContainers, undefined, undefined, w, '  ');
  describeContainers('Containers', spec.containers ?? [], undefined, undefined, w, '  ');
  describeVolumes(spec.volumes, w, '  ');
  describeTopologySpread(spec.topologySpreadConstraints, w, '  ');
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  printLabels(w, '  Node-Selectors', spec.nodeSelector);
  printTolerations(w, '  Tolerations', spec.tolerations);
}
