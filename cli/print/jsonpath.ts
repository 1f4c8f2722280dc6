/**
 * `-o jsonpath=<template>`: the part of client-go's util/jsonpath that practice uses. Text outside
 * `{…}` is copied; an action holds a path (`.a.b`, `['k']`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `.*`,
 * `..name`, filters `[?(@.x=="y")]`), a string literal (`"\n"`), or `range <path>` … `end`.
 * Several results of one action are joined by spaces; maps and lists print as compact JSON; missing
 * keys print nothing (kubectl's --allow-missing-template-keys default).
 */

import { sortKeys } from './generic.js';
import { goQuote, goSyntax } from './go-fmt.js';

type Node = { text: string } | { path: string } | { range: string; body: Node[] };

/** Splits a template into text, actions and range blocks. */
function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      stack.at(-1)!.push({ text: template.slice(i) });
      break;
    }
    if (open > i) stack.at(-1)!.push({ text: template.slice(i, open) });
    const close = findClose(template, open);
    const action = template.slice(open + 1, close).trim();
    i = close + 1;
    if (action.startsWith('range ')) {
      const node = { range: action.slice(6).trim(), body: [] as Node[] };
      evalPath(node.range, []);
      stack.at(-1)!.push(node);
      stack.push(node.body);
    } else if (action === 'end') {
      if (stack.length === 1) throw new Error('not in range, nothing to end');
      stack.pop();
    } else {
      // Tokenizing against no values checks the syntax up front, as client-go's parser does.
      if ((action.match(/\[/g) ?? []).length > (action.match(/\]/g) ?? []).length) throw new Error('unterminated array');
      evalPath(action, []);
      stack.at(-1)!.push({ path: action });
    }
  }
  return root;
}

/** The `}` that closes the action at `open`, skipping quoted strings. */
function findClose(t: string, open: number): number {
  let quote = '';
  let brackets = 0;
  for (let i = open + 1; i < t.length; i++) {
    const c = t[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') brackets++;
    else if (c === ']') brackets--;
    else if (c === '}' && brackets <= 0) return i;
  }
  throw new Error(brackets > 0 ? 'unterminated array' : quote ? 'unterminated quoted string' : 'unclosed action');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** How the printer evaluates: kubectl's printer fails on a field found nowhere (unless missing keys are allowed) and on an index out of bounds. */
export interface EvalOptions {
  strict?: boolean;
  bounds?: boolean;
}

/** A jsonpath execution failure, in client-go's words. */
class JsonPathExecError extends Error {}

/** Evaluates a path (an action without its braces) against the current values; unknown keys yield nothing. */
export function evalPath(path: string, current: unknown[], opts: EvalOptions = {}): unknown[] {
  if (/^".*"$/s.test(path)) return [JSON.parse(path)];
  if (/^'.*'$/s.test(path)) return [JSON.parse(`"${path.slice(1, -1).replace(/"/g, '\\"')}"`)];
  let values = current;
  const re = /\.\.([\w-]+|\*)|\.([\w-]+|\*)|\[\?\((.*?)\)\]|\[([^\]]*)\]|(@|\$)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < path.length && (re.lastIndex = at, (m = re.exec(path)))) {
    at = re.lastIndex;
    if (m[1] !== undefined) values = values.flatMap((v) => descend(v, m![1]!));
    else if (m[2] !== undefined) {
      values = values.flatMap((v) => field(v, m![2]!));
      if (opts.strict && values.length === 0) throw new JsonPathExecError(`${m[2]} is not found`);
    } else if (opts.bounds && m[4] !== undefined && /^-?\d+$/.test(m[4].trim())) {
      values = values.flatMap((v) => checkedIndex(v, Number(m![4]!.trim())));
    }
    else if (m[3] !== undefined) values = values.flatMap((v) => (Array.isArray(v) ? v.filter((e) => matches(m![3]!, e)) : []));
    else if (m[4] !== undefined) values = values.flatMap((v) => subscript(v, m![4]!.trim()));
  }
  if (at < path.length) throw new Error(`unrecognized character in action: ${path.slice(at)}`);
  return values;
}

function checkedIndex(v: unknown, i: number): unknown[] {
  if (!Array.isArray(v)) return [];
  const at = i < 0 ? v.length + i : i;
  if (at < 0 || at >= v.length) throw new JsonPathExecError(`array index out of bounds: index ${i}, length ${v.length}`);
  return [v[at]];
}

function field(v: unknown, name: string): unknown[] {
  if (!isObject(v)) return [];
  if (name === '*') return Object.keys(v).sort().map((k) => v[k]);
  return name in v ? [v[name]] : [];
}

