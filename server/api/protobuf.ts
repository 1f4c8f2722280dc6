/**
 * Decodes `application/vnd.kubernetes.protobuf` request bodies into the JSON object the apiserver
 * would have decoded (kubectl-wire.md §12): `k8s\0` magic → `runtime.Unknown` envelope → the typed
 * message named by apiVersion and kind → JSON.
 *
 * The protobufjs types are built at first use from our own field tables in schemas/proto.
 *
 * JSON mapping rules (Go's encoder writes every non-pointer field, even when empty, so a zero value
 * on the wire usually means "unset"):
 * - `""`, `0`, `false`, empty bytes, empty lists and maps are dropped, which is what Go's
 *   `omitempty` does for the same struct; that drops `generation: 0` and `name: ""`;
 * - fields marked `?` (Go pointers) keep a zero value that is on the wire: Go only writes a pointer
 *   that was set, so `replicas: 0`, `privileged: false` or `storageClassName: ""` are meaningful;
 * - fields marked `!` (no `omitempty` in Go, e.g. `containerPort`, `allowed`) keep `0` and `false`;
 * - messages are kept even when empty (`resources: {}`, `strategy: {}`), as Go prints struct fields;
 * - a zero `Time`/`MicroTime` ({seconds: 0, nanos: 0}, what Go writes for an unset time) is dropped;
 * - a non-pointer `IntOrString` of 0 or "" and a non-pointer `Quantity` of "0" are dropped (unset);
 * - a top-level `status` holding only zero values is dropped: Go always writes the status struct,
 *   and a request never carries a meaningful one (this matches the §12.1 example);
 * - `Time` → RFC3339 seconds, `MicroTime` → RFC3339 with 6 fraction digits, `Duration` → Go
 *   duration string, `IntOrString` → number or string, `Quantity` → string, `RawExtension` and
 *   `FieldsV1` → embedded JSON, bytes → base64, `ExtraValue` → string list;
 * - inline-embedded structs (`...` in the tables) are flattened into their parent.
 * The returned object starts with `apiVersion` and `kind`, as a JSON body would.
 */
import protobuf from 'protobufjs';
import { messageForKind, protoMessages, type ProtoField } from '../../schemas/proto/index.js';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"
const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'bytes', 'double']);
const NANOS_PER_SECOND = 1_000_000_000n;
const MAX_DATE_SECONDS = 8.64e12; // the largest Date is 8.64e15 ms from the epoch

