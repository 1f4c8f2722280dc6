// Per-field patch metadata for the built-in kinds, keyed by schema definition name.
//
// definitions.json is generated from kubernetes-types, which drops the Go struct tags
// (`patchStrategy`, `patchMergeKey`) and the `+listType`/`+listMapKey`/`+mapType`/`+structType`
// markers, so this table restates them. The patch strategies and merge keys were checked against
// kubectl v1.35.2 itself: `kubectl patch --local --type strategic` applies SMP with its compiled-in
// structs, so a list that merges reveals its merge key in the "does not contain declared merge key"
// error, and an atomic list is simply replaced. List types follow upstream's markers in
// staging/src/k8s.io/api/*/types.go and apimachinery pkg/apis/meta/v1/types.go.
//
// Only fields that differ from the defaults are listed: a list without an entry is atomic and
// replaced whole; a map or struct without an entry merges key by key.
import type { FieldMeta } from './patch-meta.js';

const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ADMISSION = 'io.k8s.api.admissionregistration.';
const FLOWCONTROL = 'io.k8s.api.flowcontrol.';

/** A list of objects merged by `key` in SMP and keyed by `mapKeys` (default: the merge key) in SSA. */
function mergeBy(key: string, mapKeys: string[] = [key]): FieldMeta {
  return { patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: mapKeys };
}

/** `mergeBy` plus `retainKeys`: kubectl sends `$retainKeys` inside each element (volumes, claims). */
function mergeRetainBy(key: string): FieldMeta {
  return { ...mergeBy(key), patchStrategy: 'merge,retainKeys' };
}

/** A list of scalars merged as a set (finalizers, podCIDRs); deletions use `$deleteFromPrimitiveList`. */
const MERGED_SET: FieldMeta = { patchStrategy: 'merge', listType: 'set' };
/** A list of scalars replaced whole by SMP but owned element by element by SSA. */
const SET: FieldMeta = { listType: 'set' };
/** A list keyed for SSA that SMP still replaces whole (no patch strategy upstream). */
function mapOnly(...keys: string[]): FieldMeta {
  return { listType: 'map', listMapKeys: keys };
}
const ATOMIC_MAP: FieldMeta = { mapType: 'atomic' };
const CONDITIONS = mergeBy('type');

// Fields of Container that EphemeralContainer repeats (it inlines EphemeralContainerCommon).
const CONTAINER_FIELDS: Record<string, FieldMeta> = {
  // SSA keys ports by (containerPort, protocol) although SMP merges on containerPort alone.
  ports: mergeBy('containerPort', ['containerPort', 'protocol']),
  env: mergeBy('name'),
  volumeMounts: mergeBy('mountPath'),
  volumeDevices: mergeBy('devicePath'),
};

const CORE_TABLE: Record<string, Record<string, FieldMeta>> = {
  PodSpec: {
    volumes: mergeRetainBy('name'),
    initContainers: mergeBy('name'),
    containers: mergeBy('name'),
    ephemeralContainers: mergeBy('name'),
    imagePullSecrets: mergeBy('name'),
    hostAliases: mergeBy('ip'),
    // Upstream has no merge key here: tolerations are replaced whole by SMP.
    tolerations: { listType: 'atomic' },
    topologySpreadConstraints: mergeBy('topologyKey', ['topologyKey', 'whenUnsatisfiable']),
    resourceClaims: mergeRetainBy('name'),
    schedulingGates: mergeBy('name'),
    nodeSelector: ATOMIC_MAP,
  },
  Container: CONTAINER_FIELDS,
  EphemeralContainer: CONTAINER_FIELDS,
  ResourceRequirements: { claims: mapOnly('name') },
  PodStatus: {
    conditions: CONDITIONS,
    // Merged by ip in SMP, yet atomic for SSA upstream.
    hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
    podIPs: mergeBy('ip'),
    resourceClaimStatuses: mergeRetainBy('name'),
  },
  ContainerStatus: { volumeMounts: mergeBy('mountPath') },
  NodeSpec: { podCIDRs: MERGED_SET, taints: { listType: 'atomic' } },
  NodeStatus: { conditions: CONDITIONS, addresses: mergeBy('type') },
  ServiceSpec: {
    ports: mergeBy('port', ['port', 'protocol']),
    selector: ATOMIC_MAP,
  },
  ServiceStatus: { conditions: CONDITIONS },
  ServiceAccount: { secrets: mergeBy('name') },
  NamespaceStatus: { conditions: CONDITIONS },
  PersistentVolumeClaimStatus: { conditions: CONDITIONS },
  ReplicationControllerSpec: { selector: ATOMIC_MAP },
  ReplicationControllerStatus: { conditions: CONDITIONS },
  ComponentStatus: { conditions: CONDITIONS },
};

