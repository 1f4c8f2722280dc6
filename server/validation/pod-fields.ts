/**
 * Field-level checks inside a PodSpec, shared by pods and templates: environment, probes and
 * lifecycle handlers, compute resources (with the resource.Quantity arithmetic they need), volumes
 * and volume mounts. Port of the matching parts of kubernetes `pkg/apis/core/validation/validation.go`.
 */
import { GenerationMap } from '../generation-map.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { asArr, asObj, asStr, isSet, notFound, validateNonnegative, type Obj } from './metadata.js';
import { isConfigMapKey, isDNS1123Label, isHTTPHeaderName, isQualifiedName, isRelaxedEnvVarName, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from './names.js';

const ENV_FIELD_PATHS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** Every field label ConvertDownwardAPIFieldLabel knows for pods. */
const CONVERTIBLE_FIELD_PATHS = new Set([...ENV_FIELD_PATHS, 'metadata.annotations', 'metadata.labels', 'spec.restartPolicy', 'spec.schedulerName', 'status.phase']);
const RESOURCE_FIELD_PATHS = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** ValidateEnv: names (relaxed rule) and at most one valueFrom source. */
export function validateEnv(vars: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const p = `${path}[${i}]`;
    const name = asStr(ev.name);
    if (!name) errs.push(required(`${p}.name`));
    else errs.push(...isRelaxedEnvVarName(name).map((m) => invalid(`${p}.name`, name, m)));
    if (isSet(ev, 'valueFrom')) errs.push(...validateEnvVarValueFrom(ev, `${p}.valueFrom`));
  });
  return errs;
}

function validateEnvVarValueFrom(ev: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const from = asObj(ev.valueFrom);
  let sources = 0;
  if (isSet(from, 'fieldRef')) {
    sources++;
    errs.push(...validateObjectFieldSelector(asObj(from.fieldRef), `${p}.fieldRef`));
  }
  if (isSet(from, 'resourceFieldRef')) {
    sources++;
    const res = asStr(asObj(from.resourceFieldRef).resource);
    if (!res) errs.push(required(`${p}.resourceFieldRef.resource`));
    else if (!RESOURCE_FIELD_PATHS.includes(res) && !/^(requests|limits)\.hugepages-/.test(res)) errs.push(notSupported(`${p}.resourceFieldRef.resource`, res, RESOURCE_FIELD_PATHS));
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef']) {
    if (!isSet(from, key)) continue;
    sources++;
    errs.push(...validateKeySelector(asObj(from[key]), `${p}.${key}`));
  }
  if (sources === 0) errs.push(invalid(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (asStr(ev.value)) errs.push(invalid(p, '', 'may not be specified when `value` is not empty'));
  else if (sources > 1) errs.push(invalid(p, '', 'may not have more than one field specified at a time'));
  return errs;
}

function validateObjectFieldSelector(fs: Obj, p: string): FieldError[] {
  const apiVersion = asStr(fs.apiVersion);
  const fieldPath = asStr(fs.fieldPath);
  if (!apiVersion) return [required(`${p}.apiVersion`)];
  if (!fieldPath) return [required(`${p}.fieldPath`)];
  if (apiVersion !== 'v1') return [invalid(`${p}.fieldPath`, fieldPath, `error converting fieldPath: unsupported pod version: ${apiVersion}`)];
  const sub = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    if (sub[1] !== 'metadata.labels' && sub[1] !== 'metadata.annotations') {
      return [invalid(`${p}.fieldPath`, fieldPath, `error converting fieldPath: field label does not support subscript: ${fieldPath}`)];
    }
    const key = sub[1] === 'metadata.annotations' ? sub[2]!.toLowerCase() : sub[2]!;
    return isQualifiedName(key).map((m) => invalid(p, key, m));
  }
  if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath)) return [invalid(`${p}.fieldPath`, fieldPath, `error converting fieldPath: field label not supported: ${fieldPath}`)];
  return ENV_FIELD_PATHS.includes(fieldPath) ? [] : [notSupported(`${p}.fieldPath`, fieldPath, ENV_FIELD_PATHS)];
}

/** configMapKeyRef / secretKeyRef: the name is checked even when empty, as upstream does. */
function validateKeySelector(sel: Obj, p: string): FieldError[] {
  const name = asStr(sel.name);
  const key = asStr(sel.key);
  const errs = nameIsDNSSubdomain(name, false).map((m) => invalid(`${p}.name`, name, m));
  if (!key) errs.push(required(`${p}.key`));
  else errs.push(...isConfigMapKey(key).map((m) => invalid(`${p}.key`, key, m)));
  return errs;
}

