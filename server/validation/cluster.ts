/**
 * Cluster-infrastructure kinds: Node (taints, podCIDRs), PersistentVolume, PersistentVolumeClaim,
 * Lease and PriorityClass. Port of the matching functions of kubernetes
 * `pkg/apis/core/validation/validation.go`, `pkg/apis/coordination/validation` and
 * `pkg/apis/scheduling/validation`.
 */
import { forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { asArr, asObj, asStr, deepEqual, goStruct, isSet, validateImmutableField, validateLabelName, validateLabelSelector, type Obj } from './metadata.js';
import { isIP, isValidLabelValue, nameIsDNSSubdomain } from './names.js';
import { formatQuantity, parseQuantity } from './pod-fields.js';
import { specDiff } from './pod.js';
import { cloneJSON } from '../registry/strategy.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * validateNodeTaints. Upstream passes the metadata path here, so taint errors print as
 * `metadata.taints[0]…` rather than `spec.taints[0]…`.
 */
function validateNodeTaints(taints: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  taints.map(asObj).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = asStr(t.key);
    const effect = asStr(t.effect);
    errs.push(...validateLabelName(key, `${p}.key`));
    const valueErrs = isValidLabelValue(asStr(t.value));
    if (valueErrs.length > 0) errs.push(invalid(`${p}.value`, asStr(t.value), valueErrs.join(';')));
    if (!effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, TAINT_EFFECTS));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      const shown = goStruct([['Key', key], ['Value', asStr(t.value)], ['Effect', effect], ['TimeAdded', t.timeAdded ?? null]]);
      errs.push({ type: 'FieldValueDuplicate', field: p, value: shown, detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(id);
  });
  return errs;
}

