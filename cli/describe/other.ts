/**
 * The HorizontalPodAutoscaler, Ingress, RBAC and StorageClass describers, and the generic describer
 * for every other kind (kubectl pkg/describe/describe.go genericDescriber, printUnstructuredContent).
 */
import { formatLabels } from '../../schemas/format/labels.js';
import { apiPath, listAll, refOf, searchEvents, type DescribeContext } from './fetch.js';
import { byteCompare, canonicalQty, describeEvents, printAnnotations, printLabels, rfc1123z } from './format.js';
import { tabbed, type PrefixWriter } from './writer.js';

const q = (v: unknown) => (v === undefined || v === null ? '<unknown>' : canonicalQty(v as string));

function hpaMetric(w: PrefixWriter, m: any, cur: any): void {
  if (m.type === 'Resource') {
    const t = m.resource.target ?? {};
    w.write(1, `resource ${m.resource.name} on pods`);
    if (t.averageValue !== undefined) return w.write(0, `:\t${cur?.resource ? q(cur.resource.current?.averageValue) : '<unknown>'} / ${q(t.averageValue)}\n`);
    const c = cur?.resource?.current;
    const current = c?.averageUtilization !== undefined ? `${c.averageUtilization}% (${q(c.averageValue)})` : '<unknown>';
    return w.write(1, `(as a percentage of request):\t${current} / ${t.averageUtilization !== undefined ? `${t.averageUtilization}%` : '<auto>'}\n`);
  }
  if (m.type === 'Pods') return w.write(1, `"${m.pods.metric.name}" on pods:\t${cur?.pods ? q(cur.pods.current?.averageValue) : '<unknown>'} / ${q(m.pods.target?.averageValue)}\n`);
  w.write(1, `<unknown metric type "${m.type}">\n`);
}

