import type { KubeObject } from '../../schemas/types/meta.js';
import { StatusError } from '../api/errors.js';
import { generateName, type Random } from '../random.js';
import { deepFreeze, type Store } from '../storage/store.js';

/** Where the ServiceAccount admission plugin mounts the projected token volume. */
const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The bound token lifetime kubelets request (one hour plus the 7 s jitter allowance). */
const TOKEN_EXPIRATION_SECONDS = 3607;
/** DefaultTolerationSeconds: how long pods stay on a not-ready or unreachable node. */
const DEFAULT_TOLERATION_SECONDS = 300;
const DEFAULT_TOLERATION_KEYS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];

interface Toleration { key?: string; operator?: string; effect?: string; tolerationSeconds?: number }

// What admission adds is the same for every pod. Stored objects are frozen and shared, so every
// pod holds these very objects instead of a copy each (about a kilobyte a pod).
const API_ACCESS_SOURCES = deepFreeze([
  { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
  { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
  { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
]);
const DEFAULT_TOLERATIONS = new Map(DEFAULT_TOLERATION_KEYS.map((key): [string, Toleration] => [key, deepFreeze({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS })]));
const DEFAULT_TOLERATION_LIST = deepFreeze([...DEFAULT_TOLERATIONS.values()]);
interface Container { volumeMounts?: Array<{ name: string; mountPath: string; readOnly?: boolean }> }
interface PodSpec {
  serviceAccountName?: string;
  serviceAccount?: string;
  automountServiceAccountToken?: boolean;
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
  tolerations?: Toleration[];
  volumes?: Array<{ name: string }>;
  containers?: Container[];
  initContainers?: Container[];
}

function forbidden(pod: KubeObject, why: string): StatusError {
  return new StatusError(403, 'Forbidden', `pods "${pod.metadata.name ?? ''}" is forbidden: ${why}`, { name: pod.metadata.name ?? '', kind: 'pods' });
}

/** The ServiceAccount plugin: default account, and the projected API access volume in every container. */
function admitServiceAccount(pod: KubeObject, spec: PodSpec, store: Store, random: Random): void {
  // A kubelet's mirror pod stands for a static pod, which can use no API credentials.
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) {
    if (spec.serviceAccountName || spec.serviceAccount) throw forbidden(pod, 'a mirror pod may not reference service accounts');
    return;
  }
  const ns = pod.metadata.namespace ?? '';
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
  const sa = store.get({ resource: 'serviceaccounts', namespace: ns, name });
  // The default account is created by a controller right after the namespace; only a named one must exist.
  if (!sa && name !== 'default') throw forbidden(pod, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
  const saAutomount = (sa?.object as { automountServiceAccountToken?: boolean } | undefined)?.automountServiceAccountToken;
  if (spec.automountServiceAccountToken === false || (spec.automountServiceAccountToken === undefined && saAutomount === false)) return;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH))) return;
  const volume = generateName('kube-api-access-', random);
  // concat sizes the lists exactly: a spread into a literal keeps room for 16 more in every pod.
  spec.volumes = (spec.volumes ?? []).concat({ name: volume, projected: { defaultMode: 420, sources: API_ACCESS_SOURCES } } as { name: string });
  for (const c of containers) c.volumeMounts = (c.volumeMounts ?? []).concat({ name: volume, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
}

/** The Priority plugin: priority and preemptionPolicy from the PriorityClass (or the global default). */
function admitPriority(pod: KubeObject, spec: PodSpec, store: Store): void {
  const classes = store.list('priorityclasses').map((o) => o.object as KubeObject & { value?: number; globalDefault?: boolean; preemptionPolicy?: string });
  let value = 0;
  let policy = 'PreemptLowerPriority';
  const named = spec.priorityClassName;
  const pc = named ? classes.find((c) => c.metadata.name === named) : classes.find((c) => c.globalDefault);
  if (named && !pc) throw forbidden(pod, `no PriorityClass with name ${named} was found`);
  if (pc) {
    value = pc.value ?? 0;
    policy = pc.preemptionPolicy ?? policy;
    if (!named) spec.priorityClassName = pc.metadata.name;
  }
  if (spec.priority !== undefined && spec.priority !== value) {
    throw forbidden(pod, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
  }
  spec.priority = value;
  spec.preemptionPolicy ??= policy;
}

/** DefaultTolerationSeconds: tolerate not-ready and unreachable nodes for 300 s unless told otherwise. */
function admitDefaultTolerations(spec: PodSpec): void {
  // Most pods bring no tolerations of their own: they all get the one list of both.
  if (!spec.tolerations?.length) {
    spec.tolerations = DEFAULT_TOLERATION_LIST;
    return;
  }
  const tolerations = spec.tolerations;
  for (const key of DEFAULT_TOLERATION_KEYS) {
    const covered = tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!covered) tolerations.push(DEFAULT_TOLERATIONS.get(key)!);
  }
  spec.tolerations = tolerations;
}

/**
 * The mutating admission plugins that touch pods at create time, in the apiserver's order:
 * ServiceAccount, Priority, DefaultTolerationSeconds.
 */
export function admitPodCreate(pod: KubeObject, store: Store, random: Random): void {
  const spec = (pod.spec ?? {}) as PodSpec;
  pod.spec = spec;
  admitServiceAccount(pod, spec, store, random);
  admitPriority(pod, spec, store);
  admitDefaultTolerations(spec);
}