/** ValidateNode's spec part: taints and well-formed pod CIDRs. */
export function validateNodeSpec(node: Obj): FieldError[] {
  const spec = asObj(node.spec);
  const errs = validateNodeTaints(asArr(spec.taints), 'metadata.taints');
  asArr(spec.podCIDRs).map(asStr).forEach((cidr, i) => {
    const [ip, bits] = cidr.split('/');
    if (!isIP(ip ?? '') || !/^\d+$/.test(bits ?? '')) errs.push(invalid(`spec.podCIDRs[${i}]`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
  });
  return errs;
}

/** ValidateNodeUpdate: podCIDRs and providerID are write-once. */
export function validateNodeSpecUpdate(node: Obj, old: Obj): FieldError[] {
  const spec = asObj(node.spec);
  const oldSpec = asObj(old.spec);
  const errs: FieldError[] = [];
  const oldCIDRs = asArr(oldSpec.podCIDRs);
  if (oldCIDRs.length > 0 && !deepEqual(oldCIDRs, asArr(spec.podCIDRs))) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (asStr(oldSpec.providerID) && oldSpec.providerID !== spec.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateNodeTaints(asArr(spec.taints), 'metadata.taints'));
  return errs;
}

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

function validateAccessModes(modes: unknown[], field: string, requiredMsg: string): FieldError[] {
  const errs: FieldError[] = [];
  if (modes.length === 0) errs.push(required(field, requiredMsg));
  for (const m of modes.map(asStr)) if (!ACCESS_MODES.includes(m)) errs.push(notSupported(field, m, ACCESS_MODES));
  const list = modes.map(asStr);
  if (list.includes('ReadWriteOncePod') && list.some((m) => m !== 'ReadWriteOncePod' && ACCESS_MODES.includes(m))) {
    errs.push(forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  }
  return errs;
}

function validateStorageClassAndMode(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const sc = asStr(spec.storageClassName);
  if (sc) errs.push(...nameIsDNSSubdomain(sc, false).map((m) => invalid('spec.storageClassName', sc, m)));
  if (isSet(spec, 'volumeMode') && !VOLUME_MODES.includes(asStr(spec.volumeMode))) errs.push(notSupported('spec.volumeMode', asStr(spec.volumeMode), VOLUME_MODES));
  return errs;
}

/**
 * ValidatePersistentVolumeClaimSpec and, given the stored spec, the update rule: the spec is
 * fixed except volumeName (set once) and, for bound claims, the storage request.
 */
export function validatePersistentVolumeClaimSpec(spec: Obj, old: Obj | undefined, bound: boolean): FieldError[] {
  const errs = validateAccessModes(asArr(spec.accessModes), 'spec.accessModes', 'at least 1 access mode is required');
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const requests = asObj(asObj(spec.resources).requests);
  const storage = parseQuantity(requests.storage);
  if (!('storage' in requests)) errs.push(required('spec.resources[storage]'));
  else if (storage && storage.nano <= 0n) errs.push(invalid('spec.resources[storage]', formatQuantity(storage), 'must be greater than zero'));
  errs.push(...validateStorageClassAndMode(spec));
  if (!old) return errs;
  const cur = cloneJSON(spec);
  const prev = cloneJSON(old);
  if (!asStr(old.volumeName)) prev.volumeName = cur.volumeName;
  if (bound) asObj(asObj(cur.resources).requests).storage = asObj(asObj(prev.resources).requests).storage;
  if (!deepEqual(cur, prev)) {
    errs.push(forbidden('spec', `spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n${specDiff('core.PersistentVolumeClaimSpec', prev, cur)}`));
  }
  // Upstream checks volumeMode on a path without the `spec.` prefix.
  errs.push(...validateImmutableField(spec.volumeMode, old.volumeMode, 'volumeMode'));
  return errs;
}

const PV_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'glusterfs', 'flocker', 'nfs', 'rbd', 'quobyte', 'cephfs', 'iscsi',
  'cinder', 'fc', 'flexVolume', 'azureFile', 'vsphereVolume', 'photonPersistentDisk', 'portworxVolume', 'azureDisk', 'scaleIO',
  'local', 'storageos', 'csi',
];

/** ValidatePersistentVolumeSpec (main checks) and, on update, the immutable volume source. */
export function validatePersistentVolumeSpec(spec: Obj, old: Obj | undefined): FieldError[] {
  const errs = validateAccessModes(asArr(spec.accessModes), 'spec.accessModes', '');
  const capacity = asObj(spec.capacity);
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(notSupported('spec.capacity', capacity, ['storage']));
  for (const [name, raw] of Object.entries(capacity)) {
    const q = parseQuantity(raw);
    if (q && q.nano <= 0n) errs.push(invalid(`spec.capacity[${name}]`, formatQuantity(q), 'must be greater than zero'));
  }
  const policy = asStr(spec.persistentVolumeReclaimPolicy);
  if (policy && !['Delete', 'Recycle', 'Retain'].includes(policy)) errs.push(notSupported('spec.persistentVolumeReclaimPolicy', policy, ['Delete', 'Recycle', 'Retain']));
  const sources = PV_SOURCES.filter((k) => isSet(spec, k));
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  for (const extra of sources.slice(1)) errs.push(forbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  if (isSet(spec, 'hostPath') && !asStr(asObj(spec.hostPath).path)) errs.push(required('spec.hostPath.path'));
  errs.push(...validateStorageClassAndMode(spec));
  if (!old) return errs;
  const pick = (s: Obj): Obj => Object.fromEntries(PV_SOURCES.filter((k) => isSet(s, k)).map((k) => [k, s[k]]));
  if (!deepEqual(pick(spec), pick(old))) {
    errs.push(forbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${specDiff('core.PersistentVolumeSource', pick(old), pick(spec))}`));
  }
  errs.push(...validateImmutableField(spec.volumeMode, old.volumeMode, 'volumeMode'));
  return errs;
}

/** ValidateLeaseSpec: a positive duration and non-negative transitions. */
export function validateLeaseSpec(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof s.leaseDurationSeconds === 'number' && s.leaseDurationSeconds <= 0) errs.push(invalid('spec.leaseDurationSeconds', s.leaseDurationSeconds, 'must be greater than 0'));
  if (typeof s.leaseTransitions === 'number' && s.leaseTransitions < 0) errs.push(invalid('spec.leaseTransitions', s.leaseTransitions, 'must be greater than or equal to 0'));
  return errs;
}

/** The system priority classes and their fixed values (scheduling.SystemPriorityClasses). */
const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;

/** ValidatePriorityClass / ValidatePriorityClassUpdate: value range, system names, immutable value. */
export function validatePriorityClass(o: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(asObj(o.metadata).name);
  const value = Number(o.value ?? 0);
  if (name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES[name];
    let why = '';
    if (known === undefined) why = `${name} is not a known system priority class`;
    else if (known !== value) why = `value of ${name} PriorityClass must be ${known}`;
    else if (o.globalDefault === true) why = `globalDefault of ${name} PriorityClass must be false`;
    if (why) errs.push(forbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${why}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (isSet(o, 'preemptionPolicy') && !['PreemptLowerPriority', 'Never'].includes(asStr(o.preemptionPolicy))) {
    errs.push(notSupported('preemptionPolicy', asStr(o.preemptionPolicy), ['PreemptLowerPriority', 'Never']));
  }
  if (old && Number(old.value ?? 0) !== value) errs.push(forbidden('value', 'may not be changed in an update.'));
  if (old) errs.push(...validateImmutableField(o.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy'));
  return errs;
}
