/**
 * The parser of Go's text/template (text/template/parse/parse.go and node.go) for the constructs
 * `-o go-template` users write: actions, pipelines with declarations, if/else if/with/range/else/end,
 * break/continue, parenthesised pipelines and field chains. Node texts (`nodeString`) are Go's
 * String() forms, which execution errors quote.
 */
import { GoInt } from './go-fmt.js';
import { lex, TemplateSyntaxError, type Item } from './template-lex.js';

/** An operand of a command. */
export type Arg =
  | { t: 'field'; pos: number; idents: string[] }
  | { t: 'dot'; pos: number }
  | { t: 'var'; pos: number; name: string; idents: string[] }
  | { t: 'ident'; pos: number; name: string }
  | { t: 'chain'; pos: number; node: Arg; idents: string[] }
  | { t: 'pipe'; pos: number; pipe: Pipe }
  | { t: 'string'; pos: number; quoted: string; value: string }
  | { t: 'number'; pos: number; text: string; value: number | GoInt }
  | { t: 'bool'; pos: number; value: boolean }
  | { t: 'nil'; pos: number };

/** A command: a function or a value with its arguments. */
export interface Cmd {
  pos: number;
  args: Arg[];
}

/** A pipeline with its variable declarations. */
export interface Pipe {
  pos: number;
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
}

/** An if, with or range block. */
export interface ControlNode {
  t: 'if' | 'with' | 'range';
  pos: number;
  pipe: Pipe;
  list: TNode[];
  elseList?: TNode[];
}

/** A node of the template's tree. */
export type TNode =
  | { t: 'text'; text: string }
  | { t: 'action'; pos: number; pipe: Pipe }
  | ControlNode
  | { t: 'break' | 'continue'; pos: number }
  | { t: 'template'; pos: number; name: string; text: string; pipe?: Pipe };

/** A parsed template: its main tree and the templates `define` and `block` name. */
export interface Tree {
  nodes: TNode[];
  defines: Map<string, TNode[]>;
}

/** Go's String() of a node, as `executing "output" at <…>` shows it. */
export function nodeString(n: Arg | Cmd | Pipe): string {
  if ('cmds' in n) return (n.decl.length ? `${n.decl.join(', ')} ${n.isAssign ? '=' : ':='} ` : '') + n.cmds.map(nodeString).join(' | ');
  if ('args' in n) return n.args.map((a) => (a.t === 'pipe' ? `(${nodeString(a.pipe)})` : nodeString(a))).join(' ');
  switch (n.t) {
    case 'field': return n.idents.map((i) => `.${i}`).join('');
    case 'dot': return '.';
    case 'var': return [n.name, ...n.idents].join('.');
    case 'ident': return n.name;
    case 'chain': return (n.node.t === 'pipe' ? `(${nodeString(n.node.pipe)})` : nodeString(n.node)) + n.idents.map((i) => `.${i}`).join('');
    case 'pipe': return nodeString(n.pipe);
    case 'string': return n.quoted;
    case 'number': return n.text;
    case 'bool': return String(n.value);
    case 'nil': return 'nil';
  }
}

/** The function names a template may call (checked at parse time, as Go does). */
export type FuncNames = ReadonlySet<string>;

class Parser {
  private i = 0;
  private vars: string[] = ['$'];
  private rangeDepth = 0;
  readonly defines = new Map<string, TNode[]>();

  constructor(
    private readonly items: Item[],
    private readonly funcs: FuncNames,
  ) {}

  private peek(): Item {
    return this.items[this.i]!;
  }

  private next(): Item {
    return this.items[this.i++]!;
  }

  /** The next token that is not a space. */
  private nextNonSpace(): Item {
    let item = this.next();
    while (item.typ === 'space') item = this.next();
    return item;
  }

  private peekNonSpace(): Item {
    const save = this.i;
    const item = this.nextNonSpace();
    this.i = save;
    return item;
  }