/** ValidateEnvFrom: prefix rule and exactly one of configMapRef / secretRef. */
export function validateEnvFrom(vars: Obj[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  vars.forEach((ev, i) => {
    const p = `${path}[${i}]`;
    const prefix = asStr(ev.prefix);
    if (prefix) errs.push(...isRelaxedEnvVarName(prefix).map((m) => invalid(`${p}.prefix`, prefix, m)));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      if (!isSet(ev, key)) continue;
      sources++;
      const name = asStr(asObj(ev[key]).name);
      if (!name) errs.push(required(`${p}.${key}.name`));
      else errs.push(...nameIsDNSSubdomain(name, true).map((m) => invalid(`${p}.${key}.name`, name, m)));
    }
    if (sources === 0) errs.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

/** validateProbe: exactly one handler and non-negative timings. */
export function validateProbe(probe: Obj, grace: number | undefined, path: string): FieldError[] {
  const errs = validateHandlerKinds(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], grace, path);
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(probe[key], `${path}.${key}`));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, tgps, 'must be greater than 0'));
  return errs;
}

/** A lifecycle hook (postStart/preStop): exec, httpGet, tcpSocket or sleep. */
export function validateHandler(handler: Obj, grace: number | undefined, path: string): FieldError[] {
  return validateHandlerKinds(handler, ['exec', 'httpGet', 'tcpSocket', 'sleep'], grace, path);
}

function validateHandlerKinds(h: Obj, kinds: string[], grace: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    if (!isSet(h, kind)) continue;
    if (count > 0) {
      errs.push(forbidden(`${path}.${kind}`, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    errs.push(...validateAction(kind, asObj(h[kind]), grace, `${path}.${kind}`));
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

function validateAction(kind: string, action: Obj, grace: number | undefined, p: string): FieldError[] {
  if (kind === 'exec') return asArr(action.command).length === 0 ? [required(`${p}.command`)] : [];
  if (kind === 'tcpSocket' || kind === 'grpc') return validatePortNumOrName(action.port, `${p}.port`);
  if (kind === 'sleep') {
    const secs = Number(action.seconds ?? 0);
    return grace !== undefined && (secs < 0 || secs > grace) ? [invalid(p, secs, `must be non-negative and less than terminationGracePeriodSeconds (${grace})`)] : [];
  }
  const errs: FieldError[] = [];
  if (!asStr(action.path)) errs.push(required(`${p}.path`));
  errs.push(...validatePortNumOrName(action.port, `${p}.port`));
  const scheme = asStr(action.scheme);
  if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(`${p}.scheme`, scheme, ['HTTP', 'HTTPS']));
  for (const header of asArr(action.httpHeaders).map(asObj)) {
    errs.push(...isHTTPHeaderName(asStr(header.name)).map((m) => invalid(`${p}.httpHeaders`, asStr(header.name), m)));
  }
  return errs;
}

/** ValidatePortNumOrName: an IntOrString port is a number 1–65535 or an IANA port name. */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(field, port, m));
  const n = Number(port ?? 0);
  return isValidPortNum(n).map((m) => invalid(field, n, m));
}

/** A parsed resource.Quantity: the value in nano-units and the suffix family it was written in. */
export interface Quantity {
  nano: bigint;
  format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
}

const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const DECIMAL_SUFFIX: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const ceilDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? (a + b - 1n) / b : a / b);

/**
 * Parses a quantity string (or JSON number) such as `500m`, `1.5Gi`, `2e3`; undefined if malformed.
 * The result is shared and frozen: every object of a workload repeats the same few quantities (each
 * Deployment, ReplicaSet and pod of a template is validated), and the parse works in BigInt.
 */
export function parseQuantity(value: unknown): Readonly<Quantity> | undefined {
  const text = typeof value === 'number' ? String(value) : asStr(value);
  return parsedQuantities.remember(text, parseQuantityText) ?? undefined;
}

// Quantities are written by users: the bound keeps a stream of distinct ones from piling up.
const parsedQuantities = new GenerationMap<string, Readonly<Quantity> | null>(1024);

/** The memo's entry for one text: null (remembered too) when it is no quantity. */
function parseQuantityText(text: string): Readonly<Quantity> | null {
  const m = QUANTITY_RE.exec(text);
  if (!m) return null;
  const [int = '', frac = ''] = m[2]!.split('.');
  const mantissa = BigInt(`${int}${frac}` || '0') * (m[1] === '-' ? -1n : 1n);
  const suffix = m[3] ?? '';
  const binary = BINARY_SUFFIXES.indexOf(suffix);
  if (suffix !== '' && binary > 0) {
    return Object.freeze({ nano: ceilDiv(mantissa * 2n ** BigInt(10 * binary) * 10n ** 9n, 10n ** BigInt(frac.length)), format: 'BinarySI' });
  }
  const exponentForm = /^[eE]/.test(suffix);
  const exp = (exponentForm ? Number(suffix.slice(1)) : DECIMAL_SUFFIX[suffix]!) + 9 - frac.length;
  const nano = exp >= 0 ? mantissa * 10n ** BigInt(exp) : ceilDiv(mantissa, 10n ** BigInt(-exp));
  return Object.freeze({ nano, format: exponentForm ? 'DecimalExponent' : 'DecimalSI' });
}

