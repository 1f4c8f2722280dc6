/**
 * The registry's entry points for semantic validation: validateCreate / validateUpdate dispatch on
 * group and kind to the ports of the apiserver's Validate / ValidateUpdate strategies. They run
 * after defaulting, so fields the defaulters always set are checked as required, as upstream does.
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import {
  validateDaemonSetSpec, validateDeploymentSpec, validateDeploymentSpecUpdate, validatePositiveIntOrPercent, isNotMoreThan100Percent,
  validateReplicaSetSpec, validateReplicationControllerSpec, validateSelectorImmutable, validatePodTemplateSpec,
} from './deployment.js';
import {
  validateLeaseSpec, validateNodeSpec, validateNodeSpecUpdate, validatePersistentVolumeClaimSpec, validatePersistentVolumeSpec, validatePriorityClass,
} from './cluster.js';
import { forbidden, invalid, notSupported, required, tooLong, type FieldError } from './field-errors.js';
import {
  asArr, asObj, asStr, deepEqual, goStruct, isSet, validateFinalizers, validateImmutableField, validateLabelSelector,
  validateObjectMeta, validateObjectMetaUpdate, type Obj,
} from './metadata.js';
import { isConfigMapKey, MAX_SECRET_SIZE_BYTES, nameValidatorFor } from './names.js';
import { validatePodCreate, validatePodUpdate } from './pod.js';
import { validateEndpointSubsets, validateIngressSpec, validateNetworkPolicySpec, validateServiceSpec, validateServiceSpecUpdate } from './service.js';
import {
  validateCronJobSpec, validateGeneratedSelector, validateIndexedJobName, validateJobSpec, validateJobSpecUpdate,
  validateStatefulSetSpec, validateStatefulSetSpecUpdate,
} from './workloads.js';

type SpecCheck = (obj: Obj, old: Obj | undefined) => FieldError[];

const spec = (o: Obj | undefined): Obj => asObj(o?.spec);

/** Per-kind checks beyond metadata; `old` is set on update. Keyed by `<group>/<Kind>`. */
const CHECKS: Record<string, SpecCheck> = {
  'apps/Deployment': (o, old) => (old ? validateDeploymentSpecUpdate(spec(o), spec(old), 'spec') : validateDeploymentSpec(spec(o), 'spec')),
  'apps/ReplicaSet': (o, old) => [...validateReplicaSetSpec(spec(o), 'spec'), ...(old ? validateSelectorImmutable(spec(o), spec(old), 'spec') : [])],
  'apps/DaemonSet': (o, old) => [...validateDaemonSetSpec(spec(o), 'spec'), ...(old ? validateSelectorImmutable(spec(o), spec(old), 'spec') : [])],
  'apps/StatefulSet': (o, old) => (old ? validateStatefulSetSpecUpdate(spec(o), spec(old), 'spec') : validateStatefulSetSpec(spec(o), 'spec')),
  'apps/ControllerRevision': (o, old) => validateControllerRevision(o, old),
  '/ReplicationController': (o) => validateReplicationControllerSpec(spec(o), 'spec'),
  '/PodTemplate': (o) => validatePodTemplateSpec(asObj(o.template), 'template'),
  'batch/Job': (o, old) => (old ? validateJobSpecUpdate(spec(o), spec(old), 'spec') : [...validateGeneratedSelector(o), ...validateJobSpec(spec(o), 'spec'), ...validateIndexedJobName(o)]),
  'batch/CronJob': (o, old) => [...validateCronJobSpec(spec(o), old && spec(old), 'spec'), ...(old ? [] : validateCronJobName(o))],
  '/Service': (o, old) => [...(old ? validateServiceSpecUpdate(spec(o), spec(old)) : []), ...validateServiceSpec(spec(o))],
  '/Endpoints': (o) => validateEndpointSubsets(asArr(o.subsets)),
  '/ConfigMap': (o, old) => [...(old ? validateImmutablePayload(o, old, ['data', 'binaryData']) : []), ...validateConfigMapData(o)],
  '/Secret': (o, old) => [...(old ? validateSecretUpdate(o, old) : []), ...validateSecretData(o)],
  // Namespace spec.finalizers errors sit on the list path, without an index.
  '/Namespace': (o) => validateFinalizers(asArr(spec(o).finalizers), 'spec.finalizers').map((e) => ({ ...e, field: 'spec.finalizers' })),
  '/Node': (o, old) => (old ? validateNodeSpecUpdate(o, old) : validateNodeSpec(o)),
  '/PersistentVolumeClaim': (o, old) => validatePersistentVolumeClaimSpec(spec(o), old && spec(old), asObj(old?.status).phase === 'Bound'),
  '/PersistentVolume': (o, old) => validatePersistentVolumeSpec(spec(o), old && spec(old)),
  'policy/PodDisruptionBudget': (o) => validatePodDisruptionBudgetSpec(spec(o)),
  'coordination.k8s.io/Lease': (o) => validateLeaseSpec(spec(o)),
  'scheduling.k8s.io/PriorityClass': (o, old) => validatePriorityClass(o, old),
  'autoscaling/HorizontalPodAutoscaler': (o) => validateHorizontalPodAutoscalerSpec(spec(o)),
  'networking.k8s.io/Ingress': (o) => validateIngressSpec(spec(o)),
  'networking.k8s.io/NetworkPolicy': (o) => validateNetworkPolicySpec(spec(o)),
};