/** HorizontalPodAutoscalerDescriber (autoscaling/v2). */
export async function describeHpa(ctx: DescribeContext, hpa: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(hpa));
  return tabbed((w) => {
    const spec = hpa.spec ?? {};
    const st = hpa.status ?? {};
    w.write(0, `Name:\t${hpa.metadata.name}\n`);
    w.write(0, `Namespace:\t${hpa.metadata.namespace}\n`);
    printLabels(w, 'Labels', hpa.metadata.labels);
    printAnnotations(w, 'Annotations', hpa.metadata.annotations);
    w.write(0, `CreationTimestamp:\t${rfc1123z(hpa.metadata.creationTimestamp)}\n`);
    w.write(0, `Reference:\t${spec.scaleTargetRef?.kind}/${spec.scaleTargetRef?.name}\n`);
    w.write(0, 'Metrics:\t( current / target )\n');
    (spec.metrics ?? []).forEach((m: any, i: number) => hpaMetric(w, m, st.currentMetrics?.[i]));
    w.write(0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
    w.write(0, `Max replicas:\t${spec.maxReplicas ?? 0}\n`);
    if (spec.behavior) {
      w.write(0, 'Behavior:\n');
      for (const [title, rules] of [['Scale Up', spec.behavior.scaleUp], ['Scale Down', spec.behavior.scaleDown]] as const) {
        if (!rules) continue;
        w.write(1, `${title}:\n`);
        if (rules.stabilizationWindowSeconds !== undefined) w.write(2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
        if (rules.policies?.length) {
          w.write(2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
          w.write(2, 'Policies:\n');
          for (const p of rules.policies) w.write(3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
        }
      }
    }
    w.write(0, `${spec.scaleTargetRef?.kind} pods:\t`);
    w.write(0, `${st.currentReplicas ?? 0} current / ${st.desiredReplicas ?? 0} desired\n`);
    if (st.conditions?.length) {
      w.write(0, 'Conditions:\n');
      w.write(1, 'Type\tStatus\tReason\tMessage\n');
      w.write(1, '----\t------\t------\t-------\n');
      for (const c of st.conditions) w.write(1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    describeEvents(events, w);
  });
}

async function backendText(ctx: DescribeContext, ns: string, backend: any): Promise<string> {
  if (backend?.service) {
    const s = backend.service;
    const sb = `${s.name}:${s.port?.number || s.port?.name || ''}`;
    try {
      const slices = await listAll(ctx, apiPath('discovery.k8s.io/v1', 'endpointslices', ns), { labelSelector: `kubernetes.io/service-name=${s.name}` });
      const svc = await ctx.client.getJson(apiPath('v1', 'services', ns, s.name));
      const port = (svc.spec?.ports ?? []).find((p: any) => (s.port?.number && p.port === s.port.number) || (s.port?.name && p.name === s.port.name));
      const eps: string[] = [];
      for (const sl of slices) {
        for (const p of sl.ports ?? []) {
          if ((p.name ?? '') !== (port?.name ?? '')) continue;
          for (const e of sl.endpoints ?? []) if (e.conditions?.ready !== false) eps.push(`${e.addresses[0]}:${p.port}`);
        }
      }
      const text = eps.length > 3 ? `${eps.slice(0, 3).join(',')} + ${eps.length - 3} more...` : eps.join(',') || (slices.length ? '' : '<none>');
      return `${sb} (${text})`;
    } catch (err) {
      return `${sb} (<error: ${(err as Error).message}>)`;
    }
  }
  if (backend?.resource) return `APIGroup: ${backend.resource.apiGroup ?? '<none>'}, Kind: ${backend.resource.kind}, Name: ${backend.resource.name}`;
  return '';
}

/** IngressDescriber (networking.k8s.io/v1). */
export async function describeIngress(ctx: DescribeContext, ing: any): Promise<string> {
  const ns = ing.metadata.namespace;
  const spec = ing.spec ?? {};
  const def = spec.defaultBackend ? await backendText(ctx, ns, spec.defaultBackend) : '<default>';
  const rules: Array<{ host: string; paths: Array<[string, string]> }> = [];
  for (const r of spec.rules ?? []) {
    if (!r.http) continue;
    const paths: Array<[string, string]> = [];
    for (const p of r.http.paths ?? []) paths.push([p.path ?? '', await backendText(ctx, ns, p.backend)]);
    rules.push({ host: r.host || '*', paths });
  }
  const events = await searchEvents(ctx, refOf(ing));
  return tabbed((w) => {
    w.write(0, `Name:\t${ing.metadata.name}\n`);
    printLabels(w, 'Labels', ing.metadata.labels);
    w.write(0, `Namespace:\t${ns}\n`);
    const addrs = [...new Set((ing.status?.loadBalancer?.ingress ?? []).map((i: any) => i.ip || i.hostname).filter(Boolean))].sort() as string[];
    w.write(0, `Address:\t${addrs.join(',')}\n`);
    w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
    w.write(0, `Default backend:\t${def}\n`);
    if (spec.tls?.length) {
      w.write(0, 'TLS:\n');
      for (const t of spec.tls) w.write(1, t.secretName ? `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n` : `SNI routes ${(t.hosts ?? []).join(',')}\n`);
    }
    w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
    w.write(1, '----\t----\t--------\n');
    for (const r of rules) {
      w.write(1, `${r.host}\t\n`);
      for (const [path, backend] of r.paths) w.write(2, `\t${path} \t${backend}\n`);
    }
    if (rules.length === 0) w.write(1, `*\t*\t${def}\n`);
    printAnnotations(w, 'Annotations', ing.metadata.annotations);
    describeEvents(events, w);
  });
}

/** rbac.BreakdownRule: one rule per group, resource and resource name; one per non-resource URL. */
function breakdown(rule: any): any[] {
  const out: any[] = [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      if (rule.resourceNames?.length) for (const n of rule.resourceNames) out.push({ apiGroups: [group], resources: [resource], verbs: rule.verbs ?? [], resourceNames: [n] });
      else out.push({ apiGroups: [group], resources: [resource], verbs: rule.verbs ?? [] });
    }
  }
  for (const url of rule.nonResourceURLs ?? []) out.push({ nonResourceURLs: [url], verbs: rule.verbs ?? [] });
  return out;
}

/** rbac.CompactRules: the verbs of simple rules on the same group, resource and name are merged. */
function compact(rules: any[]): any[] {
  const out: any[] = [];
  const simple = new Map<string, any>();
  for (const r of rules) {
    const isSimple = r.apiGroups?.length === 1 && r.resources?.length === 1 && !r.nonResourceURLs?.length && (r.resourceNames?.length ?? 0) <= 1;
    if (!isSimple) {
      out.push(r);
      continue;
    }
    const key = JSON.stringify([r.apiGroups[0], r.resources[0], r.resourceNames ?? null]);
    const existing = simple.get(key);
    if (existing) existing.verbs = [...existing.verbs, ...r.verbs];
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...out, ...simple.values()];
}

const list = (v: string[] | undefined) => `[${(v ?? []).join(' ')}]`;

/** The gogo-protobuf String() of a PolicyRule, which describe sorts rules by. */
function ruleString(r: any): string {
  return `&PolicyRule{Verbs:${list(r.verbs)},APIGroups:${list(r.apiGroups)},Resources:${list(r.resources)},ResourceNames:${list(r.resourceNames)},NonResourceURLs:${list(r.nonResourceURLs)},}`;
}

/** CombineResourceGroup: `resource.group/subresource`. */
function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [base, sub] = resources[0]!.split(/\/(.*)/s, 2);
  return `${base}${groups?.[0] ? `.${groups[0]}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/** Role/ClusterRole describer: the rules broken down, compacted and sorted as kubectl does. */
export function describeRole(role: any): string {
  const rules = compact((role.rules ?? []).flatMap(breakdown));
  const sorted = rules.map((r, i) => ({ r, i, key: ruleString(r) })).sort((a, b) => byteCompare(a.key, b.key) || a.i - b.i).map((x) => x.r);
  return tabbed((w) => {
    w.write(0, `Name:\t${role.metadata.name}\n`);
    printLabels(w, 'Labels', role.metadata.labels);
    printAnnotations(w, 'Annotations', role.metadata.annotations);
    w.write(0, 'PolicyRule:\n');
    w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
    w.write(1, '---------\t-----------------\t--------------\t-----\n');
    for (const r of sorted) w.write(1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${list(r.nonResourceURLs)}\t${list(r.resourceNames)}\t${list(r.verbs)}\n`);
  });
}

/** PriorityClassDescriber. */
export async function describePriorityClass(ctx: DescribeContext, pc: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(pc));
  return tabbed((w) => {
    w.write(0, `Name:\t${pc.metadata.name}\n`);
    w.write(0, `Value:\t${pc.value ?? 0}\n`);
    w.write(0, `GlobalDefault:\t${pc.globalDefault === true}\n`);
    w.write(0, `PreemptionPolicy:\t${pc.preemptionPolicy ?? ''}\n`);
    w.write(0, `Description:\t${pc.description ?? ''}\n`);
    w.write(0, `Annotations:\t${formatLabels(pc.metadata.annotations)}\n`);
    describeEvents(events, w);
  });
}

/** RoleBinding/ClusterRoleBinding describer. */
export function describeBinding(b: any): string {
  return tabbed((w) => {
    w.write(0, `Name:\t${b.metadata.name}\n`);
    printLabels(w, 'Labels', b.metadata.labels);
    printAnnotations(w, 'Annotations', b.metadata.annotations);
    w.write(0, 'Role:\n');
    w.write(1, `Kind:\t${b.roleRef?.kind ?? ''}\n`);
    w.write(1, `Name:\t${b.roleRef?.name ?? ''}\n`);
    w.write(0, 'Subjects:\n');
    w.write(1, 'Kind\tName\tNamespace\n');
    w.write(1, '----\t----\t---------\n');
    for (const s of b.subjects ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  });
}

/** StorageClassDescriber. */
export async function describeStorageClass(ctx: DescribeContext, sc: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(sc));
  return tabbed((w) => {
    const a = sc.metadata.annotations ?? {};
    const isDefault = a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
    w.write(0, `Name:\t${sc.metadata.name}\n`);
    w.write(0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`);
    w.write(0, `Annotations:\t${formatLabels(a)}\n`);
    w.write(0, `Provisioner:\t${sc.provisioner ?? ''}\n`);
    w.write(0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    w.write(0, `AllowVolumeExpansion:\t${sc.allowVolumeExpansion === undefined ? '<unset>' : sc.allowVolumeExpansion ? 'True' : 'False'}\n`);
    if (!sc.mountOptions?.length) w.write(0, 'MountOptions:\t<none>\n');
    else {
      w.write(0, 'MountOptions:\n');
      for (const o of sc.mountOptions) w.write(1, `${o}\n`);
    }
    if (sc.reclaimPolicy) w.write(0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
    if (sc.volumeBindingMode) w.write(0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
    describeEvents(events, w);
  });
}

/** camelcase.Split + smartLabelFor: `podIP` → `Pod IP`, `apiVersion` → `API Version`. */
export function smartLabel(field: string): string {
  if (/[^\p{L}-]/u.test(field)) return field;
  const parts = field.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[^A-Za-z]+/g) ?? [field];
  return parts
    .map((p) => (['API', 'URL', 'UID', 'OSB', 'GUID'].includes(p.toUpperCase()) ? p.toUpperCase() : p.charAt(0).toUpperCase() + p.slice(1)))
    .join(' ');
}

function printContent(w: PrefixWriter, level: number, content: Record<string, unknown>, prefix: string, skip: Set<string>): void {
  for (const field of Object.keys(content).sort(byteCompare)) {
    const value = content[field];
    const expr = `${prefix}.${field}`;
    if (skip.has(expr)) continue;
    if (Array.isArray(value)) {
      w.write(level, `${smartLabel(field)}:\n`);
      for (const child of value) {
        if (child && typeof child === 'object' && !Array.isArray(child)) printContent(w, level + 1, child as Record<string, unknown>, expr, skip);
        else w.write(level + 1, `${goValue(child)}\n`);
      }
    } else if (value && typeof value === 'object') {
      w.write(level, `${smartLabel(field)}:\n`);
      printContent(w, level + 1, value as Record<string, unknown>, expr, skip);
    } else {
      w.write(level, `${smartLabel(field)}:\t${goValue(value)}\n`);
    }
  }
}

function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue((v as any)[k])}`).join(' ')}]`;
  return String(v);
}

/** The generic describer: every field of the object, then its events. */
export async function describeGeneric(ctx: DescribeContext, obj: any): Promise<string> {
  const events = await searchEvents(ctx, refOf(obj));
  return tabbed((w) => {
    w.write(0, `Name:\t${obj.metadata?.name ?? ''}\n`);
    w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
    printLabels(w, 'Labels', obj.metadata?.labels);
    printAnnotations(w, 'Annotations', obj.metadata?.annotations);
    const skip = new Set(['.metadata.managedFields', '.metadata.name', '.metadata.namespace', '.metadata.labels', '.metadata.annotations']);
    printContent(w, 0, obj, '', skip);
    describeEvents(events, w);
  });
}
