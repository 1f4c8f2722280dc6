/**
 * Go's fmt as text/template prints the values a JSON object decodes to (Go's fmt/print.go and
 * format.go, strconv/ftoa.go): `map[k:v]` with sorted keys, `[a b]` slices, float64 in `%g` form with
 * the shortest digits, `<nil>` for null; plus Sprint, Sprintln and Sprintf with the verbs templates use.
 *
 * Values: JSON decoded as apimachinery's json.Unmarshal does into interface{} (objects, arrays,
 * strings, whole numbers as int64 and others as float64, booleans, null); integers (int64 data, a
 * whole numbers as int64 carried as bigint, others as float64 carried as number, booleans, null); a
 * template's Go `int`s (constants, `len` results, range indexes) as GoInt; `undefined` is Go's
 * invalid reflect.Value (a missing map key).
 */

/** A value a template works on. */
export type GoValue = unknown;

/** A Go `int`, kept apart from int64 data because Go's messages name the two types. */
export class GoInt {
  constructor(readonly value: bigint) {}

  toString(): string {
    return String(this.value);
  }
}

/** The integer in an int or int64 value; undefined for anything else. */
export function intOf(v: unknown): bigint | undefined {
  return typeof v === 'bigint' ? v : v instanceof GoInt ? v.value : undefined;
}

/** Whether a value is a decoded JSON object (Go map[string]interface{}). */
export function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof GoInt);
}

/** The Go type name of a value, as reflect prints it in template errors. */
export function goTypeName(v: GoValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'bigint') return 'int64';
  if (v instanceof GoInt) return 'int';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** strconv.FormatFloat(f, 'g', -1, 64), Go's `%v` of a float64. */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mantissa, expText] = f.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  // The shortest form switches to an exponent below 1e-4 and from 1e6 (precision 6 for the decision).
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(f);
}

/** fmt's `%v` of one value. */
export function formatValue(v: GoValue): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'number') return formatFloat(v);
  if (typeof v === 'string' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof GoInt) return String(v);
  if (Array.isArray(v)) return `[${v.map(inner).join(' ')}]`;
  if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${k}:${inner(v[k])}`).join(' ')}]`;
  return String(v);
}

/** A value inside a map or slice: a nil interface prints `<nil>` there. */
function inner(v: GoValue): string {
  return v === undefined ? '<nil>' : formatValue(v);
}

/** fmt's `%#v` (Go syntax) of a decoded JSON value, as kubectl's jsonpath error dump prints it. */
export function goSyntax(v: GoValue): string {
  if (v === undefined || v === null) return 'interface {}(nil)';
  if (typeof v === 'string') return goQuote(v);
  // Unstructured content holds whole numbers as int64.
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloat(v);
  if (Array.isArray(v)) return `[]interface {}{${v.map(goSyntax).join(', ')}}`;
  if (isMap(v)) return `map[string]interface {}{${Object.keys(v).sort().map((k) => `${goQuote(k)}:${goSyntax(v[k])}`).join(', ')}}`;
  return String(v);
}

/** fmt.Sprint: operands separated by a space when neither side is a string. */
export function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: operands always separated by a space, then a newline. */
export function sprintln(args: GoValue[]): string {
  return args.map(formatValue).join(' ') + '\n';
}

/** strconv.Quote as far as JSON's escaping agrees with it. */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-7][0-9a-f])/g, (_m, h: string) => (h === '7f' ? '\\x7f' : `\\x${h}`));
}

interface Spec {
  minus: boolean;
  plus: boolean;
  zero: boolean;
  space: boolean;
  sharp: boolean;
  width?: number;
  prec?: number;
  verb: string;
}

function pad(text: string, spec: Spec): string {
  if (spec.width === undefined || text.length >= spec.width) return text;
  if (spec.minus) return text.padEnd(spec.width);
  if (spec.zero && /^[-+]?\d/.test(text)) {
    const sign = /^[-+]/.test(text) ? text[0]! : '';
    return sign + text.slice(sign.length).padStart(spec.width - sign.length, '0');
  }
  return text.padStart(spec.width);
}

function bad(spec: Spec, v: GoValue): string {
  if (v === undefined || v === null) return `%!${spec.verb}(<nil>)`;
  return `%!${spec.verb}(${goTypeName(v)}=${formatValue(v)})`;
}

function fixed(f: number, prec: number): string {
  return Number.isFinite(f) ? f.toFixed(prec) : formatFloat(f);
}

