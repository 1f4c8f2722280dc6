/**
 * Pod validation: the PodSpec (containers, init containers, pod-level fields) for pods and
 * templates, plus ValidatePodCreate and ValidatePodUpdate. Port of kubernetes
 * `pkg/apis/core/validation/validation.go`; texts and paths follow upstream, including its odd
 * spots (noted where they occur).
 */
import type { KubeObject } from '../../schemas/types/meta.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { asArr, asObj, asStr, deepEqual, isSet, validateLabelName, validateLabels, validateObjectMeta, validateObjectMetaUpdate, type Obj } from './metadata.js';
import { inclusiveRangeError, isDNS1123Label, isValidLabelValue, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';
import { validateContainerResources, validateEnv, validateEnvFrom, validateHandler, validateProbe, validateVolumeMounts, validateVolumes } from './pod-fields.js';
import { cloneJSON } from '../registry/strategy.js';

/** PodValidationOptions: only whether the spec belongs to a Pod (not a template) matters here. */
export interface PodSpecOptions {
  isPod: boolean;
}

interface SpecContext {
  volumes: Set<string>;
  grace?: number;
}

const MAX_INT32 = 2147483647;
const SUPPORTED_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** ValidatePodSpec: every check on a PodSpec, for pods and for templates alike. */
export function validatePodSpec(spec: Obj, path: string, opts: PodSpecOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (!isSet(spec, 'terminationGracePeriodSeconds')) errs.push(required(`${path}.terminationGracePeriodSeconds`));
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined;
  const volumes = validateVolumes(asArr(spec.volumes), `${path}.volumes`, errs);
  const ctx: SpecContext = { volumes, grace };
  errs.push(...validateContainers(asArr(spec.containers).map(asObj), `${path}.containers`, ctx));
  errs.push(...validateInitContainers(asArr(spec.initContainers).map(asObj), asArr(spec.containers).map(asObj), `${path}.initContainers`, ctx));
  errs.push(...validatePodHostNetworkDeps(spec, path, opts));
  errs.push(...validateEnum(spec.restartPolicy, `${path}.restartPolicy`, ['Always', 'OnFailure', 'Never']));
  errs.push(...validateEnum(spec.dnsPolicy, `${path}.dnsPolicy`, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']));
  errs.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errs.push(...validatePodDNSConfig(spec, `${path}.dnsConfig`));
  errs.push(...validatePodNames(spec, path));
  if (isSet(spec, 'activeDeadlineSeconds')) {
    const v = Number(spec.activeDeadlineSeconds);
    if (v < 1 || v > MAX_INT32) errs.push(invalid(`${path}.activeDeadlineSeconds`, v, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...validateTolerations(asArr(spec.tolerations), `${path}.tolerations`));
  if (isSet(spec, 'preemptionPolicy')) errs.push(...validateEnum(spec.preemptionPolicy, `${path}.preemptionPolicy`, ['PreemptLowerPriority', 'Never']));
  return errs;
}

/** An enum field that must be set: empty is Required, anything else unlisted is Unsupported. */
function validateEnum(value: unknown, field: string, allowed: string[]): FieldError[] {
  const v = asStr(value);
  if (v === '') return [required(field)];
  return allowed.includes(v) ? [] : [notSupported(field, v, allowed)];
}

/** The name-like pod fields: serviceAccountName, nodeName, hostname, subdomain, priorityClassName. */
function validatePodNames(spec: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['serviceAccountName', 'nodeName']) {
    const v = asStr(spec[key]);
    if (v) errs.push(...nameIsDNSSubdomain(v, false).map((m) => invalid(`${path}.${key}`, v, m)));
  }
  for (const key of ['hostname', 'subdomain']) {
    const v = asStr(spec[key]);
    if (v) errs.push(...isDNS1123Label(v).map((m) => invalid(`${path}.${key}`, v, m)));
  }
  const pc = asStr(spec.priorityClassName);
  if (pc) errs.push(...nameIsDNSSubdomain(pc, false).map((m) => invalid(`${path}.priorityClassName`, pc, m)));
  return errs;
}

function validatePodDNSConfig(spec: Obj, field: string): FieldError[] {
  if (spec.dnsPolicy !== 'None') return [];
  if (!isSet(spec, 'dnsConfig')) return [required(field, 'must provide `dnsConfig` when `dnsPolicy` is None')];
  if (asArr(asObj(spec.dnsConfig).nameservers).length === 0) {
    return [required(`${field}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  return [];
}

/** With hostNetwork, a pod's hostPort must equal containerPort; templates may leave it 0. */
function validatePodHostNetworkDeps(spec: Obj, path: string, opts: PodSpecOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const errs: FieldError[] = [];
  asArr(spec.containers).map(asObj).forEach((c, ci) => {
    asArr(c.ports).map(asObj).forEach((p, pi) => {
      const hp = Number(p.hostPort ?? 0);
      const cp = Number(p.containerPort ?? 0);
      if ((opts.isPod || hp !== 0) && hp !== cp) {
        errs.push(invalid(`${path}.containers[${ci}].ports[${pi}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    });
  });
  return errs;
}

/** Regular containers: at least one, unique names, probes and lifecycle, host ports unique. */
function validateContainers(containers: Obj[], path: string, ctx: SpecContext): FieldError[] {
  if (containers.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, p, ctx));
    const name = asStr(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else names.add(name);
    errs.push(...validateContainerLifecycle(c, p, ctx, true));
    if (isSet(c, 'restartPolicy')) errs.push(forbidden(`${p}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(containers, path));
  return errs;
}

/** Lifecycle hooks and probes; liveness and startup probes need successThreshold 1. */
function validateContainerLifecycle(c: Obj, p: string, ctx: SpecContext, allowed: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const initMsg = 'may not be set for init containers without restartPolicy=Always';
  if (isSet(c, 'lifecycle')) {
    if (!allowed) errs.push(forbidden(`${p}.lifecycle`, initMsg));
    else for (const hook of ['postStart', 'preStop']) {
      const h = asObj(c.lifecycle)[hook];
      if (h !== undefined && h !== null) errs.push(...validateHandler(asObj(h), ctx.grace, `${p}.lifecycle.${hook}`));
    }
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    if (!isSet(c, probe)) continue;
    if (!allowed) {
      errs.push(forbidden(`${p}.${probe}`, initMsg));
      continue;
    }
    const pr = asObj(c[probe]);
    errs.push(...validateProbe(pr, ctx.grace, `${p}.${probe}`));
    if (probe !== 'readinessProbe' && pr.successThreshold !== 1) errs.push(invalid(`${p}.${probe}.successThreshold`, pr.successThreshold ?? 0, 'must be 1'));
    if (probe === 'readinessProbe' && isSet(pr, 'terminationGracePeriodSeconds')) {
      errs.push(invalid(`${p}.${probe}.terminationGracePeriodSeconds`, pr.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    }
  }
  return errs;
}

/** Init containers: names unique across both lists; only sidecars (restartPolicy Always) get probes. */
function validateInitContainers(inits: Obj[], regular: Obj[], path: string, ctx: SpecContext): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(regular.map((c) => asStr(c.name)));
  inits.forEach((c, i) => {
    const p = `${path}[${i}]`;
    errs.push(...validateContainerCommon(c, p, ctx));
    let sidecar = false;
    if (isSet(c, 'restartPolicy')) {
      sidecar = c.restartPolicy === 'Always';
      if (!sidecar) errs.push(notSupported(`${p}.restartPolicy`, asStr(c.restartPolicy), ['Always']));
    }
    const name = asStr(c.name);
    if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
    else if (name) names.add(name);
    errs.push(...checkHostPortConflicts([c], path));
    errs.push(...validateContainerLifecycle(c, p, ctx, sidecar));
  });
  return errs;
}

/** validateContainerCommon: name, image, ports, env, mounts, pull policy, resources. */
function validateContainerCommon(c: Obj, p: string, ctx: SpecContext): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(c.name);
  if (!name) errs.push(required(`${p}.name`));
  else errs.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
  if (!asStr(c.image)) errs.push(required(`${p}.image`));
  errs.push(...validateEnum(c.terminationMessagePolicy, `${p}.terminationMessagePolicy`, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(asArr(c.ports).map(asObj), `${p}.ports`));
  errs.push(...validateEnv(asArr(c.env).map(asObj), `${p}.env`));
  errs.push(...validateEnvFrom(asArr(c.envFrom).map(asObj), `${p}.envFrom`));
  errs.push(...validateVolumeMounts(asArr(c.volumeMounts).map(asObj), ctx.volumes, `${p}.volumeMounts`));
  errs.push(...validateEnum(c.imagePullPolicy, `${p}.imagePullPolicy`, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateContainerResources(asObj(c.resources), `${p}.resources`));
  return errs;
}

function validateContainerPorts(ports: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = `${path}[${i}]`;
    const name = asStr(port.name);
    if (name) {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...msgs.map((m) => invalid(`${p}.name`, name, m)));
      else if (names.has(name)) errs.push(duplicate(`${p}.name`, name));
      else names.add(name);
    }
    const cp = Number(port.containerPort ?? 0);
    if (cp === 0) errs.push(required(`${p}.containerPort`));
    else errs.push(...isValidPortNum(cp).map((m) => invalid(`${p}.containerPort`, cp, m)));
    const hp = Number(port.hostPort ?? 0);
    if (hp !== 0) errs.push(...isValidPortNum(hp).map((m) => invalid(`${p}.hostPort`, hp, m)));
    const proto = asStr(port.protocol);
    if (!proto) errs.push(required(`${p}.protocol`));
    else if (!SUPPORTED_PROTOCOLS.includes(proto)) errs.push(notSupported(`${p}.protocol`, proto, SUPPORTED_PROTOCOLS));
  });
  return errs;
}

/** AccumulateUniqueHostPorts: protocol/hostIP/hostPort must be unique across the containers. */
function checkHostPortConflicts(containers: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    asArr(c.ports).map(asObj).forEach((port, pi) => {
      const hp = Number(port.hostPort ?? 0);
      if (hp === 0) return;
      const key = `${asStr(port.protocol)}/${asStr(port.hostIP)}/${hp}`;
      if (seen.has(key)) errs.push(duplicate(`${path}[${ci}].ports[${pi}].hostPort`, key));
      else seen.add(key);
    });
  });
  return errs;
}

const TOLERATION_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations: key format, operator/value pairing, effect values. */
export function validateTolerations(tolerations: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.map(asObj).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = asStr(t.key);
    const op = asStr(t.operator);
    const effect = asStr(t.effect);
    if (key) errs.push(...validateLabelName(key, `${p}.key`));
    if (!key && op !== 'Exists') errs.push(invalid(`${p}.operator`, op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (isSet(t, 'tolerationSeconds') && effect !== 'NoExecute') errs.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(asStr(t.value));
      if (msgs.length > 0) errs.push(invalid(`${p}.operator`, asStr(t.value), msgs.join(';')));
    } else if (op === 'Exists') {
      if (asStr(t.value)) errs.push(invalid(`${p}.operator`, asStr(t.value), "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (effect && !TOLERATION_EFFECTS.includes(effect)) errs.push(notSupported(`${p}.effect`, effect, TOLERATION_EFFECTS));
  });
  return errs;
}

/** Container image fields of a Pod (not a template) may not carry surrounding whitespace. */
export function validateContainersOnlyForPod(containers: unknown[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  containers.map(asObj).forEach((c, i) => {
    const image = asStr(c.image);
    if (image !== image.trim()) errs.push(invalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

/** The updatable fields upstream lists in the Forbidden message (updatablePodSpecFields). */
const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** validatePodMetadataAndSpec: what both create and update check on the new Pod. */
function validatePodMetadataAndSpec(pod: KubeObject): FieldError[] {
  const spec = asObj(pod.spec);
  const errs = validateObjectMeta(pod.metadata, { namespaced: true, nameFn: nameIsDNSSubdomain });
  // The spec checks read the spec alone: a stored (frozen) spec that passed once passes again, and
  // a status write (kubelet, scheduler) keeps the stored spec itself, several times per pod.
  if (validSpecs.has(spec)) return errs;
  const specErrs = validatePodSpecOfPod(spec);
  if (specErrs.length === 0 && Object.isFrozen(spec)) validSpecs.add(spec);
  return [...errs, ...specErrs];
}

const validSpecs = new WeakSet<object>();

function validatePodSpecOfPod(spec: Obj): FieldError[] {
  const errs = validatePodSpec(spec, 'spec', { isPod: true });
  if (!asStr(spec.serviceAccountName)) {
    asArr(spec.volumes).map(asObj).forEach((v, vi) => {
      asArr(asObj(v.projected).sources).map(asObj).forEach((src, si) => {
        if (isSet(src, 'serviceAccountToken')) errs.push(forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
      });
    });
  }
  errs.push(...validateContainersOnlyForPod(asArr(spec.containers), 'spec.containers'));
  errs.push(...validateContainersOnlyForPod(asArr(spec.initContainers), 'spec.initContainers'));
  return errs;
}

/** ValidatePodCreate. */
export function validatePodCreate(pod: KubeObject): FieldError[] {
  const spec = asObj(pod.spec);
  const errs = validatePodMetadataAndSpec(pod);
  if (asArr(spec.ephemeralContainers).length > 0) errs.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (asStr(spec.nodeName) && asArr(spec.schedulingGates).length > 0) errs.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

/**
 * ValidatePodUpdate: only images, activeDeadlineSeconds, toleration additions and scheduling-gate
 * removals may change; anything else is one Forbidden error on `spec` followed by a diff.
 */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const spec = asObj(pod.spec);
  const oldSpec = asObj(old.spec);
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodMetadataAndSpec(pod)];
  for (const key of ['containers', 'initContainers']) {
    if (asArr(spec[key]).length !== asArr(oldSpec[key]).length) return [...errs, forbidden(`spec.${key}`, 'pod updates may not add or remove containers')];
    asArr(spec[key]).map(asObj).forEach((c, i) => {
      if (!asStr(c.image)) errs.push(required(`spec.${key}[${i}].image`));
    });
  }
  const deadline = validateActiveDeadlineUpdate(spec, oldSpec);
  errs.push(...deadline);
  if (deadline.length > 0 && isSet(spec, 'activeDeadlineSeconds')) return errs;
  errs.push(...validateOnlyAddedTolerations(asArr(spec.tolerations), asArr(oldSpec.tolerations), 'spec.tolerations'));
  const oldGates = new Set(asArr(oldSpec.schedulingGates).map((g) => asStr(asObj(g).name)));
  asArr(spec.schedulingGates).map((g) => asStr(asObj(g).name)).forEach((gate, i) => {
    if (!oldGates.has(gate)) errs.push(forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${gate}'`));
  });
  if (deepEqual(spec, oldSpec)) return errs;
  const munged = mungePodSpec(spec, oldSpec);
  if (!deepEqual(munged, oldSpec)) {
    errs.push(forbidden('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${specDiff('core.PodSpec', oldSpec, munged)}`));
  }
  return errs;
}

/** activeDeadlineSeconds may be set from nil or lowered, never raised or removed. */
function validateActiveDeadlineUpdate(spec: Obj, oldSpec: Obj): FieldError[] {
  const field = 'spec.activeDeadlineSeconds';
  if (!isSet(spec, 'activeDeadlineSeconds')) {
    return isSet(oldSpec, 'activeDeadlineSeconds') ? [invalid(field, null, 'must not update from a positive integer to nil value')] : [];
  }
  const v = Number(spec.activeDeadlineSeconds);
  if (v < 0 || v > MAX_INT32) return [invalid(field, v, inclusiveRangeError(0, MAX_INT32))];
  if (isSet(oldSpec, 'activeDeadlineSeconds') && Number(oldSpec.activeDeadlineSeconds) < v) return [invalid(field, v, 'must be less than or equal to previous value')];
  return [];
}

/** Every old toleration must still be there (tolerationSeconds may change); then all must be valid. */
function validateOnlyAddedTolerations(tolerations: unknown[], old: unknown[], path: string): FieldError[] {
  for (const o of old.map(asObj)) {
    const found = tolerations.map(asObj).some((t) => deepEqual({ ...o, tolerationSeconds: t.tolerationSeconds }, t));
    if (!found) return [forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(tolerations, path);
}

/** The new spec with every updatable field reset to its old value, for the final comparison. */
function mungePodSpec(spec: Obj, oldSpec: Obj): Obj {
  const munged: Obj = cloneJSON(spec);
  for (const key of ['containers', 'initContainers']) {
    const oldList = asArr(oldSpec[key]).map(asObj);
    if (Array.isArray(munged[key])) munged[key] = (munged[key] as unknown[]).map((c, i) => ({ ...asObj(c), image: oldList[i]?.image }));
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) munged[key] = oldSpec[key];
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  return munged;
}

/** Go field names that are not a plain capitalisation of the JSON name. */
const GO_FIELD_NAMES: Record<string, string> = { dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', hostPID: 'HostPID', hostIPC: 'HostIPC', os: 'OS' };

/**
 * A diff in the shape of go-cmp's output for an internal struct (`core.PodSpec`), one line per
 * changed top-level field with JSON values: enough for a reader to see what the update changed.
 */
export function specDiff(typeName: string, old: Obj, cur: Obj): string {
  const lines = [`  ${typeName}{`];
  let same = 0;
  const flush = (): void => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same > 1 ? 's' : ''}`);
    same = 0;
  };
  for (const key of new Set([...Object.keys(old), ...Object.keys(cur)])) {
    if (deepEqual(old[key], cur[key])) {
      same++;
      continue;
    }
    flush();
    const name = GO_FIELD_NAMES[key] ?? `${key[0]!.toUpperCase()}${key.slice(1)}`;
    if (old[key] !== undefined) lines.push(`- \t${name}: ${JSON.stringify(old[key])},`);
    if (cur[key] !== undefined) lines.push(`+ \t${name}: ${JSON.stringify(cur[key])},`);
  }
  flush();
  lines.push('  }');
  return lines.join('\n');
}
