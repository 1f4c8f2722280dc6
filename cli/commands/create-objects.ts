/**
 * The objects `kd create <generator>` builds, as kubectl v1.35.2's generators build them (kubectl
 * pkg/cmd/create/create_deployment.go, create_job.go, create_cronjob.go, create_namespace.go,
 * create_serviceaccount.go, create_quota.go, create_pdb.go, create_priorityclass.go). Keys are inserted in the Go struct
 * order of each type, so `-o json` prints them as kubectl does; `-o yaml` sorts them anyway.
 */

/** Name and (when -n was given) namespace of a generated object. */
export interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

/** ObjectMeta in struct order: name, namespace, labels. */
export function objectMeta(meta: Meta): Record<string, unknown> {
  return {
    name: meta.name,
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
    ...(meta.labels ? { labels: meta.labels } : {}),
  };
}

/** The fields of metav1.ObjectMeta in Go struct order. */
const OBJECT_META_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
];

/** Metadata read from the server, re-keyed in ObjectMeta struct order (unknown keys last). */
export function typedObjectMeta(metadata: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of OBJECT_META_FIELDS) if (k in metadata) out[k] = metadata[k];
  for (const k of Object.keys(metadata)) if (!(k in out)) out[k] = metadata[k];
  return out;
}

/**
 * The container name kubectl derives from an image: its last path segment without tag or digest,
 * `_` and `.` replaced by `-` plus a random suffix (create_deployment.go buildPodSpec, sanitizeAndUniquify).
 */
export function containerNameFromImage(image: string, taken: Set<string>, random: () => string): string {
  let name = image.split('/').pop()!;
  name = name.split(':')[0]!.split('@')[0]!;
  // kubectl makes a name with `_` or `.` valid and unique with a random suffix.
  if (/[_.]/.test(name)) name = `${name.replace(/[_.]/g, '-')}-${random()}`;
  taken.add(name);
  return name;
}

/** Five lowercase alphanumerics, like utilrand.String(5). */
export function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
}

/** `create deployment NAME --image=… [--replicas] [--port] [-- command]`. */
export function buildDeployment(meta: Meta, opts: { images: string[]; replicas: number; port: number; command: string[] }): any {
  const labels = { app: meta.name };
  const taken = new Set<string>();
  const containers = opts.images.map((image, i) => ({
    name: containerNameFromImage(image, taken, randomSuffix),
    image,
    ...(opts.command.length ? { command: opts.command } : {}),
    // Only the first container gets --port.
    ...(i === 0 && opts.port >= 0 ? { ports: [{ containerPort: opts.port }] } : {}),
    resources: {},
  }));
  return {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: objectMeta({ ...meta, labels }),
    spec: {
      replicas: opts.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers } },
      strategy: {},
    },
    status: {},
  };
}

/** A pod template spec of one container named after the object, as create job/cronjob build it. */
function podTemplate(name: string, image: string, command: string[], restartPolicy: string): any {
  const container = { name, image, ...(command.length ? { command } : {}), resources: {} };
  return { metadata: {}, spec: { containers: [container], restartPolicy } };
}

/** `create job NAME --image=… [-- command]`. */
export function buildJob(meta: Meta, image: string, command: string[]): any {
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: objectMeta(meta),
    spec: { template: podTemplate(meta.name, image, command, 'Never') },
    status: {},
  };
}

/** `create job NAME --from=cronjob/CJ`: the CronJob's job template, owned by it, marked manual. */
export function buildJobFromCronJob(meta: Meta, cronJob: any): any {
  const template = cronJob.spec?.jobTemplate ?? {};
  const annotations = { 'cronjob.kubernetes.io/instantiate': 'manual', ...(template.metadata?.annotations ?? {}) };
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      annotations,
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name, uid: cronJob.metadata.uid, controller: true }],
    },
    spec: template.spec ?? {},
    status: {},
  };
}