/** A protobuf body that cannot be decoded: bad magic, malformed bytes or a kind without a table. */
export class ProtobufDecodeError extends Error {
  override readonly name = 'ProtobufDecodeError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What decodeProtobuf returns: the TypeMeta from the envelope and the decoded JSON object. */
export interface DecodedProtobuf {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

interface ParsedField {
  id: number;
  name: string;
  /** Property name in the protobufjs message (inline fields have no JSON name). */
  pbName: string;
  type: string;
  repeated: boolean;
  map: boolean;
  /** Keep a zero value found on the wire (Go pointer or field without omitempty). */
  keepZero: boolean;
  inline: boolean;
}

interface Registry {
  root: protobuf.Root;
  fields: Map<string, ParsedField[]>;
}

type PbMessage = Record<string, unknown>;

let registry: Registry | undefined;

/**
 * Decodes a protobuf request body into `{apiVersion, kind, object}`.
 * @throws {ProtobufDecodeError} on a missing magic, malformed or truncated bytes, or an unknown kind.
 * @example decodeProtobuf(body).object // { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {...}, spec: {...} }
 */
export function decodeProtobuf(body: Buffer): DecodedProtobuf {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new ProtobufDecodeError('protobuf body does not start with the k8s\\0 magic');
  }
  const reg = getRegistry();
  const envelope = decodeMessage(reg, 'Unknown', body.subarray(MAGIC.length), 'protobuf envelope');
  const typeMeta = (envelope.typeMeta ?? {}) as PbMessage;
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  if (!apiVersion || !kind) throw new ProtobufDecodeError('protobuf envelope has no apiVersion or kind');
  if (typeof envelope.contentEncoding === 'string' && envelope.contentEncoding !== '') {
    throw new ProtobufDecodeError(`protobuf content encoding '${envelope.contentEncoding}' is not supported`);
  }
  const messageName = messageForKind(apiVersion, kind);
  if (!messageName) throw new ProtobufDecodeError(`no protobuf schema for ${apiVersion}, Kind=${kind}`);
  // An object whose fields are all unset (DeleteOptions{}) arrives with an empty raw.
  const raw = envelope.raw instanceof Uint8Array ? envelope.raw : new Uint8Array(0);
  const message = decodeMessage(reg, messageName, raw, `${kind} protobuf`);
  const object: Record<string, unknown> = { apiVersion, kind, ...messageToJson(reg, messageName, message) };
  if ('status' in object && isDeepZero(object.status)) delete object.status;
  return { apiVersion, kind, object };
}

/**
 * Formats nanoseconds the way Go's time.Duration.String does (`1h0m0s`, `1.5s`, `300ms`).
 * @example formatGoDuration(5400n * 1_000_000_000n) // '1h30m0s'
 */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return '0s';
  const negative = nanos < 0n;
  const u = negative ? -nanos : nanos;
  let text: string;
  if (u < NANOS_PER_SECOND) {
    // Below one second Go picks the largest unit that keeps an integer part: ns, µs or ms.
    const [unit, scale] = u < 1000n ? ['ns', 1n] : u < 1_000_000n ? ['µs', 1000n] : ['ms', 1_000_000n];
    text = withFraction(u, scale) + unit;
  } else {
    const totalSeconds = u / NANOS_PER_SECOND;
    const seconds = withFraction((totalSeconds % 60n) * NANOS_PER_SECOND + (u % NANOS_PER_SECOND), NANOS_PER_SECOND);
    const minutes = (totalSeconds / 60n) % 60n;
    const hours = totalSeconds / 3600n;
    // Go prints the minutes whenever hours are printed, even when they are zero.
    text = hours > 0n ? `${hours}h${minutes}m${seconds}s` : minutes > 0n ? `${minutes}m${seconds}s` : `${seconds}s`;
  }
  return negative ? `-${text}` : text;
}

/**
 * Formats a protobuf Timestamp as RFC3339 in UTC with `fractionDigits` (0 for Time, 6 for MicroTime).
 * @example formatRfc3339(1767225600, 0, 0) // '2026-01-01T00:00:00Z'
 */