const APPS_TABLE: Record<string, Record<string, FieldMeta>> = {
  // kubectl sends `$retainKeys` here so that switching to Recreate clears rollingUpdate.
  DeploymentSpec: { strategy: { patchStrategy: 'retainKeys' } },
  DeploymentStatus: { conditions: CONDITIONS },
  ReplicaSetStatus: { conditions: CONDITIONS },
  StatefulSetStatus: { conditions: CONDITIONS },
  DaemonSetStatus: { conditions: CONDITIONS },
};

const BATCH_TABLE: Record<string, Record<string, FieldMeta>> = {
  // Merged by type in SMP, yet declared atomic for SSA upstream.
  JobStatus: { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
  UncountedTerminatedPods: { succeeded: SET, failed: SET },
  PodFailurePolicyOnExitCodesRequirement: { values: SET },
};

const META_TABLE: Record<string, Record<string, FieldMeta>> = {
  ObjectMeta: {
    finalizers: MERGED_SET,
    ownerReferences: mergeBy('uid'),
    managedFields: { listType: 'atomic' },
  },
  LabelSelector: { matchExpressions: { listType: 'atomic' } },
};

const OTHER_TABLE: Record<string, Record<string, FieldMeta>> = {
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': { selector: { patchStrategy: 'replace' } },
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: CONDITIONS },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: CONDITIONS },
  'io.k8s.api.storage.v1.CSINodeSpec': { drivers: mergeBy('name') },
  'io.k8s.api.storage.v1.CSIDriverSpec': { volumeLifecycleModes: SET },
  'io.k8s.api.discovery.v1.Endpoint': { addresses: SET },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus': { conditions: mapOnly('type') },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': { conditions: mapOnly('type') },
  'io.k8s.api.resource.v1alpha2.ResourceClaimStatus': { reservedFor: mergeBy('uid') },
};

// Structs upstream marks +structType=atomic (SSA replaces them as a unit; SMP still merges them).
const ATOMIC_STRUCTS = [
  `${META}LabelSelector`, `${CORE}NodeSelector`, `${CORE}NodeSelectorTerm`, `${CORE}TopologySelectorTerm`,
  `${CORE}LocalObjectReference`, `${CORE}TypedLocalObjectReference`, `${CORE}ObjectReference`,
  `${CORE}ConfigMapKeySelector`, `${CORE}SecretKeySelector`, `${CORE}ObjectFieldSelector`,
  `${CORE}ResourceFieldSelector`, `${CORE}SecretReference`, `${META}OwnerReference`,
];

/** Adds the admission and flow-control rows, which repeat across their served versions. */
function versionedRows(table: Record<string, Record<string, FieldMeta>>): void {
  table[`${ADMISSION}v1.MutatingWebhookConfiguration`] = { webhooks: mergeBy('name') };
  table[`${ADMISSION}v1.ValidatingWebhookConfiguration`] = { webhooks: mergeBy('name') };
  table[`${ADMISSION}v1.MutatingWebhook`] = { matchConditions: mergeBy('name') };
  table[`${ADMISSION}v1.ValidatingWebhook`] = { matchConditions: mergeBy('name') };
  for (const v of ['v1', 'v1beta1', 'v1alpha1']) {
    table[`${ADMISSION}${v}.ValidatingAdmissionPolicySpec`] = { matchConditions: mergeBy('name'), variables: mergeBy('name') };
    table[`${ADMISSION}${v}.ValidatingAdmissionPolicyStatus`] = { conditions: mapOnly('type') };
    table[`${ADMISSION}${v}.ValidatingAdmissionPolicyBindingSpec`] = { validationActions: SET };
  }
  for (const v of ['v1', 'v1beta3']) {
    table[`${FLOWCONTROL}${v}.FlowSchemaStatus`] = { conditions: CONDITIONS };
    table[`${FLOWCONTROL}${v}.PriorityLevelConfigurationStatus`] = { conditions: CONDITIONS };
  }
}

/** Builds the table: definition name → field → metadata. */
function buildTable(): Map<string, Record<string, FieldMeta>> {
  const table: Record<string, Record<string, FieldMeta>> = { ...OTHER_TABLE };
  const prefixed: [string, Record<string, Record<string, FieldMeta>>][] = [
    [CORE, CORE_TABLE], [APPS, APPS_TABLE], [BATCH, BATCH_TABLE], [META, META_TABLE],
  ];
  for (const [prefix, rows] of prefixed) {
    for (const [name, fields] of Object.entries(rows)) table[prefix + name] = fields;
  }
  versionedRows(table);
  return new Map(Object.entries(table));
}

/** Explicit patch metadata per definition and field; fields not listed use the defaults. */
export const PATCH_META_TABLE: ReadonlyMap<string, Readonly<Record<string, FieldMeta>>> = buildTable();

/** Definitions upstream declares `+structType=atomic`. */
export const ATOMIC_STRUCT_DEFINITIONS: ReadonlySet<string> = new Set(ATOMIC_STRUCTS);