/** `create cronjob NAME --image=… --schedule=… [--restart] [-- command]`. */
export function buildCronJob(meta: Meta, opts: { image: string; schedule: string; restart: string; command: string[] }): any {
  return {
    kind: 'CronJob',
    apiVersion: 'batch/v1',
    metadata: objectMeta(meta),
    spec: {
      schedule: opts.schedule,
      jobTemplate: { metadata: { name: meta.name }, spec: { template: podTemplate(meta.name, opts.image, opts.command, opts.restart) } },
    },
    status: {},
  };
}

/** `create namespace NAME`. */
export function buildNamespace(name: string): any {
  return { kind: 'Namespace', apiVersion: 'v1', metadata: { name }, spec: {}, status: {} };
}

/** `create serviceaccount NAME`. */
export function buildServiceAccount(meta: Meta): any {
  return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: objectMeta(meta) };
}

/** Parses `--hard=pods=10,cpu=2` (and `--scopes`) into a ResourceQuota. */
export function buildQuota(meta: Meta, hard: string, scopes: string): any {
  const hardMap: Record<string, string> = {};
  for (const pair of hard.split(',').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`invalid argument "${pair}"`);
    hardMap[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  const scopeList = scopes.split(',').filter((s) => s !== '');
  return {
    kind: 'ResourceQuota',
    apiVersion: 'v1',
    metadata: objectMeta(meta),
    spec: { ...(Object.keys(hardMap).length ? { hard: sortedMap(hardMap) } : {}), ...(scopeList.length ? { scopes: scopeList } : {}) },
    status: {},
  };
}

/** `app=web,tier in (a,b)` as a LabelSelector (metav1.ParseToLabelSelector) for equality terms. */
export function parseLabelSelector(selector: string): any {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: any[] = [];
  for (const term of selector.split(',').map((t) => t.trim()).filter((t) => t !== '')) {
    const neq = /^([^!=]+)!=(.*)$/.exec(term);
    const eq = /^([^!=]+)==?(.*)$/.exec(term);
    if (neq) matchExpressions.push({ key: neq[1]!.trim(), operator: 'NotIn', values: [neq[2]!.trim()] });
    else if (eq) matchLabels[eq[1]!.trim()] = eq[2]!.trim();
    else if (term.startsWith('!')) matchExpressions.push({ key: term.slice(1), operator: 'DoesNotExist' });
    else matchExpressions.push({ key: term, operator: 'Exists' });
  }
  return { ...(Object.keys(matchLabels).length ? { matchLabels: sortedMap(matchLabels) } : {}), ...(matchExpressions.length ? { matchExpressions } : {}) };
}

/** An IntOrString flag value: digits are an int, anything else (`50%`) a string. */
export function intOrString(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** `create pdb NAME --selector=… --min-available=N|--max-unavailable=N`. */
export function buildPdb(meta: Meta, opts: { selector: string; minAvailable?: string; maxUnavailable?: string }): any {
  return {
    kind: 'PodDisruptionBudget',
    apiVersion: 'policy/v1',
    metadata: objectMeta(meta),
    spec: {
      ...(opts.minAvailable !== undefined ? { minAvailable: intOrString(opts.minAvailable) } : {}),
      selector: parseLabelSelector(opts.selector),
      ...(opts.maxUnavailable !== undefined ? { maxUnavailable: intOrString(opts.maxUnavailable) } : {}),
    },
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  };
}

/** A map with its keys sorted, as Go's encoder writes a map. */
export function sortedMap<T>(m: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `create priorityclass NAME --value=N`: value, then globalDefault and description when set. */
export function buildPriorityClass(name: string, opts: { value: number; globalDefault: boolean; description: string; preemptionPolicy: string }): any {
  return {
    kind: 'PriorityClass',
    apiVersion: 'scheduling.k8s.io/v1',
    metadata: { name },
    value: opts.value,
    ...(opts.globalDefault ? { globalDefault: true } : {}),
    ...(opts.description ? { description: opts.description } : {}),
    preemptionPolicy: opts.preemptionPolicy,
  };
}