  fail(message: string, item: Item = this.items[Math.max(this.i - 1, 0)]!): never {
    throw new TemplateSyntaxError(message, item.line);
  }

  private unexpected(item: Item, context: string): never {
    // Go's item String(): keywords and dot as <x>, long values cut to 10 characters.
    const quoted = (s: string) => JSON.stringify(s);
    const what = item.typ === 'eof' ? 'EOF' : ['keyword', 'dot', 'nil'].includes(item.typ) ? `<${item.val}>` : item.val.length > 10 ? `${quoted(item.val.slice(0, 10))}...` : quoted(item.val);
    this.fail(`unexpected ${what} in ${context}`, item);
  }

  /** Parses the whole template. */
  parseRoot(): TNode[] {
    const { list, end } = this.itemList();
    if (end !== 'eof') this.fail(`unexpected {{${end}}}`);
    return list;
  }

  /** Nodes up to `{{end}}`, `{{else…}}` or the end of input; returns which one stopped it. */
  private itemList(): { list: TNode[]; end: string; elseItem?: Item } {
    const list: TNode[] = [];
    for (;;) {
      const item = this.next();
      if (item.typ === 'eof') return { list, end: 'eof' };
      if (item.typ === 'text') {
        list.push({ t: 'text', text: item.val });
        continue;
      }
      const kw = this.peekNonSpace();
      if (kw.typ === 'keyword' && (kw.val === 'end' || kw.val === 'else')) {
        this.nextNonSpace();
        if (kw.val === 'end') this.expectRight('end');
        return { list, end: kw.val, elseItem: kw };
      }
      list.push(this.action());
    }
  }

  private expectRight(context: string): void {
    const item = this.nextNonSpace();
    if (item.typ !== 'rightDelim') this.unexpected(item, context);
  }

  private action(): TNode {
    const item = this.nextNonSpace();
    if (item.typ === 'keyword') {
      if (item.val === 'if' || item.val === 'with' || item.val === 'range') return this.control(item.val, item);
      if (item.val === 'break' || item.val === 'continue') {
        if (this.rangeDepth === 0) this.fail(`{{${item.val}}} outside {{range}}`);
        this.expectRight(item.val);
        return { t: item.val, pos: item.pos };
      }
      if (item.val === 'template') return this.templateCall();
      if (item.val === 'define' || item.val === 'block') return this.defineOrBlock(item.val);
      if (item.val !== 'nil') this.fail(`unexpected <${item.val}> in command`);
    }
    this.i--;
    const pipe = this.pipeline('command', 'rightDelim');
    return { t: 'action', pos: item.pos, pipe };
  }

  /** `{{define "name"}}…{{end}}` (prints nothing) or `{{block "name" pipeline}}…{{end}}` (defines and calls). */
  private defineOrBlock(kind: 'define' | 'block'): TNode {
    const name = this.nextNonSpace();
    if (name.typ !== 'string' && name.typ !== 'rawString') this.unexpected(name, `${kind} clause`);
    const pipe = kind === 'block' ? this.pipeline('block clause', 'rightDelim') : (this.expectRight('define clause'), undefined);
    const [vars, depth] = [this.vars, this.rangeDepth];
    [this.vars, this.rangeDepth] = [['$'], 0];
    const body = this.itemList();
    [this.vars, this.rangeDepth] = [vars, depth];
    if (body.end !== 'end') this.fail(body.end === 'eof' ? 'unexpected EOF' : `unexpected {{${body.end}}}`);
    this.defines.set(unquote(name.val), body.list);
    if (!pipe) return { t: 'text', text: '' };
    return { t: 'template', pos: name.pos, name: unquote(name.val), text: `{{template ${name.val} ${nodeString(pipe)}}}`, pipe };
  }