function descend(v: unknown, name: string): unknown[] {
  const own = field(v, name);
  const children = Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
  return [...own, ...children.flatMap((c) => descend(c, name))];
}

function subscript(v: unknown, s: string): unknown[] {
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(s);
  if (quoted) return field(v, quoted[1] ?? quoted[2]!);
  if (!Array.isArray(v)) return s === '*' && isObject(v) ? field(v, '*') : [];
  if (s === '*') return v;
  const slice = /^(-?\d*):(-?\d*)$/.exec(s);
  if (slice) return v.slice(slice[1] ? Number(slice[1]) : 0, slice[2] ? Number(slice[2]) : v.length);
  const i = Number(s);
  const item = v[i < 0 ? v.length + i : i];
  return item === undefined ? [] : [item];
}

/** A filter `@.a.b == "x"` (also !=, <, >, <=, >=) or an existence test `@.a`. */
function matches(filter: string, item: unknown): boolean {
  const m = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*(.*)$/.exec(filter.trim());
  const left = evalPath((m ? m[1]! : filter).trim().replace(/^@/, ''), [item]);
  if (!m) return left.length > 0;
  const rightText = m[3]!.trim();
  const right = rightText.startsWith('@') ? evalPath(rightText.slice(1), [item])[0] : literal(rightText);
  return left.some((l) => compare(l, m[2]!, right));
}

function literal(text: string): unknown {
  if (/^'.*'$/.test(text)) return text.slice(1, -1);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function compare(l: unknown, op: string, r: unknown): boolean {
  switch (op) {
    case '==': return l === r;
    case '!=': return l !== r;
    case '<': return (l as number) < (r as number);
    case '>': return (l as number) > (r as number);
    case '<=': return (l as number) <= (r as number);
    default: return (l as number) >= (r as number);
  }
}

/** One value as client-go prints it: maps and lists as compact JSON, the rest as text. */
function text(v: unknown): string {
  if (v !== null && typeof v === 'object') return JSON.stringify(sortKeys(v)).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return v === null ? '<nil>' : String(v);
}

function render(nodes: Node[], data: unknown, opts: EvalOptions): string {
  let out = '';
  for (const node of nodes) {
    if ('text' in node) out += node.text;
    else if ('path' in node) out += evalPath(node.path, [data], opts).map(text).join(' ');
    else for (const item of evalPath(node.range, [data], opts)) out += render(node.body, item, opts);
  }
  return out;
}

/** Runs a printer's evaluation, turning a failure into kubectl's `error executing jsonpath` with its dump. */
function executing<T>(template: string, obj: unknown, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (!(err instanceof JsonPathExecError)) throw err;
    throw new Error(
      `error executing jsonpath ${goQuote(template)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
        `\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSyntax(obj)}\n\n`,
    );
  }
}

/**
 * A parsed template; throws kubectl's `error parsing jsonpath <template>, <reason>`. With `printer`
 * options it evaluates as kubectl's -o jsonpath printer does, failing with its execution errors.
 */
export function compileJsonPath(template: string, printer?: { allowMissingKeys: boolean }): (obj: unknown) => string {
  let nodes: Node[];
  try {
    nodes = parseTemplate(template);
  } catch (err) {
    throw new Error(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  if (!printer) return (obj) => render(nodes, obj, {});
  const opts = { strict: !printer.allowMissingKeys, bounds: true };
  return (obj) => executing(template, obj, () => render(nodes, obj, opts));
}

/** Each node's results, one list per text, path and range iteration node, as jsonpath-as-json prints them. */
function results(nodes: Node[], data: unknown, opts: EvalOptions): unknown[][] {
  const out: unknown[][] = [];
  for (const node of nodes) {
    if ('text' in node) out.push([node.text]);
    else if ('path' in node) out.push(evalPath(node.path, [data], opts));
    else for (const item of evalPath(node.range, [data], opts)) out.push(...results(node.body, item, opts));
  }
  return out;
}

/** A parsed template for `-o jsonpath-as-json`: the results of each node, to print as JSON arrays. */
export function compileJsonPathResults(template: string, printer: { allowMissingKeys: boolean }): (obj: unknown) => unknown[][] {
  let nodes: Node[];
  try {
    nodes = parseTemplate(template);
  } catch (err) {
    throw new Error(`error parsing jsonpath ${template}, ${(err as Error).message}`);
  }
  const opts = { strict: !printer.allowMissingKeys, bounds: true };
  return (obj) => executing(template, obj, () => results(nodes, obj, opts));
}