function exponent(f: number, prec: number | undefined): string {
  const text = prec === undefined ? f.toExponential() : f.toExponential(prec);
  return text.replace(/e([-+])(\d)$/, 'e$10$2');
}

function withSign(text: string, spec: Spec): string {
  if (text.startsWith('-')) return text;
  return spec.plus ? `+${text}` : spec.space ? ` ${text}` : text;
}

/** One verb applied to one operand; maps and slices apply it to each key and element, as fmt does. */
function formatOne(spec: Spec, v: GoValue): string {
  const { verb } = spec;
  if (verb !== 'T' && !(verb === 'v' && spec.sharp)) {
    const inner = (e: GoValue) => formatOne(spec, e === undefined ? null : e);
    if (Array.isArray(v)) return `[${v.map(inner).join(' ')}]`;
    if (isMap(v)) return `map[${Object.keys(v).sort().map((k) => `${inner(k)}:${inner(v[k])}`).join(' ')}]`;
  }
  if (verb === 'U') {
    const n = intOf(v);
    return n === undefined ? bad(spec, v) : pad(`U+${n.toString(16).toUpperCase().padStart(4, '0')}`, spec);
  }
  // For %v the flags + and # ask for field names and Go syntax, not a sign.
  if (verb === 'v') return pad(spec.sharp ? goSyntax(v) : formatValue(v === undefined ? null : v), spec);
  if (verb === 'T') return pad(v === undefined || v === null ? '<nil>' : goTypeName(v), spec);
  if (verb === 's' || verb === 'q') {
    if (typeof v !== 'string') return bad(spec, v);
    const s = spec.prec === undefined ? v : v.slice(0, spec.prec);
    return pad(verb === 'q' ? goQuote(s) : s, spec);
  }
  if (verb === 't') return typeof v === 'boolean' ? pad(String(v), spec) : bad(spec, v);
  if (verb === 'd' || verb === 'x' || verb === 'X' || verb === 'o' || verb === 'b' || verb === 'c') {
    if (verb === 'x' || verb === 'X') {
      if (typeof v === 'string') return pad(Buffer.from(v).toString('hex')[verb === 'X' ? 'toUpperCase' : 'toLowerCase'](), spec);
    }
    const n = intOf(v);
    if (n === undefined) return bad(spec, v);
    if (verb === 'c') return pad(String.fromCodePoint(Number(n)), spec);
    const radix = { d: 10, x: 16, X: 16, o: 8, b: 2 }[verb]!;
    const text = (n < 0n ? '-' : '') + (n < 0n ? -n : n).toString(radix);
    return pad(withSign(verb === 'X' ? text.toUpperCase() : text, spec), spec);
  }
  if (verb === 'f' || verb === 'F' || verb === 'e' || verb === 'g') {
    if (typeof v !== 'number') return bad(spec, v);
    const text = verb === 'e' ? exponent(v, spec.prec ?? 6) : verb === 'g' ? (spec.prec === undefined ? formatFloat(v) : String(Number(v.toPrecision(spec.prec)))) : fixed(v, spec.prec ?? 6);
    return pad(withSign(text, spec), spec);
  }
  return `%!${verb}(${goTypeName(v)}=${formatValue(v)})`;
}

/** fmt.Sprintf for the verbs templates use (%v %s %q %d %t %f %e %g %x %c %T %%), with flags, width and precision. */
export function sprintf(format: string, args: GoValue[]): string {
  let out = '';
  let argi = 0;
  const re = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?(.)?/gy;
  for (let i = 0; i < format.length; ) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    re.lastIndex = pct;
    const m = re.exec(format)!;
    i = re.lastIndex;
    const flags = m[1] ?? '';
    const spec: Spec = { minus: flags.includes('-'), plus: flags.includes('+'), zero: flags.includes('0'), space: flags.includes(' '), sharp: flags.includes('#'), verb: m[4] ?? '' };
    const num = (text: string | undefined) => (text === '*' ? Number(args[argi++] ?? 0) : text === undefined ? undefined : text === '' ? 0 : Number(text));
    spec.width = num(m[2]);
    spec.prec = num(m[3]);
    if (spec.verb === '') {
      out += '%!(NOVERB)';
      continue;
    }
    if (spec.verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${spec.verb}(MISSING)`;
      continue;
    }
    out += formatOne(spec, args[argi++]);
  }
  if (argi < args.length) out += `%!(EXTRA ${args.slice(argi).map((a) => `${goTypeName(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}