/** The canonical string of a quantity, as Quantity.String() prints it (`2000m` → `2`, `1024Mi` → `1Gi`). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0';
  const sign = q.nano < 0n ? '-' : '';
  const abs = q.nano < 0n ? -q.nano : q.nano;
  const unit = 10n ** 9n;
  if (q.format === 'BinarySI' && abs >= 1024n * unit && abs % unit === 0n) {
    let bytes = abs / unit;
    let k = 0;
    while (k < 6 && bytes % 1024n === 0n) {
      bytes /= 1024n;
      k++;
    }
    return `${sign}${bytes}${BINARY_SUFFIXES[k]}`;
  }
  for (let e = 18; e >= -9; e -= 3) {
    const div = 10n ** BigInt(e + 9);
    if (abs % div !== 0n) continue;
    const suffix = q.format === 'DecimalExponent' ? (e === 0 ? '' : `e${e}`) : Object.keys(DECIMAL_SUFFIX).find((s) => DECIMAL_SUFFIX[s] === e);
    return `${sign}${abs / div}${suffix}`;
  }
  return `${sign}${abs}n`;
}

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([...STANDARD_CONTAINER_RESOURCES, 'storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims']);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.startsWith('kubernetes.io/');
/** Extended resources and hugepages may not be overcommitted: requests must equal limits. */
const isOvercommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => invalid(field, name, m));
  if (errs.length > 0) return errs;
  if (!name.includes('/')) {
    if (!STANDARD_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !isHugePages(name)) errs.push(invalid(field, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && name.startsWith('requests.')) {
    errs.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return errs;
}

function validateResourceQuantityValue(name: string, q: Quantity, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.nano < 0n) errs.push(invalid(field, formatQuantity(q), 'must be greater than or equal to 0'));
  if (!isNative(name) && q.nano % 10n ** 9n !== 0n) errs.push(invalid(field, formatQuantity(q), 'must be an integer'));
  return errs;
}

/** ValidateContainerResourceRequirements: names, non-negative values, requests ≤ limits. */
export function validateContainerResources(res: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limits = asObj(res.limits);
  const requests = asObj(res.requests);
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, raw] of Object.entries(list)) {
      const field = `${path}.${kind}[${name}]`;
      errs.push(...validateContainerResourceName(name, field));
      const q = parseQuantity(raw);
      if (!q) continue;
      errs.push(...validateResourceQuantityValue(name, q, field));
      if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
      if (isHugePages(name)) hugePages = true;
      if (kind === 'requests') errs.push(...compareToLimit(name, q, limits, path));
    }
  }
  if (!cpuOrMemory && hugePages) errs.push(forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

function compareToLimit(name: string, request: Quantity, limits: Obj, path: string): FieldError[] {
  const limit = name in limits ? parseQuantity(limits[name]) : undefined;
  if (!limit) return name in limits || isOvercommitAllowed(name) ? [] : [required(`${path}.limits`, 'Limit must be set for non overcommitable resources')];
  if (request.nano !== limit.nano && !isOvercommitAllowed(name)) {
    return [invalid(`${path}.requests`, formatQuantity(request), `must be equal to ${name} limit of ${formatQuantity(limit)}`)];
  }
  if (request.nano > limit.nano) return [invalid(`${path}.requests`, formatQuantity(request), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`)];
  return [];
}

const FILE_MODE_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';

/** ValidateVolumeMounts: each mount names a valid volume and a unique mountPath. */
export function validateVolumeMounts(mounts: Obj[], volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  mounts.forEach((m, i) => {
    const p = `${path}[${i}]`;
    const name = asStr(m.name);
    const mountPath = asStr(m.mountPath);
    if (!name) errs.push(required(`${p}.name`));
    if (!volumes.has(name)) errs.push(notFound(`${p}.name`, name));
    if (!mountPath) errs.push(required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) errs.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    // Upstream reports subPath problems on the list path, without the index.
    const sub = asStr(m.subPath);
    if (sub) errs.push(...validateLocalDescendingPath(sub, `${path}.subPath`));
  });
  return errs;
}

/** A relative path without `..` elements (validateLocalDescendingPath). */
function validateLocalDescendingPath(target: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (target.startsWith('/')) errs.push(invalid(field, target, 'must be a relative path'));
  errs.push(...validatePathNoBacksteps(target, field));
  return errs;
}

function validatePathNoBacksteps(target: string, field: string): FieldError[] {
  return target.split('/').includes('..') ? [invalid(field, target, "must not contain '..'")] : [];
}

/** Volume sources in upstream check order, with the path word upstream uses for each. */
const VOLUME_SOURCES: Array<[string, string]> = [
  ['emptyDir', 'emptyDir'], ['hostPath', 'hostPath'], ['gitRepo', 'gitRepo'], ['gcePersistentDisk', 'gcePersistentDisk'],
  ['awsElasticBlockStore', 'awsElasticBlockStore'], ['secret', 'secret'], ['nfs', 'nfs'], ['iscsi', 'iscsi'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['persistentVolumeClaim', 'persistentVolumeClaim'], ['rbd', 'rbd'],
  ['cinder', 'cinder'], ['cephfs', 'cephFS'], ['quobyte', 'quobyte'], ['downwardAPI', 'downwarAPI'], ['fc', 'fc'],
  ['flexVolume', 'flexVolume'], ['configMap', 'configMap'], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'],
  ['storageos', 'storageos'], ['projected', 'projected'], ['scaleIO', 'scaleIO'], ['csi', 'csi'], ['ephemeral', 'ephemeral'],
  ['image', 'image'],
];

/** ValidateVolumes: returns the names of volumes that validated, which mounts may reference. */
export function validateVolumes(volumes: unknown[], path: string, errs: FieldError[]): Set<string> {
  const names = new Set<string>();
  volumes.map(asObj).forEach((vol, i) => {
    const p = `${path}[${i}]`;
    const el = validateVolumeSource(vol, p);
    const name = asStr(vol.name);
    if (!name) el.push(required(`${p}.name`));
    else el.push(...isDNS1123Label(name).map((m) => invalid(`${p}.name`, name, m)));
    if (names.has(name)) el.push(duplicate(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else errs.push(...el);
  });
  return names;
}

function validateVolumeSource(vol: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  for (const [key, word] of VOLUME_SOURCES) {
    if (!isSet(vol, key)) continue;
    if (count > 0) {
      errs.push(forbidden(`${p}.${word}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    errs.push(...validateOneSource(key, asObj(vol[key]), `${p}.${key}`));
  }
  if (count === 0) errs.push(required(p, 'must specify a volume type'));
  return errs;
}

/** Per-source checks for the sources a practice cluster meets; others are accepted as they come. */
function validateOneSource(key: string, src: Obj, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const need = (field: string): void => {
    if (!asStr(src[field])) errs.push(required(`${p}.${field}`));
  };
  if (key === 'hostPath') {
    if (!asStr(src.path)) return [required(`${p}.path`)];
    errs.push(...validatePathNoBacksteps(asStr(src.path), `${p}.path`));
    const types = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];
    if (isSet(src, 'type') && !types.includes(asStr(src.type))) errs.push(notSupported(`${p}.type`, src.type, types));
  }
  if (key === 'secret') need('secretName');
  if (key === 'configMap') need('name');
  if (key === 'persistentVolumeClaim') need('claimName');
  if (key === 'nfs') {
    need('server');
    need('path');
    if (!asStr(src.path).startsWith('/')) errs.push(invalid(`${p}.path`, asStr(src.path), 'must be an absolute path'));
  }
  if (key === 'emptyDir' && typeof src.sizeLimit === 'string' && src.sizeLimit.startsWith('-')) {
    errs.push(forbidden(`${p}.sizeLimit`, 'SizeLimit field must be a valid resource quantity'));
  }
  if (['secret', 'configMap', 'downwardAPI', 'projected'].includes(key)) errs.push(...validateModes(src, p, key !== 'downwardAPI'));
  return errs;
}

/** defaultMode and items[*] of secret/configMap volumes: modes 0–0777, key and path set. */
function validateModes(src: Obj, p: string, keyed: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const badMode = (v: unknown): boolean => typeof v === 'number' && (v < 0 || v > 0o777);
  if (badMode(src.defaultMode)) errs.push(invalid(`${p}.defaultMode`, src.defaultMode, FILE_MODE_MSG));
  if (asArr(src.items).length === 0 || asArr(src.sources).length > 0) return errs;
  asArr(src.items).map(asObj).forEach((item, i) => {
    const ip = `${p}.items[${i}]`;
    if (keyed && !asStr(item.key)) errs.push(required(`${ip}.key`));
    if (!asStr(item.path)) errs.push(required(`${ip}.path`));
    errs.push(...validateLocalDescendingPath(asStr(item.path), `${ip}.path`));
    if (asStr(item.path).startsWith('..') && !asStr(item.path).startsWith('../')) errs.push(invalid(`${ip}.path`, asStr(item.path), "must not start with '..'"));
    if (badMode(item.mode)) errs.push(invalid(`${ip}.mode`, item.mode, FILE_MODE_MSG));
  });
  return errs;
}