/** Semantic validation on create, after defaulting; paths and texts as the apiserver prints them. */
export function validateCreate(group: string, kind: string, obj: KubeObject, opts: { namespaced: boolean }): FieldError[] {
  if (group === '' && kind === 'Pod') return validatePodCreate(obj);
  const errs = validateObjectMeta(obj.metadata, { namespaced: opts.namespaced, nameFn: nameValidatorFor(group, kind) });
  const check = CHECKS[`${group}/${kind}`];
  return check ? [...errs, ...check(obj as Obj, undefined)] : errs;
}

/** Semantic validation on update (immutable fields etc.), after defaulting. */
export function validateUpdate(group: string, kind: string, obj: KubeObject, old: KubeObject, opts: { namespaced: boolean }): FieldError[] {
  if (group === '' && kind === 'Pod') return validatePodUpdate(obj, old);
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const check = CHECKS[`${group}/${kind}`];
  return check ? [...errs, ...check(obj as Obj, old as Obj)] : errs;
}

/** The CronJob controller appends an 11-character `-<minutes>` suffix; names stay ≤ 52 on create. */
function validateCronJobName(o: Obj): FieldError[] {
  const name = asStr(asObj(o.metadata).name);
  return name.length > 52 ? [invalid('metadata.name', name, 'must be no more than 52 characters')] : [];
}

function validateControllerRevision(o: Obj, old: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (o.data === undefined || o.data === null) errs.push(required('data', 'data is mandatory'));
  if (typeof o.revision === 'number' && o.revision < 0) errs.push(invalid('revision', o.revision, 'must be greater than or equal to 0'));
  if (old) errs.push(...validateImmutableField(o.data, old.data, 'data'));
  return errs;
}

