/**
 * Name and format rules of the apiserver, worded like apimachinery's `pkg/util/validation` and
 * `pkg/api/validate/content`: each `is…` function returns the list of problem descriptions (empty
 * when the value is fine), and the `nameIs…` functions are the per-kind name validators.
 */
import { GenerationMap } from '../generation-map.js';

/** Longest RFC 1123 label (container, port, namespace names). */
export const DNS1123_LABEL_MAX_LENGTH = 63;
/** Longest RFC 1123 subdomain (most object names). */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
/** Longest RFC 1035 label (Service names). */
export const DNS1035_LABEL_MAX_LENGTH = 63;
/** Longest label value. */
export const LABEL_VALUE_MAX_LENGTH = 63;
/** Longest name part of a qualified name (label or annotation key). */
export const LABEL_KEY_NAME_MAX_LENGTH = 63;
/** Sum of key and value lengths of all annotations of one object (256 KiB). */
export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
/** Size limit of ConfigMap and Secret payloads (core.MaxSecretSize, 1 MiB). */
export const MAX_SECRET_SIZE_BYTES = 1024 * 1024;

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const LABEL_KEY_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${LABEL_KEY_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const PERCENT_FMT = '[0-9]+%';
const HTTP_HEADER_NAME_FMT = '[-A-Za-z0-9]+';

const whole = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = whole(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = whole(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = whole(DNS1035_LABEL_FMT);
const LABEL_KEY_RE = whole(LABEL_KEY_FMT);
const LABEL_VALUE_RE = whole(LABEL_VALUE_FMT);
const CONFIG_MAP_KEY_RE = whole(CONFIG_MAP_KEY_FMT);
const PERCENT_RE = whole(PERCENT_FMT);
const HTTP_HEADER_NAME_RE = whole(HTTP_HEADER_NAME_FMT);

/** Go's len(): the byte length, which is what every upstream length limit counts. */
function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/**
 * A regex failure explained the apimachinery way; examples are joined with `" or "` after a
 * trailing `", "`, hence the double space in `'my-name',  or '123-abc'`.
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const shown = examples.map((e) => `'${e}', `).join(' or ');
  return `${msg} (e.g. ${shown}regex used for validation is '${fmt}')`;
}

/** `must be no more than <n> characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** `must be between <lo> and <hi>, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty';
}

/** A lowercase RFC 1123 label: container, port and volume names, namespace names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!DNS1123_LABEL_RE.test(value)) {
    // A valid subdomain that is not a label can only be failing because of its dots.
    if (DNS1123_SUBDOMAIN_RE.test(value)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** A lowercase RFC 1123 subdomain: the name rule of most kinds. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!DNS1123_SUBDOMAIN_RE.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** An RFC 1035 label (must start with a letter): Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!DNS1035_LABEL_RE.test(value)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

/**
 * Label keys and values (and annotation keys) are checked on every write of every object that
 * carries them, and a cluster has few of them: a key or value found valid once is not checked
 * again. Only valid ones are kept; the bound stops ever new values from growing the memos. Names
 * are checked once, when their object is created: no memo.
 */
function knownValid(known: GenerationMap<string, true>, value: string, check: (value: string) => string[]): string[] {
  if (known.get(value)) return [];
  const errs = check(value);
  if (errs.length === 0) known.set(value, true);
  return errs;
}

const MAX_REMEMBERED_VALID = 1024;

/** A qualified name (label key, annotation key, finalizer): `[prefix/]name`. */
export function isQualifiedName(value: string): string[] {
  return knownValid(validQualifiedNames, value, qualifiedNameErrors);
}

const validQualifiedNames = new GenerationMap<string, true>(MAX_REMEMBERED_VALID);

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const nameMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [`a valid label key ${regexError(nameMsg, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > LABEL_KEY_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(LABEL_KEY_NAME_MAX_LENGTH)}`);
  if (!LABEL_KEY_RE.test(name)) errs.push(`name part ${regexError(nameMsg, LABEL_KEY_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** A label value: empty, or up to 63 alphanumerics with `-`, `_`, `.` inside. */
export function isValidLabelValue(value: string): string[] {
  return knownValid(validLabelValues, value, labelValueErrors);
}

const validLabelValues = new GenerationMap<string, true>(MAX_REMEMBERED_VALID);

function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!LABEL_VALUE_RE.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** A ConfigMap or Secret data key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!CONFIG_MAP_KEY_RE.test(value)) {
    errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  }
  errs.push(...hasChDirPrefix(value));
  return errs;
}

function hasChDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** An IANA service (port) name: at most 15 chars of `[-a-z0-9]` with at least one letter. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** A port number 1–65535. */
export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** A percent string such as `25%`. */
export function isValidPercent(percent: string): string[] {
  return PERCENT_RE.test(percent) ? [] : [regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT, '1%', '93%')];
}

/** An HTTP header name (probe httpHeaders). */
export function isHTTPHeaderName(value: string): string[] {
  return HTTP_HEADER_NAME_RE.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", HTTP_HEADER_NAME_FMT, 'X-Header-Name')];
}

/** The relaxed environment-variable name rule (GA since v1.34): printable ASCII except `=`. */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push(`environment variable name ${emptyError()}`);
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code > 126 || code < 32 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}

/** Names used as a REST path segment (RBAC kinds): not `.`/`..`, no `/` or `%`. */
export function isPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return isPathSegmentPrefix(name);
}

/** The generateName variant of isPathSegmentName: only the forbidden substrings matter. */
export function isPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** Whether the string is an IPv4 or IPv6 address in canonical-enough form. */
export function isIP(value: string): boolean {
  return isIPv4(value) || isIPv6(value);
}

/** Whether the string is a dotted-quad IPv4 address without leading zeros. */
export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** Whether the string is an IPv6 address (hex groups, at most one `::`, optional IPv4 tail). */
export function isIPv6(value: string): boolean {
  if (!value.includes(':') || value.split('::').length > 2) return false;
  let s = value;
  let groups = 8;
  const tail = s.lastIndexOf(':');
  if (s.slice(tail + 1).includes('.')) {
    if (!isIPv4(s.slice(tail + 1))) return false;
    s = `${s.slice(0, tail + 1)}0`;
    groups = 7;
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const parse = (x: string): string[] | undefined => (x === '' ? [] : x.split(':'));
  const a = parse(head);
  const b = rest === undefined ? [] : parse(rest);
  if (!a || !b || ![...a, ...b].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  return rest === undefined ? a.length === groups : a.length + b.length < groups;
}

/** The text of field errors for a malformed IP (validation.IsValidIP). */
export const INVALID_IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';

/** A name validator: `prefix` is true when the value is a generateName prefix. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * Lets a generateName prefix end in `-`: apimachinery's maskTrailingDash swaps the tail for
 * `a` (dropping one character more than needed, which only matters for the length check).
 */
function maskTrailingDash(name: string): string {
  return name.endsWith('-') ? `${name.slice(0, Math.max(0, name.length - 2))}a` : name;
}

/** NameIsDNSSubdomain: the default name rule. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** NameIsDNSLabel: Namespace and StatefulSet names. */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** NameIsDNS1035Label: Service names. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
/** ValidatePathSegmentName: RBAC objects and CertificateSigningRequests. */
export const nameIsPathSegment: NameValidator = (name, prefix) => (prefix ? isPathSegmentPrefix(name) : isPathSegmentName(name));

const DNS_LABEL_NAMED = new Set(['/Namespace', 'apps/StatefulSet']);
const PATH_SEGMENT_NAMED = new Set([
  'rbac.authorization.k8s.io/Role', 'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'certificates.k8s.io/CertificateSigningRequest',
]);

/**
 * The name rule the apiserver applies to a kind: DNS label for Namespace and StatefulSet, DNS-1035
 * label for Service, path segment for RBAC kinds, DNS subdomain for everything else.
 */
export function nameValidatorFor(group: string, kind: string): NameValidator {
  const key = `${group}/${kind}`;
  if (key === '/Service') return nameIsDNS1035Label;
  if (DNS_LABEL_NAMED.has(key)) return nameIsDNSLabel;
  if (PATH_SEGMENT_NAMED.has(key)) return nameIsPathSegment;
  return nameIsDNSSubdomain;
}
