/**
 * Tokenizer and parser of the simulated containers' POSIX shell (see shell.ts for the interpreter).
 * Words keep their quoting so expansion and field splitting can happen at run time, when loop
 * variables have their values.
 */

/** Thrown by parseScript for unbalanced quotes or misplaced keywords. */
export class ShellSyntaxError extends Error {
  constructor(detail: string) {
    super(`syntax error: ${detail}`);
    this.name = 'ShellSyntaxError';
  }
}

/** A word is a run of segments: literal text, `$VAR`, `$(cmd)` or `$((expr))`, quoted or not. */
export type Seg = { t: 'lit' | 'var' | 'cmd' | 'arith'; v: string; q: boolean };
export type Word = Seg[];
type Tok = { op: string } | { word: Word; raw?: string };
/** `N>file`, `N>>file`, `N>&M` or `<file`. */
export interface Redir { fd: number; op: '>' | '>>' | '>&' | '<'; target: Word }
/** One command of the syntax tree. */
export type Cmd =
  | { k: 'simple'; words: Word[]; redirs: Redir[] }
  | { k: 'loop'; until: boolean; cond: List; body: List }
  | { k: 'for'; name: string; items: Word[]; body: List }
  | { k: 'if'; branches: Array<{ cond: List; body: List }>; otherwise?: List }
  | { k: 'group'; body: List }
  | { k: 'pipe'; cmds: Cmd[] };
/** Commands joined by `;`, each an and-or chain. */
export type List = Array<{ first: Cmd; rest: Array<{ op: string; cmd: Cmd }> }>;

/** A parsed script, ready for runScript. */
export interface Script { list: List }

const OPERATORS = ['&&', '||', ';', '&', '|', '(', ')'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || (c === '\\' && src[i + 1] === '\n')) i += c === '\\' ? 2 : 1;
    else if (c === '#') while (i < src.length && src[i] !== '\n') i++;
    else if (c === '\n') (out.push({ op: ';' }), i++);
    else if (OPERATORS.includes(src.slice(i, i + 2))) (out.push({ op: src.slice(i, i + 2) }), i += 2);
    else if (OPERATORS.includes(c)) (out.push({ op: c }), i++);
    else if (c === '>' || c === '<' || (/[12]/.test(c) && src[i + 1] === '>')) {
      const fd = c === '<' ? 0 : /[12]/.test(c) ? Number(c) : 1;
      if (/[12]/.test(c)) i++;
      const op = src.startsWith('>>', i) ? '>>' : src.startsWith('>&', i) ? '>&' : src[i]!;
      out.push({ op: `${fd}${op}` });
      i += op.length;
    } else i = readWord(src, i, out);
  }
  return out;
}

