/**
 * `-o kyaml`: the KYAML encoder kubectl v1.35 prints with (sigs.k8s.io/yaml kyaml/kyaml.go): a `---`
 * header, flow-style maps and lists with trailing commas, every string value double-quoted, keys bare
 * unless YAML could read them as something else, multi-line strings folded with `\` line ends, and
 * lists of maps or lists "cuddled" as `[{ … }, { … }]`.
 */
import { sortKeys } from './generic.js';

const INDENT = '  ';
const FOLD = '\\\n';

/** Strings YAML 1.1/1.2 parsers would read as a null, bool, number or timestamp. */
function yamlGuessesWrong(s: string): boolean {
  const lower = s.toLowerCase();
  if (['null', '~', '', 'true', 'y', 'yes', 'on', 'false', 'n', 'no', 'off', '.inf', '-.inf', '+.inf', '.nan'].includes(lower)) return true;
  if (['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return true;
  const plain = s.replace(/_/g, '');
  // strconv.ParseInt(s, 0, 64) and ParseFloat: any base prefix, or decimal/scientific notation.
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|\d+)$/.test(plain)) return true;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(plain) || /^[-+]?(inf|infinity|nan)$/i.test(plain)) return true;
  if (/^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true;
  return /^\d{4}-\d{1,2}-\d{1,2}([Tt ]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})?)?$/.test(s);
}

/** Whether a map key must be quoted: anything but letters, digits, `_`, and interior `-./`. */
function needsQuotes(s: string): boolean {
  if (s === '' || yamlGuessesWrong(s)) return true;
  const runes = [...s];
  return runes.some((r, i) => !(/[\p{L}\p{N}_]/u.test(r) || (i > 0 && i < runes.length - 1 && /[-./]/.test(r))));
}

const ESCAPES: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\r': '\\r', '\v': '\\v', '\0': '\\0', '\x1b': '\\e', '\x85': '\\N', '\xa0': '\\_', '\u2028': '\\L', '\u2029': '\\P' };

function escapeRune(r: string, newline: string): string {
  if (r === '"' || r === '\\') return `\\${r}`;
  if (r === '\n') return newline;
  if (r === '\t') return r;
  const escaped = ESCAPES[r];
  if (escaped) return escaped;
  const code = r.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return r;
}

/** A string value (or, `key`, a map key): quoted, multi-line values folded at `indent`. */
function renderString(val: string, indent: number, key: boolean): string {
  const multi = val.includes('\n');
  if (key && !multi && !needsQuotes(val)) return val;
  const fold = multi && !key;
  let out = fold ? `"${FOLD}` : '"';
  for (const r of val) {
    if (out.endsWith('\n')) out += INDENT.repeat(indent) + (/\s/.test(r) && r !== '\n' ? '\\' : ' ');
    out += escapeRune(r, fold ? `\\n${FOLD}` : '\\n');
  }
  if (fold) out += (out.endsWith('\n') ? '' : FOLD) + INDENT.repeat(indent);
  return `${out}"`;
}

function isCollection(v: unknown): boolean {
  return v !== null && typeof v === 'object';
}

function renderNode(v: unknown, indent: number): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return renderString(v, indent + 1, false);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isCollection)) return `[${v.map((c) => renderNode(c, indent)).join(', ')}]`;
    const pad = INDENT.repeat(indent);
    return `[\n${v.map((c) => `${pad}${INDENT}${renderNode(c, indent + 1)},\n`).join('')}${pad}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  const pad = INDENT.repeat(indent + 1);
  const body = entries.map(([k, val]) => `${pad}${renderString(k, indent + 1, true)}: ${renderNode(val, indent + 1)},\n`).join('');
  return `{\n${body}${INDENT.repeat(indent)}}`;
}

/** `-o kyaml` of one object (or List): a `---` header, the document, a newline; map keys sorted unless typed. */
export function printKyaml(obj: unknown, opts: { sorted?: boolean } = {}): string {
  return `---\n${renderNode(opts.sorted === false ? obj : sortKeys(obj), 0)}\n`;
}
