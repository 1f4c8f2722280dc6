/**
 * `-o custom-columns=HEADER:PATH,…` and `-o custom-columns-file=FILE` (kubectl pkg/cmd/get/
 * customcolumn.go): one row per object, each cell every JSONPath result printed with Go's `%v`
 * and joined by commas, `<none>` when nothing matched; aligned like kubectl's other tables.
 */
import { readFileSync } from 'node:fs';
import { evalPath } from './jsonpath.js';
import { TabWriter } from './tabwriter.js';

/** One column: its header and its path (an action without braces, e.g. `.metadata.name`). */
export interface CustomColumn {
  header: string;
  path: string;
}

const UNEXPECTED_PATH = "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'";

/**
 * kubectl's RelaxedJSONPathExpression, then field names with escaped dots or other characters
 * (`annotations.deployment\.kubernetes\.io/revision`) rewritten as `['…']` subscripts.
 */
export function relaxedJsonPath(expr: string): string {
  if (expr === '') return '';
  return bracketEscapes(`.${relaxedField(expr)}`);
}

/** RelaxedJSONPathExpression as kubectl prints it in messages: `{.status.podIP}`. */
export function relaxedJsonPathExpression(expr: string): string {
  return expr === '' ? '' : `{.${relaxedField(expr)}}`;
}

function relaxedField(expr: string): string {
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new Error(UNEXPECTED_PATH);
  return (m[1] ?? m[2])!;
}

/** Splits `.a\.b/c[0]` into `['a.b/c'][0]` so the evaluator sees one field. */
function bracketEscapes(path: string): string {
  if (!path.includes('\\') && !/\.[^.[\]*@\w-]/.test(path) && !/[/:]/.test(path.replace(/\[[^\]]*\]/g, ''))) return path;
  let out = '';
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '[') {
      const end = path.indexOf(']', i);
      out += path.slice(i, end < 0 ? undefined : end + 1);
      i = end < 0 ? path.length : end + 1;
    } else if (c === '.') {
      let name = '';
      i++;
      while (i < path.length && path[i] !== '.' && path[i] !== '[') {
        if (path[i] === '\\' && i + 1 < path.length) i++;
        name += path[i];
        i++;
      }
      out += /^[\w-]+$|^\*$/.test(name) ? `.${name}` : `['${name}']`;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Checks a path the way client-go's parser would, with its error texts. */
async function checkPath(path: string): Promise<void> {
  const { compileJsonPath } = await import('./jsonpath.js');
  try {
    compileJsonPath(`{${path}}`);
  } catch (err) {
    throw new Error((err as Error).message.slice(`error parsing jsonpath {${path}}, `.length));
  }
}

/** Parses `-o custom-columns=<spec>`. */
export async function parseCustomColumns(spec: string): Promise<CustomColumn[]> {
  if (spec === '') throw new Error('custom-columns format specified but no custom columns given');
  const columns: CustomColumn[] = [];
  for (const part of spec.split(',')) {
    const at = part.indexOf(':');
    if (at < 0) throw new Error(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    const path = relaxedJsonPath(part.slice(at + 1));
    await checkPath(path);
    columns.push({ header: part.slice(0, at), path });
  }
  return columns;
}

/** Parses `-o custom-columns-file=<file>`: a line of headers, then a line of paths. */
export async function parseCustomColumnsFile(file: string): Promise<CustomColumn[]> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (lines.length !== 2) throw new Error(`unexpected lines in custom-columns file, expected 2, got ${lines.length}`);
  const headers = lines[0]!.trim().split(/\s+/);
  const paths = lines[1]!.trim().split(/\s+/);
  if (headers.length !== paths.length) throw new Error(`number of headers (${headers.length}) doesn't match number of column specs (${paths.length})`);
  const columns: CustomColumn[] = [];
  for (let i = 0; i < headers.length; i++) {
    const path = relaxedJsonPath(paths[i]!);
    await checkPath(path);
    columns.push({ header: headers[i]!, path });
  }
  return columns;
}

/** A value as Go's fmt `%v` prints an unstructured value: `map[k:v]`, `[a b]`, `<nil>`. */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}

/**
 * Prints the objects as custom columns, the header first unless `noHeaders`.
 *
 * @example
 * printCustomColumns([{ header: 'NAME', path: '.metadata.name' }], pods, false)
 */
export function printCustomColumns(columns: CustomColumn[], objs: any[], noHeaders: boolean): string {
  let text = '';
  const w = new TabWriter((t) => (text += t));
  if (!noHeaders) w.row(columns.map((c) => c.header));
  for (const obj of objs) {
    w.row(
      columns.map((c) => {
        const values = evalPath(c.path, [obj]);
        return values.length === 0 ? '<none>' : values.map(goValue).join(',');
      }),
    );
  }
  w.flush();
  return text;
}
