/**
 * The functions a kubectl go-template can call: text/template's builtins (text/template/funcs.go:
 * and, or, not, len, index, slice, print, printf, println, eq/ne/lt/le/gt/ge, html, js, urlquery)
 * and the two cli-runtime adds (printers/template.go: exists, base64decode). Errors are the texts Go
 * wraps as `error calling <name>: <text>`.
 */
import { formatValue, GoInt, goTypeName, intOf, isMap, sprint, sprintf, sprintln, type GoValue } from './go-fmt.js';

/** A function's failure, reported as `error calling <name>: <message>`. */
export class FuncCallError extends Error {
  override name = 'FuncCallError';
}

/** A builtin: its arity (minimum, or exact when `exact`) and its implementation. */
export interface TemplateFunc {
  min: number;
  exact?: boolean;
  /** Takes reflect.Value arguments, so a missing value arrives as such rather than as nil. */
  reflectArgs?: boolean;
  call: (args: GoValue[]) => GoValue;
}


/** text/template's truth: false, 0, nil, empty string/slice/map and missing values are false. */
export function isTrue(v: GoValue): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint' || v instanceof GoInt) return intOf(v) !== 0n;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid' | 'other';

function basicKind(v: GoValue): Kind {
  if (v === undefined) return 'invalid';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint' || v instanceof GoInt) return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  return 'other';
}

/** Go 1.18+ eq: mismatched kinds are an error only when both values are valid. */
function eq(args: GoValue[]): boolean {
  const [a, ...rest] = args;
  if (rest.length === 0) throw new FuncCallError('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    if (k1 !== k2) {
      if (a !== undefined && b !== undefined) throw new FuncCallError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
      continue;
    }
    if (k1 === 'other') {
      if (a !== null || b !== null) {
        if (a === null || b === null) continue;
        throw new FuncCallError(`non-comparable type ${formatValue(b)}: ${goTypeName(b)}`);
      }
      return true;
    }
    if (a === b || (k1 === 'int' && intOf(a) === intOf(b))) return true;
  }
  return false;
}

function lt(args: GoValue[]): boolean {
  const [a, b] = args;
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'other' || k1 === 'invalid' || k1 === 'bool' || k2 === 'other' || k2 === 'invalid' || k2 === 'bool') throw new FuncCallError('invalid type for comparison');
  if (k1 !== k2) throw new FuncCallError(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
  if (k1 === 'int') return intOf(a)! < intOf(b)!;
  return (a as number) < (b as number);
}

function length(args: GoValue[]): GoInt {
  return new GoInt(byteLength(args));
}

function byteLength(args: GoValue[]): bigint {
  const [v] = args;
  if (v === undefined) throw new FuncCallError('reflect: call of reflect.Value.Type on zero Value');
  if (v === null) throw new FuncCallError('len of nil pointer');
  if (typeof v === 'string') return BigInt(Buffer.byteLength(v));
  if (Array.isArray(v)) return BigInt(v.length);
  if (isMap(v)) return BigInt(Object.keys(v).length);
  throw new FuncCallError(`len of type ${goTypeName(v)}`);
}

function toIndex(i: GoValue, size: number, what: string): number {
  if (intOf(i) !== undefined) {
    const n = Number(intOf(i));
    if (n < 0 || n > size) throw new FuncCallError(`${what} out of range: ${n}`);
    return n;
  }
  if (i === undefined || i === null) throw new FuncCallError(`cannot index slice/array with nil`);
  throw new FuncCallError(`cannot index slice/array with type ${goTypeName(i)}`);
}

function index(args: GoValue[]): GoValue {
  let item = args[0];
  if (item === undefined || item === null) throw new FuncCallError('index of untyped nil');
  for (const key of args.slice(1)) {
    if (Array.isArray(item) || typeof item === 'string') {
      const n = toIndex(key, item.length, 'index');
      if (n === item.length) throw new FuncCallError(`index out of range: ${n}`);
      item = typeof item === 'string' ? BigInt(Buffer.from(item)[n]!) : item[n];
    } else if (isMap(item)) {
      if (typeof key !== 'string') throw new FuncCallError(`value has type ${goTypeName(key)}; should be string`);
      item = Object.hasOwn(item, key) ? item[key] : null;
    } else if (item === null) {
      // A map miss gave the element type's zero value: a nil interface.
      throw new FuncCallError('index of nil pointer');
    } else throw new FuncCallError(`can't index item of type ${goTypeName(item)}`);
  }
  return item;
}