export function formatRfc3339(seconds: number, nanos: number, fractionDigits: 0 | 6): string {
  const base = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, '');
  if (fractionDigits === 0) return `${base}Z`;
  return `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
}

function withFraction(value: bigint, scale: bigint): string {
  const whole = value / scale;
  const fraction = value % scale;
  if (fraction === 0n) return whole.toString();
  const digits = fraction.toString().padStart(scale.toString().length - 1, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}

function getRegistry(): Registry {
  registry ??= buildRegistry();
  return registry;
}

function buildRegistry(): Registry {
  const root = new protobuf.Root();
  const fields = new Map<string, ParsedField[]>();
  for (const [messageName, table] of Object.entries(protoMessages)) {
    const type = new protobuf.Type(messageName);
    const parsed = Object.entries(table).map(([id, field]) => parseField(Number(id), field));
    for (const f of parsed) {
      type.add(f.map
        ? new protobuf.MapField(f.pbName, f.id, 'string', f.type)
        : new protobuf.Field(f.pbName, f.id, f.type, f.repeated ? 'repeated' : 'optional'));
    }
    root.add(type);
    fields.set(messageName, parsed);
  }
  // Fails here, not on the first request, when a table names a message that does not exist.
  root.resolveAll();
  return { root, fields };
}

function parseField(id: number, [name, spec]: ProtoField): ParsedField {
  let type = spec;
  const repeated = type.startsWith('[]');
  const map = type.startsWith('{}');
  if (repeated || map) type = type.slice(2);
  const keepZero = type.endsWith('?') || type.endsWith('!');
  if (keepZero) type = type.slice(0, -1);
  const inline = name === '...';
  return { id, name, pbName: inline ? `inline${id}` : name, type, repeated, map, keepZero, inline };
}

function decodeMessage(reg: Registry, messageName: string, bytes: Uint8Array, what: string): PbMessage {
  try {
    return reg.root.lookupType(messageName).decode(bytes) as unknown as PbMessage;
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtobufDecodeError(`malformed ${what}: ${reason}`, { cause: err });
  }
}

function messageToJson(reg: Registry, messageName: string, message: PbMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of reg.fields.get(messageName) ?? []) {
    // protobufjs sets own properties only for fields present on the wire.
    if (!Object.prototype.hasOwnProperty.call(message, field.pbName)) continue;
    const raw = message[field.pbName];
    let value: unknown;
    if (field.repeated) value = listToJson(reg, field, raw as unknown[]);
    else if (field.map) value = mapToJson(reg, field, raw as Record<string, unknown>);
    else value = valueToJson(reg, field.type, raw, field.keepZero);
    if (value === undefined) continue;
    if (field.inline) Object.assign(out, value);
    else out[field.name] = value;
  }
  return out;
}

function listToJson(reg: Registry, field: ParsedField, items: unknown[]): unknown[] | undefined {
  // List elements and map values are always kept: a 0 or "" inside a list is data, not "unset".
  const list = items.map((item) => valueToJson(reg, field.type, item, true));
  return list.length > 0 ? list : undefined;
}

function mapToJson(reg: Registry, field: ParsedField, entries: Record<string, unknown>): Record<string, unknown> | undefined {
  const keys = Object.keys(entries);
  if (keys.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = valueToJson(reg, field.type, entries[key], true);
  return out;
}

function valueToJson(reg: Registry, type: string, value: unknown, keepZero: boolean): unknown {
  if (SCALARS.has(type)) return scalarToJson(type, value, keepZero);
  const message = (value ?? {}) as PbMessage;
  switch (type) {
    case 'Time':
    case 'MicroTime': return timeToJson(message, type === 'Time' ? 0 : 6);
    case 'Duration': return durationToJson(message, keepZero);
    case 'IntOrString': return intOrStringToJson(message, keepZero);
    case 'Quantity': return quantityToJson(message, keepZero);
    case 'RawExtension': return embeddedJson(message.raw, type);
    case 'FieldsV1': return embeddedJson(message.Raw, type);
    case 'ExtraValue': return Array.isArray(message.items) ? [...(message.items as string[])] : [];
    default: return messageToJson(reg, type, message);
  }
}

function scalarToJson(type: string, value: unknown, keepZero: boolean): unknown {
  let json: unknown = value;
  if (type === 'int64') json = toNumber(value);
  else if (type === 'bytes') json = Buffer.from(value as Uint8Array).toString('base64');
  const isZero = json === '' || json === 0 || json === false;
  return isZero && !keepZero ? undefined : json;
}

function timeToJson(message: PbMessage, fractionDigits: 0 | 6): string | undefined {
  const seconds = toNumber(message.seconds ?? 0);
  const nanos = toNumber(message.nanos ?? 0);
  // Go writes an unset metav1.Time as an empty message; JSON would print null, so it is dropped.
  if (seconds === 0 && nanos === 0) return undefined;
  // JavaScript dates end near year 275760; Go's end at 9999, so anything beyond is garbage.
  if (!(Math.abs(seconds) <= MAX_DATE_SECONDS)) throw new ProtobufDecodeError(`time ${seconds}s is out of range`);
  return formatRfc3339(seconds, nanos, fractionDigits);
}

function durationToJson(message: PbMessage, keepZero: boolean): string | undefined {
  const nanos = BigInt(String(message.duration ?? 0));
  return nanos === 0n && !keepZero ? undefined : formatGoDuration(nanos);
}

function intOrStringToJson(message: PbMessage, keepZero: boolean): number | string | undefined {
  // type 1 is intstr.String; anything else is intstr.Int.
  const value = toNumber(message.type ?? 0) === 1 ? String(message.strVal ?? '') : toNumber(message.intVal ?? 0);
  return (value === 0 || value === '') && !keepZero ? undefined : value;
}

function quantityToJson(message: PbMessage, keepZero: boolean): string | undefined {
  const text = typeof message.string === 'string' && message.string !== '' ? message.string : '0';
  return text === '0' && !keepZero ? undefined : text;
}

function embeddedJson(raw: unknown, type: string): unknown {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.from(raw).toString('utf8'));
  } catch (err) {
    throw new ProtobufDecodeError(`${type} does not hold JSON`, { cause: err });
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  // int64 values arrive as Long objects when the long package is present.
  return protobuf.util.LongBits.from(value as protobuf.Long).toNumber(false);
}

function isDeepZero(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isDeepZero);
  return false;
}
