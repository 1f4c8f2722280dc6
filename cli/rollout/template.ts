/**
 * The pod template as `kubectl rollout history --revision=N` and `rollout undo --dry-run=client`
 * print it: kubectl's describe.DescribePodTemplate (kubectl pkg/describe/describe.go) through a
 * prefix writer without a tabwriter, so tabs stay raw. Only what practice templates use is covered:
 * labels, annotations, service account, containers (image, ports, command, resources, probes,
 * env, mounts), the common volume types, node selectors and tolerations.
 */

/** Annotation values longer than this (with their key) are printed on their own lines. */
const MAX_ANNOTATION_LEN = 140;
/** describe never prints the last-applied configuration. */
const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

const level = (n: number) => '  '.repeat(n);

/** printLabelsMultiline: `<title>:\tk=v`, more pairs on `\tk=v` lines, sorted by key. */
function labelsMultiline(title: string, labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  return `${title}:\t` + keys.map((k) => `${k}=${labels![k]}\n`).join('\t');
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** printAnnotationsMultiline: `key: value`, long or multi-line values on indented lines below. */
function annotationsMultiline(title: string, annotations: Record<string, string> | undefined): string {
  const keys = Object.keys(annotations ?? {}).filter((k) => !SKIPPED_ANNOTATIONS.has(k)).sort();
  if (keys.length === 0) return `${title}:\t<none>\n`;
  const parts = keys.map((k) => {
    const value = annotations![k]!.replace(/\n$/, '');
    if (value.length + k.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      return `${k}:\n` + value.split('\n').map((s) => `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`).join('');
    }
    return `${k}: ${value}\n`;
  });
  return `${title}:\t` + parts.join('\t');
}

function tolerationsMultiline(title: string, tolerations: any[] | undefined): string {
  if (!tolerations?.length) return `${title}:\t<none>\n`;
  const lines = tolerations.map((t) => {
    let s = `${t.key ?? ''}`;
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    return `${s}\n`;
  });
  return `${title}:\t` + lines.join('\t');
}

function ports(list: any[] | undefined, field: 'containerPort' | 'hostPort'): string {
  return (list ?? []).map((p) => `${p[field] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
}

function probe(p: any): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const scheme = String(p.httpGet.scheme ?? '').toLowerCase();
    const host = `${p.httpGet.host ?? ''}:${p.httpGet.port ?? ''}`;
    return `http-get ${scheme ? `${scheme}://` : '//'}${host}${p.httpGet.path ?? ''} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port ?? ''} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function resources(r: any): string {
  let out = '';
  for (const kind of ['limits', 'requests'] as const) {
    const names = Object.keys(r?.[kind] ?? {}).sort();
    if (names.length === 0) continue;
    out += `${level(2)}${kind === 'limits' ? 'Limits' : 'Requests'}:\n`;
    out += names.map((n) => `${level(3)}${n}:\t${r[kind][n]}\n`).join('');
  }
  return out;
}

function envVars(c: any): string {
  const env: any[] = c.env ?? [];
  let out = `${level(2)}Environment:${env.length === 0 ? '\t<none>' : ''}\n`;
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      out += String(e.value ?? '').split('\n').map((s, i) => (i === 0 ? `${level(3)}${e.name}:\t${s}\n` : `${level(3)}\t${s}\n`)).join('');
    } else if (from.fieldRef) out += `${level(3)}${e.name}:\t (${from.fieldRef.apiVersion ?? ''}:${from.fieldRef.fieldPath})\n`;
    else if (from.resourceFieldRef) out += `${level(3)}${e.name}:\t (${from.resourceFieldRef.resource})\n`;
    else if (from.secretKeyRef) out += `${level(3)}${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${!!from.secretKeyRef.optional}\n`;
    else if (from.configMapKeyRef) out += `${level(3)}${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${!!from.configMapKeyRef.optional}\n`;
  }
  return out;
}