/** Data keys of a ConfigMap, no key in both bags, 1 MiB in total. */
function validateConfigMapData(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const binary = asObj(o.binaryData);
  let total = 0;
  for (const [key, value] of Object.entries(asObj(o.data))) {
    errs.push(...configMapKeyErrors('data', key));
    if (key in binary) errs.push(invalid(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(asStr(value));
  }
  for (const [key, value] of Object.entries(binary)) {
    errs.push(...configMapKeyErrors('binaryData', key));
    total += Buffer.from(asStr(value), 'base64').length;
  }
  // Upstream reports the size on the empty path: the whole object is too large.
  if (total > MAX_SECRET_SIZE_BYTES) errs.push(tooLong('', MAX_SECRET_SIZE_BYTES));
  return errs;
}

function configMapKeyErrors(bag: string, key: string): FieldError[] {
  return isConfigMapKey(key).map((m) => invalid(`${bag}[${key}]`, key, m));
}

/** Secret payload: data keys, 1 MiB of decoded bytes, and the keys each well-known type needs. */
function validateSecretData(o: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const data = asObj(o.data);
  let total = 0;
  for (const [key, value] of Object.entries(data)) {
    errs.push(...configMapKeyErrors('data', key));
    total += Buffer.from(asStr(value), 'base64').length;
  }
  if (total > MAX_SECRET_SIZE_BYTES) errs.push(tooLong('data', MAX_SECRET_SIZE_BYTES));
  const need = (key: string): void => {
    if (!(key in data)) errs.push(required(`data[${key}]`));
  };
  switch (o.type) {
    case 'kubernetes.io/service-account-token':
      if (!asStr(asObj(asObj(o.metadata).annotations)['kubernetes.io/service-account.name'])) {
        errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
      }
      break;
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const key = o.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      if (!(key in data)) need(key);
      else errs.push(...validateJSONPayload(asStr(data[key]), `data[${key}]`));
      break;
    }
    case 'kubernetes.io/basic-auth':
      if (!('username' in data) && !('password' in data)) ['username', 'password'].forEach(need);
      break;
    case 'kubernetes.io/ssh-auth':
      if (!asStr(data['ssh-privatekey'])) errs.push(required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      ['tls.crt', 'tls.key'].forEach(need);
      break;
  }
  return errs;
}

function validateJSONPayload(b64: string, field: string): FieldError[] {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  try {
    JSON.parse(text);
    return [];
  } catch {
    const first = text.trimStart()[0];
    const why = first === undefined ? 'unexpected end of JSON input' : `invalid character '${first}' looking for beginning of value`;
    return [invalid(field, '<secret contents redacted>', why)];
  }
}

function validateSecretUpdate(o: Obj, old: Obj): FieldError[] {
  return [...validateImmutableField(o.type, old.type, 'type'), ...validateImmutablePayload(o, old, ['data'])];
}

/** ConfigMaps and Secrets marked `immutable: true` keep their payload and the flag. */
function validateImmutablePayload(o: Obj, old: Obj, bags: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const msg = 'field is immutable when `immutable` is set';
  const errs: FieldError[] = [];
  if (o.immutable !== true) errs.push(forbidden('immutable', msg));
  for (const bag of bags) if (!deepEqual(o[bag] ?? null, old[bag] ?? null)) errs.push(forbidden(bag, msg));
  return errs;
}

/** ValidatePodDisruptionBudgetSpec: minAvailable xor maxUnavailable, each an int or ≤100%. */
function validatePodDisruptionBudgetSpec(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  if (isSet(s, 'minAvailable') && isSet(s, 'maxUnavailable')) {
    const shown = goStruct([['MinAvailable', s.minAvailable], ['Selector', s.selector ?? null], ['MaxUnavailable', s.maxUnavailable], ['UnhealthyPodEvictionPolicy', s.unhealthyPodEvictionPolicy ?? null]]);
    errs.push(invalid('spec', shown, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable']) {
    if (!isSet(s, key)) continue;
    errs.push(...validatePositiveIntOrPercent(s[key], `spec.${key}`), ...isNotMoreThan100Percent(s[key], `spec.${key}`));
  }
  errs.push(...validateLabelSelector(s.selector, 'spec.selector'));
  const policy = s.unhealthyPodEvictionPolicy;
  if (isSet(s, 'unhealthyPodEvictionPolicy') && policy !== 'AlwaysAllow' && policy !== 'IfHealthyBudget') {
    errs.push(notSupported('spec.unhealthyPodEvictionPolicy', asStr(policy), ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

/** autoscaling/v2 spec: replica bounds and a named scale target. */
function validateHorizontalPodAutoscalerSpec(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const min = typeof s.minReplicas === 'number' ? s.minReplicas : 1;
  const max = Number(s.maxReplicas ?? 0);
  if (min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min > max) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = asObj(s.scaleTargetRef);
  if (!asStr(ref.kind)) errs.push(required('spec.scaleTargetRef.kind'));
  if (!asStr(ref.name)) errs.push(required('spec.scaleTargetRef.name'));
  return errs;
}