function slice(args: GoValue[]): GoValue {
  const [item, ...idx] = args;
  if (item === undefined || item === null) throw new FuncCallError('slice of untyped nil');
  if (!Array.isArray(item) && typeof item !== 'string') throw new FuncCallError(`can't slice item of type ${goTypeName(item)}`);
  if (idx.length > 3 || (typeof item === 'string' && idx.length > 2)) throw new FuncCallError(`too many slice indexes: ${idx.length}`);
  const bounds = idx.map((i) => toIndex(i, item.length, 'index'));
  const from = bounds[0] ?? 0;
  const to = bounds[1] ?? item.length;
  if (from > to) throw new FuncCallError(`invalid slice index: ${from} > ${to}`);
  return item.slice(from, to);
}

function exists(args: GoValue[]): boolean {
  let item = args[0];
  for (const key of args.slice(1)) {
    if (isMap(item) && typeof key === 'string' && Object.hasOwn(item, key)) item = item[key];
    else if (Array.isArray(item) && intOf(key) !== undefined && intOf(key)! >= 0n && intOf(key)! < BigInt(item.length)) item = item[Number(intOf(key))];
    else return false;
  }
  return true;
}

function base64decode(args: GoValue[]): string {
  const [v] = args;
  if (typeof v !== 'string') throw new FuncCallError(`wrong type for value; expected string; got ${goTypeName(v)}`);
  const bad = /[^A-Za-z0-9+/=]/.exec(v);
  if (bad) throw new FuncCallError(`base64 decode failed: illegal base64 data at input byte ${bad.index}`);
  if (v.length % 4 !== 0) throw new FuncCallError(`base64 decode failed: illegal base64 data at input byte ${v.length - (v.length % 4)}`);
  return Buffer.from(v, 'base64').toString('latin1') === '' ? '' : Buffer.from(v, 'base64').toString('utf8');
}

function evalArgsText(args: GoValue[]): string {
  // text/template's evalArgs: one string argument as is, otherwise fmt.Sprint of them all.
  return args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args);
}

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

function jsEscape(s: string): string {
  return s.replace(/[\\'"<>&=]|[\0-\x1f]/g, (c) => {
    if (c === '\\') return '\\\\';
    if (c === "'") return "\\'";
    if (c === '"') return '\\"';
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

function urlQuery(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function format(args: GoValue[]): string {
  const [f, ...rest] = args;
  if (typeof f !== 'string') throw new FuncCallError(`wrong type for value; expected string; got ${goTypeName(f)}`);
  return sprintf(f, rest);
}

/** Every function by name; `and`/`or` are here for arity only, the executor short-circuits them. */
export const FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['and', { min: 1, call: (a) => a.find((v) => !isTrue(v)) ?? a.at(-1) }],
  ['or', { min: 1, call: (a) => a.find((v) => isTrue(v)) ?? a.at(-1) }],
  ['not', { reflectArgs: true, min: 1, exact: true, call: (a) => !isTrue(a[0]) }],
  ['len', { reflectArgs: true, min: 1, exact: true, call: length }],
  ['index', { reflectArgs: true, min: 1, call: index }],
  ['slice', { reflectArgs: true, min: 1, call: slice }],
  ['print', { min: 0, call: sprint }],
  ['println', { min: 0, call: sprintln }],
  ['printf', { min: 1, call: format }],
  ['eq', { reflectArgs: true, min: 1, call: eq }],
  ['ne', { reflectArgs: true, min: 2, exact: true, call: (a) => !eq(a) }],
  ['lt', { reflectArgs: true, min: 2, exact: true, call: lt }],
  ['le', { reflectArgs: true, min: 2, exact: true, call: (a) => lt(a) || eq(a) }],
  ['gt', { reflectArgs: true, min: 2, exact: true, call: (a) => !lt(a) && !eq(a) }],
  ['ge', { reflectArgs: true, min: 2, exact: true, call: (a) => !lt(a) }],
  ['html', { min: 0, call: (a) => htmlEscape(evalArgsText(a)) }],
  ['js', { min: 0, call: (a) => jsEscape(evalArgsText(a)) }],
  ['urlquery', { min: 0, call: (a) => urlQuery(evalArgsText(a)) }],
  ['exists', { min: 1, call: exists }],
  ['base64decode', { min: 1, exact: true, call: base64decode }],
]);