function envFrom(c: any): string {
  if (!c.envFrom?.length) return '';
  let out = `${level(2)}Environment Variables from:\n`;
  for (const e of c.envFrom) {
    const ref = e.configMapRef ?? e.secretRef ?? {};
    const from = e.configMapRef ? 'ConfigMap' : e.secretRef ? 'Secret' : '';
    out += `${level(3)}${ref.name ?? ''}\t${from}${e.prefix ? ` with prefix '${e.prefix}'` : ''}\tOptional: ${!!ref.optional}\n`;
  }
  return out;
}

function mounts(c: any): string {
  const list: any[] = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  let out = `${level(2)}Mounts:${list.length === 0 ? '\t<none>' : ''}\n`;
  for (const m of list) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    out += `${level(3)}${m.mountPath} from ${m.name} (${flags.join(',')})\n`;
  }
  return out;
}

function container(c: any): string {
  const portText = ports(c.ports, 'containerPort');
  const hostText = ports(c.ports, 'hostPort');
  let out = `${level(1)} ${c.name}:\n${level(2)}Image:\t${c.image ?? ''}\n`;
  out += portText.includes(',') ? `${level(2)}Ports:\t${portText}\n` : `${level(2)}Port:\t${portText || '<none>'}\n`;
  out += hostText.includes(',') ? `${level(2)}Host Ports:\t${hostText}\n` : `${level(2)}Host Port:\t${hostText || '<none>'}\n`;
  for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
    if (list?.length) out += `${level(2)}${title}:\n` + list.flatMap((s: string) => s.split('\n')).map((s: string) => `${level(3)}${s}\n`).join('');
  }
  out += resources(c.resources);
  if (c.livenessProbe) out += `${level(2)}Liveness:\t${probe(c.livenessProbe)}\n`;
  if (c.readinessProbe) out += `${level(2)}Readiness:\t${probe(c.readinessProbe)}\n`;
  if (c.startupProbe) out += `${level(2)}Startup:\t${probe(c.startupProbe)}\n`;
  return out + envFrom(c) + envVars(c) + mounts(c);
}

function volume(v: any): string {
  let body: string;
  if (v.emptyDir) body = `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`;
  else if (v.configMap) body = `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${!!v.configMap.optional}\n`;
  else if (v.secret) body = `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${!!v.secret.optional}\n`;
  else if (v.persistentVolumeClaim) {
    body = `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${v.persistentVolumeClaim.claimName}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`;
  } else if (v.hostPath) body = `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type || '<none>'}\n`;
  else body = 'Type:\t<unknown>\n';
  return `${level(1)} ${v.name}:\n${level(2)}${body}`;
}

/**
 * A pod template as DescribePodTemplate writes it, ending with a newline.
 *
 * @example
 * describePodTemplate(rs.spec.template) // 'Pod Template:\n  Labels:\tapp=web\n…'
 */
export function describePodTemplate(template: any): string {
  const meta = template?.metadata ?? {};
  const spec = template?.spec ?? {};
  let out = 'Pod Template:\n' + labelsMultiline('  Labels', meta.labels);
  if (Object.keys(meta.annotations ?? {}).length > 0) out += annotationsMultiline('  Annotations', meta.annotations);
  if (spec.serviceAccountName) out += `${level(1)}Service Account:\t${spec.serviceAccountName}\n`;
  if (spec.initContainers?.length) out += `  Init Containers:\n` + spec.initContainers.map(container).join('');
  out += `  Containers:${spec.containers?.length ? '' : ' <none>'}\n` + (spec.containers ?? []).map(container).join('');
  out += spec.volumes?.length ? '  Volumes:\n' + spec.volumes.map(volume).join('') : '  Volumes:\t<none>\n';
  if (spec.priorityClassName) out += `${level(1)}Priority Class Name:\t${spec.priorityClassName}\n`;
  return out + labelsMultiline('  Node-Selectors', spec.nodeSelector) + tolerationsMultiline('  Tolerations', spec.tolerations);
}