  /** `{{template "name" [pipeline]}}`. */
  private templateCall(): TNode {
    const name = this.nextNonSpace();
    if (name.typ !== 'string' && name.typ !== 'rawString') this.unexpected(name, 'template clause');
    const pipe = this.peekNonSpace().typ === 'rightDelim' ? (this.nextNonSpace(), undefined) : this.pipeline('template clause', 'rightDelim');
    return { t: 'template', pos: name.pos, name: unquote(name.val), text: `{{template ${name.val}${pipe ? ` ${nodeString(pipe)}` : ''}}}`, pipe };
  }

  private control(kind: 'if' | 'with' | 'range', item: Item): TNode {
    const saved = this.vars.length;
    const pipe = this.pipeline(kind, 'rightDelim');
    if (kind === 'range') this.rangeDepth++;
    const body = this.itemList();
    if (kind === 'range') this.rangeDepth--;
    let elseList: TNode[] | undefined;
    if (body.end === 'eof') this.fail('unexpected EOF');
    if (body.end === 'else') elseList = this.elseBranch(kind);
    this.vars.length = saved;
    return { t: kind, pos: item.pos, pipe, list: body.list, elseList };
  }

  /** After `{{else`: `{{else if …}}` / `{{else with …}}` nest a control that shares this `{{end}}`. */
  private elseBranch(kind: 'if' | 'with' | 'range'): TNode[] {
    const next = this.peekNonSpace();
    if ((kind === 'if' || kind === 'with') && next.typ === 'keyword' && next.val === kind) {
      const item = this.nextNonSpace();
      return [this.control(kind, item)];
    }
    this.expectRight('else');
    const rest = this.itemList();
    if (rest.end === 'eof') this.fail('unexpected EOF');
    if (rest.end === 'else') this.fail('expected end; found {{else}}');
    return rest.list;
  }

  private pipeline(context: string, end: 'rightDelim' | 'rightParen'): Pipe {
    const start = this.peekNonSpace();
    const decl = this.declarations(context);
    const pipe: Pipe = { pos: start.pos, decl: decl.names, isAssign: decl.isAssign, cmds: [] };
    for (;;) {
      const item = this.nextNonSpace();
      if (item.typ === end) {
        if (pipe.cmds.length === 0) this.fail(`missing value for ${context}`);
        break;
      }
      if (['bool', 'char', 'dot', 'field', 'identifier', 'number', 'nil', 'rawString', 'string', 'variable', 'leftParen'].includes(item.typ)) {
        this.i--;
        pipe.cmds.push(this.command());
      } else this.unexpected(item, context);
    }
    for (const name of decl.names) this.vars.push(name);
    return pipe;
  }

  private declarations(context: string): { names: string[]; isAssign: boolean } {
    const save = this.i;
    const v = this.nextNonSpace();
    if (v.typ !== 'variable') {
      this.i = save;
      return { names: [], isAssign: false };
    }
    const op = this.nextNonSpace();
    if (op.typ === 'declare' || op.typ === 'assign') {
      if (op.typ === 'assign' && !this.vars.includes(v.val)) this.fail(`undefined variable "${v.val}"`);
      return { names: [v.val], isAssign: op.typ === 'assign' };
    }
    if (op.typ === 'comma' && context === 'range') {
      const second = this.nextNonSpace();
      const op2 = this.nextNonSpace();
      if (second.typ === 'variable' && (op2.typ === 'declare' || op2.typ === 'assign')) return { names: [v.val, second.val], isAssign: op2.typ === 'assign' };
      this.fail('too many declarations in range');
    }
    this.i = save;
    return { names: [], isAssign: false };
  }

  private command(): Cmd {
    const cmd: Cmd = { pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      const arg = this.operand();
      if (arg) cmd.args.push(arg);
      const item = this.next();
      if (item.typ === 'space') continue;
      if (item.typ === 'rightDelim' || item.typ === 'rightParen' || item.typ === 'pipe') {
        if (item.typ !== 'pipe') this.i--;
        if (cmd.args.length === 0) this.fail('empty command');
        return cmd;
      }
      this.unexpected(item, 'operand');
    }
  }

