/**
 * A YAML emitter with the output of sigs.k8s.io/yaml (go-yaml v2) for JSON-shaped data, which is what
 * `kubectl -o yaml` prints: keys sorted, two-space indent, sequences not indented under their key,
 * strings that YAML 1.1 would read as something else double-quoted, strings a plain scalar cannot
 * hold single-quoted, multi-line strings as literal blocks, and long plain or single-quoted strings
 * folded at the first space past column 80 (go-yaml emitterc.go, best_width).
 */

const BEST_WIDTH = 80;
const INDENT = 2;

/** Words and numbers that go-yaml v2's resolver reads as a non-string (resolve.go). */
const SPECIAL_WORDS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF ~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF <<'.split(' '),
);
const INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
const FLOAT = /^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|infinity|nan)$/i;
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}([Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[-+]\d{2}:\d{2})| \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** Characters go-yaml treats as printable (is_printable), everything else needs double quotes. */
const NON_PRINTABLE = /[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\ud800-\udfff]|\ufeff/;

/** Whether go-yaml v2 would resolve the plain text to a non-string, forcing double quotes. */
function resolvesAsNonString(s: string): boolean {
  if (s === '' || SPECIAL_WORDS.has(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  return INT.test(plain) || FLOAT.test(plain) || TIMESTAMP.test(s) || BASE60_FLOAT.test(s);
}

/** go-yaml's analyze_scalar for the block context: which styles can hold the text. */
function analyze(s: string): { plain: boolean; single: boolean } {
  if (NON_PRINTABLE.test(s)) return { plain: false, single: false };
  let indicators = /^(---|\.\.\.)([\s]|$)/.test(s) || /^[#,[\]{}&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s);
  indicators ||= /:(\s|$)/.test(s) || /\s#/.test(s);
  const edgeSpace = /^\s|\s$/.test(s);
  return { plain: !indicators && !edgeSpace, single: true };
}

/** Builds the output line by line, tracking the column as go-yaml's emitter does. */
class Out {
  text = '';
  column = 0;

  write(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }

  /** Writes words with folding: a space past the best width becomes a line break plus indent. */
  writeFolded(s: string, indent: number): void {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      const breakHere = c === ' ' && this.column > BEST_WIDTH && s[i - 1] !== ' ' && i > 0 && i < s.length - 1 && s[i + 1] !== ' ';
      if (breakHere) this.write('\n' + ' '.repeat(indent));
      else this.write(c);
    }
  }
}

function doubleQuoted(s: string): string {
  const escapes: Record<string, string> = { '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '"': '\\"', '\\': '\\\\' };
  return `"${[...s].map((c) => escapes[c] ?? (NON_PRINTABLE.test(c) ? `\\u${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : c)).join('')}"`;
}

/** A mapping key (a simple key: never folded). */
function keyText(k: string): string {
  if (resolvesAsNonString(k) || k.includes('\n')) return doubleQuoted(k);
  const { plain, single } = analyze(k);
  if (plain) return k;
  return single ? `'${k.replace(/'/g, "''")}'` : doubleQuoted(k);
}

/**
 * A double-quoted value, folded like go-yaml's write_double_quoted: at a space past the best width
 * (not the first or last character, not after another space) the line breaks; a space that follows
 * is kept by escaping the line break with `\`.
 */
function writeDoubleQuoted(out: Out, s: string, indent: number): void {
  const chars = [...s];
  out.write('"');
  let afterSpace = false;
  chars.forEach((c, i) => {
    if (c !== ' ') {
      out.write(doubleQuoted(c).slice(1, -1));
      afterSpace = false;
      return;
    }
    if (!afterSpace && out.column > BEST_WIDTH && i > 0 && i < chars.length - 1) out.write(`\n${' '.repeat(indent)}${chars[i + 1] === ' ' ? '\\' : ''}`);
    else out.write(' ');
    afterSpace = true;
  });
  out.write('"');
}

/**
 * Whether a multi-line string can be a literal block (go-yaml's analyze_scalar): not with a space
 * at its end or before a line break, which a block would lose.
 */
function blockAllowed(s: string): boolean {
  return !NON_PRINTABLE.test(s) && !s.endsWith(' ') && !s.includes(' \n');
}

/** Writes a string value after `key: ` (or `- `); `indent` is where continuation lines start. */
function writeString(out: Out, s: string, indent: number): void {
  if (s.includes('\n')) return blockAllowed(s) ? writeLiteral(out, s, indent) : writeDoubleQuoted(out, s, indent);
  if (resolvesAsNonString(s)) return writeDoubleQuoted(out, s, indent);
  const { plain, single } = analyze(s);
  if (plain) return out.writeFolded(s, indent);
  if (!single) return writeDoubleQuoted(out, s, indent);
  out.write("'");
  out.writeFolded(s.replace(/'/g, "''"), indent);
  out.write("'");
}

function writeLiteral(out: Out, s: string, indent: number): void {
  const chomp = !s.endsWith('\n') ? '-' : s.endsWith('\n\n') || s === '\n' ? '+' : '';
  const indicator = /^[ \n]/.test(s) ? String(INDENT) : '';
  out.write(`|${indicator}${chomp}`);
  const body = chomp === '' ? s.slice(0, -1) : chomp === '+' ? s.slice(0, -1) : s;
  for (const line of body.split('\n')) out.write(line === '' ? '\n' : `\n${' '.repeat(indent)}${line}`);
}

function writeScalar(out: Out, v: unknown, indent: number): void {
  if (v === null || v === undefined) out.write('null');
  else if (typeof v === 'string') writeString(out, v, indent);
  else out.write(String(v));
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : undefined;
  return undefined;
}

/** Writes a mapping whose first key continues the current line (after `- `) when `inline`. */
function writeMap(out: Out, m: Record<string, unknown>, indent: number, inline: boolean): void {
  Object.keys(m)
    .sort()
    .forEach((k, i) => {
      if (!(inline && i === 0)) out.write(' '.repeat(indent));
      out.write(`${keyText(k)}:`);
      writeValue(out, m[k], indent);
    });
}

/** Writes what follows `key:` for a value of a mapping at `indent`, ending the line. */
function writeValue(out: Out, v: unknown, indent: number): void {
  const empty = isEmptyCollection(v);
  if (empty) out.write(` ${empty}\n`);
  else if (Array.isArray(v)) {
    out.write('\n');
    writeSeq(out, v, indent);
  } else if (v !== null && typeof v === 'object') {
    out.write('\n');
    writeMap(out, v as Record<string, unknown>, indent + INDENT, false);
  } else {
    out.write(' ');
    writeScalar(out, v, indent + INDENT);
    out.write('\n');
  }
}

function writeSeq(out: Out, items: unknown[], indent: number): void {
  for (const item of items) {
    out.write(`${' '.repeat(indent)}-`);
    const empty = isEmptyCollection(item);
    if (empty) out.write(` ${empty}\n`);
    else if (Array.isArray(item)) {
      out.write('\n');
      writeSeq(out, item, indent + INDENT);
    } else if (item !== null && typeof item === 'object') {
      out.write(' ');
      writeMap(out, item as Record<string, unknown>, indent + INDENT, true);
    } else {
      out.write(' ');
      writeScalar(out, item, indent + INDENT);
      out.write('\n');
    }
  }
}

/** The YAML document for a JSON-shaped value, as `kubectl -o yaml` prints it. */
export function toYaml(value: unknown): string {
  const out = new Out();
  const empty = isEmptyCollection(value);
  if (empty) return `${empty}\n`;
  if (Array.isArray(value)) writeSeq(out, value, 0);
  else if (value !== null && typeof value === 'object') writeMap(out, value as Record<string, unknown>, 0, false);
  else {
    writeScalar(out, value, 0);
    out.write('\n');
  }
  return out.text;
}
