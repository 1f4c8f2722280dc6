/**
 * A reader for the block-style YAML that kubeconfig files are written in (by kubectl, client-go and
 * `kd up`): nested mappings, sequences, plain and quoted scalars, `{}` and `[]`. Loading the full
 * `yaml` package costs a one-shot `kd get` more than its request does, so kubeconfigs are read with
 * this first, and anything outside the subset (anchors, tags, block scalars, flow collections with
 * content, multi-line scalars) falls back to `yaml`'s parse.
 */
import { createRequire } from 'node:module';

/** Thrown inside the subset reader for anything it does not handle; the caller falls back. */
class OutsideSubset extends Error {}

interface Line {
  indent: number;
  text: string;
}

/**
 * Parses a kubeconfig's YAML text: the subset reader when it can, else the `yaml` package.
 *
 * @example
 * parseKubeconfigYaml('current-context: kd\ncontexts:\n- name: kd\n'); // { 'current-context': 'kd', contexts: [{ name: 'kd' }] }
 */
export function parseKubeconfigYaml(text: string): unknown {
  try {
    return parseSubset(text);
  } catch (err) {
    if (!(err instanceof OutsideSubset)) throw err;
    const yaml = createRequire(import.meta.url)('yaml') as { parse(text: string): unknown };
    return yaml.parse(text);
  }
}

/** The subset reader alone; throws OutsideSubset for what it does not read. */
export function parseSubset(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const body = stripComment(raw);
    if (body.trim() === '' || body === '---' || body === '...') continue;
    const indent = body.length - body.trimStart().length;
    if (body.slice(0, indent).includes('\t')) throw new OutsideSubset();
    lines.push({ indent, text: body.trim() });
  }
  if (lines.length === 0) return null;
  const cursor = { at: 0 };
  const value = parseBlock(lines, cursor, lines[0]!.indent);
  if (cursor.at < lines.length) throw new OutsideSubset();
  return value;
}

/** Drops a comment: `#` at the start or after a blank, outside quotes. */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      if (i === 0 || /[\s:\-[{,]/.test(line[i - 1]!)) quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return line.slice(0, i).trimEnd();
    }
  }
  return line.trimEnd();
}

function parseBlock(lines: Line[], cursor: { at: number }, indent: number): unknown {
  const first = lines[cursor.at]!;
  if (first.indent !== indent) throw new OutsideSubset();
  return first.text === '-' || first.text.startsWith('- ') ? parseSeq(lines, cursor, indent) : parseMap(lines, cursor, indent);
}

function parseSeq(lines: Line[], cursor: { at: number }, indent: number): unknown[] {
  const out: unknown[] = [];
  while (cursor.at < lines.length && lines[cursor.at]!.indent === indent && (lines[cursor.at]!.text === '-' || lines[cursor.at]!.text.startsWith('- '))) {
    const line = lines[cursor.at]!;
    const rest = line.text.slice(1).trimStart();
    if (rest === '') {
      cursor.at++;
      out.push(cursor.at < lines.length && lines[cursor.at]!.indent > indent ? parseBlock(lines, cursor, lines[cursor.at]!.indent) : null);
      continue;
    }
    // `- key: value` opens a mapping whose keys sit at the column after the dash.
    const inner = indent + (line.text.length - rest.length);
    if (splitKey(rest) !== undefined) {
      lines[cursor.at] = { indent: inner, text: rest };
      out.push(parseMap(lines, cursor, inner));
    } else {
      cursor.at++;
      out.push(scalar(rest));
      if (cursor.at < lines.length && lines[cursor.at]!.indent > indent) throw new OutsideSubset();
    }
  }
  return out;
}

function parseMap(lines: Line[], cursor: { at: number }, indent: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (cursor.at < lines.length && lines[cursor.at]!.indent === indent) {
    const kv = splitKey(lines[cursor.at]!.text);
    if (!kv) throw new OutsideSubset();
    const [key, rest] = kv;
    cursor.at++;
    if (rest !== '') {
      out[key] = scalar(rest);
      if (cursor.at < lines.length && lines[cursor.at]!.indent > indent) throw new OutsideSubset();
      continue;
    }
    const next = lines[cursor.at];
    // A nested block is indented further, except a sequence, which may sit at the key's own column.
    const nested = next && (next.indent > indent || (next.indent === indent && (next.text === '-' || next.text.startsWith('- '))));
    out[key] = nested ? parseBlock(lines, cursor, next.indent) : null;
  }
  return out;
}

/** `key: rest` (rest may be empty) for a mapping line; undefined when the line is not one. */
function splitKey(text: string): [string, string] | undefined {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = text.indexOf(text[0]!, 1);
    if (end < 0 || text[end + 1] !== ':' || (text.length > end + 2 && text[end + 2] !== ' ')) return undefined;
    return [String(scalar(text.slice(0, end + 1))), text.slice(end + 2).trim()];
  }
  const m = /^([^\s:#&*!|>'"%@`{}[\],?-][^:#]*?|-[^\s:][^:#]*?):(?: +(.*))?$/.exec(text);
  return m ? [m[1]!, (m[2] ?? '').trim()] : undefined;
}

/** A scalar (or `{}` / `[]`) in YAML 1.2's core schema. */
function scalar(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text.startsWith("'")) {
    if (!text.endsWith("'") || text.length < 2) throw new OutsideSubset();
    const inner = text.slice(1, -1);
    if (/'(?!')/.test(inner.replace(/''/g, ''))) throw new OutsideSubset();
    return inner.replace(/''/g, "'");
  }
  if (text.startsWith('"')) return doubleQuoted(text);
  if (/^[&*!|>{[%@`]/.test(text) || /: |\s#/.test(text)) throw new OutsideSubset();
  if (text === 'null' || text === '~' || text === 'Null' || text === 'NULL') return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?\d+$/.test(text)) return Number(text);
  if (/^[-+]?(\.\d+|\d+(\.\d*)?)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^0x[0-9a-fA-F]+$|^0o[0-7]+$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$/.test(text)) throw new OutsideSubset();
  return text;
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', ' ': ' ' };

function doubleQuoted(text: string): string {
  if (!text.endsWith('"') || text.length < 2) throw new OutsideSubset();
  const inner = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i]!;
    if (ch === '"') throw new OutsideSubset();
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = inner[++i];
    if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(inner.slice(i + 1, i + 5))) {
      out += String.fromCharCode(parseInt(inner.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e !== undefined && e in ESCAPES) {
      out += ESCAPES[e];
    } else {
      throw new OutsideSubset();
    }
  }
  return out;
}