function readWord(src: string, start: number, out: Tok[]): number {
  const word: Word = [];
  let i = start;
  const lit = (v: string, q: boolean): void => void word.push({ t: 'lit', v, q });
  while (i < src.length && !/[\s;&|()<>]/.test(src[i]!)) {
    const c = src[i]!;
    if (c === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      lit(src.slice(i + 1, end), true);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (src[i] !== '"') {
        if (i >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        if (src[i] === '\\' && /["\\$`]/.test(src[i + 1] ?? '')) (lit(src[i + 1]!, true), i += 2);
        else if (src[i] === '$' || src[i] === '`') i = readDollar(src, i, word, true);
        else (lit(src[i]!, true), i++);
      }
      i++;
    } else if (c === '\\') (lit(src[i + 1] ?? '', true), i += 2);
    else if (c === '$' || c === '`') i = readDollar(src, i, word, false);
    else (lit(c, false), i++);
  }
  const raw = word.every((s) => s.t === 'lit' && !s.q) ? word.map((s) => s.v).join('') : undefined;
  out.push(raw === undefined ? { word } : { word, raw });
  return i;
}

function readDollar(src: string, i: number, word: Word, q: boolean): number {
  const closing = (open: string, close: string, from: number): number => {
    let depth = 0;
    for (let j = from; j < src.length; j++) {
      if (src.startsWith(open, j)) depth++;
      else if (src.startsWith(close, j) && --depth === 0) return j;
    }
    throw new ShellSyntaxError(`unterminated ${open}`);
  };
  if (src[i] === '`') {
    const end = src.indexOf('`', i + 1);
    if (end < 0) throw new ShellSyntaxError('unterminated `');
    word.push({ t: 'cmd', v: src.slice(i + 1, end), q });
    return end + 1;
  }
  if (src.startsWith('$((', i)) {
    const end = closing('((', '))', i + 1);
    word.push({ t: 'arith', v: src.slice(i + 3, end), q });
    return end + 2;
  }
  if (src.startsWith('$(', i)) {
    const end = closing('(', ')', i + 1);
    word.push({ t: 'cmd', v: src.slice(i + 2, end), q });
    return end + 1;
  }
  if (src[i + 1] === '{') {
    const end = src.indexOf('}', i);
    if (end < 0) throw new ShellSyntaxError('bad substitution');
    word.push({ t: 'var', v: src.slice(i + 2, end), q });
    return end + 1;
  }
  const m = /^(?:[A-Za-z_]\w*|[0-9?$#@*])/.exec(src.slice(i + 1));
  if (!m) return (word.push({ t: 'lit', v: '$', q }), i + 1);
  word.push({ t: 'var', v: m[0], q });
  return i + 1 + m[0].length;
}

/**
 * Parses a script; throws ShellSyntaxError.
 * @example runScript(parseScript('echo hi; exit 3'), host)
 */
export function parseScript(src: string): Script {
  const parser = new Parser(tokenize(src));
  const list = parser.list();
  if (!parser.done()) throw new ShellSyntaxError(`unexpected ${parser.describe()}`);
  return { list };
}

/** Recursive descent over the tokens: list → and-or → pipeline → command. */
class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  done(): boolean {
    return this.pos >= this.toks.length;
  }

  describe(t: Tok | undefined = this.peek()): string {
    return !t ? 'end of file' : 'op' in t ? t.op : (t.raw ?? 'word');
  }

  /** Commands up to one of the keywords `terms` (at command position), `)` or the end. */
  list(...terms: string[]): List {
    const list: List = [];
    for (this.skipSeps(); this.peek() && !this.isKw(terms) && !this.isOp([')']); this.skipSeps()) {
      const first = this.pipe();
      const rest: Array<{ op: string; cmd: Cmd }> = [];
      while (this.isOp(['&&', '||'])) {
        const op = (this.toks[this.pos++] as { op: string }).op;
        this.skipSeps();
        rest.push({ op, cmd: this.pipe() });
      }
      list.push({ first, rest });
    }
    return list;
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private isKw(kws: string[]): boolean {
    const t = this.peek();
    return !!t && 'raw' in t && kws.includes(t.raw!);
  }

  private isOp(ops: string[]): boolean {
    const t = this.peek();
    return !!t && 'op' in t && ops.includes(t.op);
  }

  private expectKw(kw: string): void {
    if (!this.isKw([kw])) throw new ShellSyntaxError(`unexpected ${this.describe()} (expecting "${kw}")`);
    this.pos++;
  }

  private skipSeps(): void {
    while (this.isOp([';', '&'])) this.pos++;
  }

  /** The body of `do … done`. */
  private doBody(): List {
    this.skipSeps();
    this.expectKw('do');
    const body = this.list('done');
    this.expectKw('done');
    return body;
  }

  private pipe(): Cmd {
    const cmds = [this.command()];
    while (this.isOp(['|'])) (this.pos++, cmds.push(this.command()));
    return cmds.length === 1 ? cmds[0]! : { k: 'pipe', cmds };
  }

  private command(): Cmd {
    if (this.isKw(['while', 'until'])) {
      const until = this.isKw(['until']);
      this.pos++;
      return { k: 'loop', until, cond: this.list('do'), body: this.doBody() };
    }
    if (this.isKw(['for'])) return this.forLoop();
    if (this.isKw(['if'])) return this.ifCommand();
    if (this.isKw(['{']) || this.isOp(['('])) {
      const brace = this.isKw(['{']);
      this.pos++;
      const body = this.list('}');
      if (brace) this.expectKw('}');
      else if (this.isOp([')'])) this.pos++;
      else throw new ShellSyntaxError(`unexpected ${this.describe()} (expecting ")")`);
      return { k: 'group', body };
    }
    return this.simple();
  }

  private forLoop(): Cmd {
    this.pos++;
    const name = (this.peek() as { raw?: string } | undefined)?.raw ?? '';
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new ShellSyntaxError('bad for loop variable');
    this.pos++;
    const items: Word[] = [];
    if (this.isKw(['in'])) {
      for (this.pos++; this.peek() && 'word' in this.peek()!; this.pos++) items.push((this.peek() as { word: Word }).word);
    }
    return { k: 'for', name, items, body: this.doBody() };
  }

  private ifCommand(): Cmd {
    const branches: Array<{ cond: List; body: List }> = [];
    do {
      this.pos++; // `if` or `elif`
      const cond = this.list('then');
      this.expectKw('then');
      branches.push({ cond, body: this.list('elif', 'else', 'fi') });
    } while (this.isKw(['elif']));
    let otherwise: List | undefined;
    if (this.isKw(['else'])) (this.pos++, (otherwise = this.list('fi')));
    this.expectKw('fi');
    return otherwise ? { k: 'if', branches, otherwise } : { k: 'if', branches };
  }

  private simple(): Cmd {
    const start = this.peek();
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (let tok = this.peek(); tok; tok = this.peek()) {
      if ('word' in tok) (words.push(tok.word), this.pos++);
      else if (/^\d/.test(tok.op)) {
        const target = this.toks[this.pos + 1];
        if (!target || !('word' in target)) throw new ShellSyntaxError(`unexpected ${this.describe(target)}`);
        redirs.push({ fd: Number(tok.op[0]), op: tok.op.slice(1) as Redir['op'], target: target.word });
        this.pos += 2;
      } else break;
    }
    if (words.length === 0 && redirs.length === 0) throw new ShellSyntaxError(`unexpected ${this.describe(start)}`);
    return { k: 'simple', words, redirs };
  }
}