  /** A term followed by any `.field` chain; undefined at the end of the command. */
  private operand(): Arg | undefined {
    while (this.peek().typ === 'space') this.i++;
    const term = this.term();
    if (!term) return undefined;
    if (this.peek().typ !== 'field') return term;
    const idents: string[] = [];
    const chainPos = this.peek().pos;
    while (this.peek().typ === 'field') idents.push(this.next().val.slice(1));
    if (term.t === 'field') return { t: 'field', pos: chainPos, idents: [...term.idents, ...idents] };
    if (term.t === 'var') return { t: 'var', pos: chainPos, name: term.name, idents: [...term.idents, ...idents] };
    if (term.t === 'bool' || term.t === 'string' || term.t === 'number' || term.t === 'nil' || term.t === 'dot') this.fail(`unexpected . after term "${nodeString(term)}"`);
    return { t: 'chain', pos: chainPos, node: term, idents };
  }

  private term(): Arg | undefined {
    const item = this.next();
    switch (item.typ) {
      case 'identifier':
        if (!this.funcs.has(item.val)) this.fail(`function "${item.val}" not defined`, item);
        return { t: 'ident', pos: item.pos, name: item.val };
      case 'dot': return { t: 'dot', pos: item.pos };
      case 'nil': return { t: 'nil', pos: item.pos };
      case 'variable':
        if (!this.vars.includes(item.val)) this.fail(`undefined variable "${item.val}"`, item);
        return { t: 'var', pos: item.pos, name: item.val, idents: [] };
      case 'field': return { t: 'field', pos: item.pos, idents: [item.val.slice(1)] };
      case 'bool': return { t: 'bool', pos: item.pos, value: item.val === 'true' };
      case 'char':
      case 'number': return { t: 'number', pos: item.pos, text: item.val, value: numberValue(item, this) };
      case 'string':
      case 'rawString': return { t: 'string', pos: item.pos, quoted: item.val, value: unquoteOrFail(item, this) };
      case 'leftParen': {
        const pipe = this.pipeline('parenthesized pipeline', 'rightParen');
        return { t: 'pipe', pos: item.pos, pipe };
      }
      default:
        this.i--;
        return undefined;
    }
  }
}

function unquote(quoted: string): string {
  if (quoted.startsWith('`')) return quoted.slice(1, -1);
  return JSON.parse(quoted.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\\([abfv'])/g, (_m, c: string) => ({ a: '\\u0007', b: '\\b', f: '\\f', v: '\\u000b', "'": "'" })[c]!)) as string;
}

/** strconv.Unquote of a string token, with its error. */
function unquoteOrFail(item: Item, parser: Parser): string {
  try {
    return unquote(item.val);
  } catch {
    return parser.fail('invalid syntax', item);
  }
}

/** A number constant: a Go int unless written as a float. */
function numberValue(item: Item, parser: Parser): number | GoInt {
  if (item.typ === 'char') return new GoInt(BigInt(unquote(`"${item.val.slice(1, -1).replace(/"/g, '\\"')}"`).codePointAt(0) ?? 0));
  const text = item.val.replace(/_/g, '');
  const isHex = /^[-+]?0[xX]/.test(text);
  if (!isHex && /[.eE]/.test(text)) {
    const f = Number(text);
    if (Number.isNaN(f)) parser.fail(`illegal number syntax: "${item.val}"`, item);
    return f;
  }
  try {
    const neg = text.startsWith('-');
    const body = text.replace(/^[-+]/, '');
    const v = BigInt(/^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body);
    return new GoInt(neg ? -v : v);
  } catch {
    return parser.fail(`illegal number syntax: "${item.val}"`, item);
  }
}

/** Parses a template; throws TemplateSyntaxError with Go's message and line. */
export function parseTemplate(text: string, funcs: FuncNames): Tree {
  const parser = new Parser(lex(text), funcs);
  const nodes = parser.parseRoot();
  return { nodes, defines: parser.defines };
}
