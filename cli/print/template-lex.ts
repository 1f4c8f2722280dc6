/**
 * The lexer of Go's text/template (text/template/parse/lex.go): text between actions, trim markers
 * `{{- ` and ` -}}`, comments, and inside an action fields, variables, identifiers, literals, `(`,
 * `)`, `|`, `:=`, `=` and `,`. Positions are byte offsets into the template, as Go reports them.
 */

/** A token kind. */
export type ItemType =
  | 'text' | 'leftDelim' | 'rightDelim' | 'field' | 'variable' | 'identifier' | 'string' | 'rawString'
  | 'char' | 'number' | 'bool' | 'nil' | 'dot' | 'leftParen' | 'rightParen' | 'pipe' | 'declare'
  | 'assign' | 'comma' | 'space' | 'keyword' | 'other' | 'eof';

/** A token with its offset and line. */
export interface Item {
  typ: ItemType;
  pos: number;
  val: string;
  line: number;
}

/** A lexing or parsing error, as text/template words it (without the `template: name:line:` prefix). */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const KEYWORDS = new Set(['block', 'break', 'continue', 'define', 'else', 'end', 'if', 'range', 'nil', 'template', 'with']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);

/** Splits a template into tokens; throws TemplateSyntaxError as Go's lexer reports errors. */
export function lex(input: string): Item[] {
  const items: Item[] = [];
  const lineAt = (pos: number) => 1 + (input.slice(0, pos).match(/\n/g)?.length ?? 0);
  const emit = (typ: ItemType, pos: number, val: string) => items.push({ typ, pos, val, line: lineAt(pos) });
  let pos = 0;
  while (pos < input.length) {
    const open = input.indexOf('{{', pos);
    const textEnd = open < 0 ? input.length : open;
    const trimLeft = open >= 0 && input[open + 2] === '-' && isSpace(input[open + 3]);
    let text = input.slice(pos, textEnd);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) emit('text', pos, text);
    if (open < 0) break;
    pos = lexAction(input, open, emit, lineAt);
  }
  emit('eof', input.length, '');
  return items;
}

type Emit = (typ: ItemType, pos: number, val: string) => void;

/** Lexes one action from its `{{`; returns the offset after `}}` and any right trim. */
function lexAction(input: string, open: number, emit: Emit, lineAt: (pos: number) => number): number {
  let pos = open + 2;
  if (input[pos] === '-' && isSpace(input[pos + 1])) pos += 2;
  // A comment must directly follow the delimiter (and its trim marker).
  if (input.startsWith('/*', pos)) return lexComment(input, open, pos, lineAt);
  emit('leftDelim', open, '{{');
  let parens = 0;
  for (;;) {
    if (input.startsWith('-}}', pos) && isSpace(input[pos - 1])) {
      emit('rightDelim', pos, '}}');
      return skipSpace(input, pos + 3);
    }
    if (input.startsWith('}}', pos)) {
      if (parens > 0) throw new TemplateSyntaxError('unclosed left paren', lineAt(pos));
      emit('rightDelim', pos, '}}');
      return pos + 2;
    }
    const c = input[pos];
    if (c === undefined) {
      const [started, ended] = [lineAt(open), lineAt(pos)];
      throw new TemplateSyntaxError(started === ended ? 'unclosed action' : `unclosed action started at output:${started}`, ended);
    }
    if (isSpace(c)) {
      const start = pos;
      // Newlines are spaces inside an action (Go 1.16+).
      while (isSpace(input[pos]) && !input.startsWith('-}}', pos)) pos++;
      if (input.startsWith('-}}', pos)) continue;
      emit('space', start, input.slice(start, pos));
      continue;
    }
    [pos, parens] = lexToken(input, pos, parens, emit, lineAt);
  }
}

/** Skips a template comment (and its trim markers) that opens right after `{{`; returns the offset after it. */
function lexComment(input: string, open: number, from: number, lineAt: (pos: number) => number): number {
  const end = input.indexOf('*/', from + 2);
  if (end < 0) throw new TemplateSyntaxError('unclosed comment', lineAt(open));
  let after = end + 2;
  const trimRight = input.startsWith(' -}}', after) || (isSpace(input[after]) && input.startsWith('-}}', after + 1));
  if (trimRight) after = input.indexOf('-}}', after) + 1;
  if (!input.startsWith('}}', after)) throw new TemplateSyntaxError('comment ends before closing delimiter', lineAt(open));
  return trimRight ? skipSpace(input, after + 2) : after + 2;
}

/** Lexes one non-space token at `pos`; returns the offset after it and the open paren count. */
function lexToken(input: string, pos: number, parens: number, emit: Emit, lineAt: (pos: number) => number): [number, number] {
  const c = input[pos]!;
  const start = pos;
  if (c === ':') {
    if (input[pos + 1] !== '=') throw new TemplateSyntaxError('expected :=', lineAt(pos));
    emit('declare', pos, ':=');
    pos += 2;
  } else if (c === '=') emit('assign', pos++, '=');
  else if (c === ',') emit('comma', pos++, ',');
  else if (c === '|') emit('pipe', pos++, '|');
  else if (c === '(') {
    parens++;
    emit('leftParen', pos++, '(');
  } else if (c === ')') {
    if (--parens < 0) throw new TemplateSyntaxError('unexpected right paren', lineAt(pos));
    emit('rightParen', pos++, ')');
  } else if (c === '"' || c === '`' || c === "'") pos = lexQuote(input, pos, emit, lineAt);
  else if (c === '$') pos = lexWord(input, pos + 1, 'variable', start, emit);
  else if (c === '.') {
    if (/[0-9]/.test(input[pos + 1] ?? '')) pos = lexNumber(input, pos, emit, lineAt);
    else if (isAlnum(input[pos + 1])) pos = lexWord(input, pos + 1, 'field', start, emit);
    else emit('dot', pos++, '.');
  } else if (/[0-9+-]/.test(c)) pos = lexNumber(input, pos, emit, lineAt);
  else if (isAlnum(c)) {
    pos = lexWord(input, pos, 'identifier', start, emit);
  } else if (c === '}') {
    throw new TemplateSyntaxError("bad character U+007D '}'", lineAt(pos));
  } else if (c >= ' ' && c <= '~') {
    // Other printable ASCII is a token the parser then rejects.
    emit('other', pos++, c);
  } else {
    const code = c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new TemplateSyntaxError(`unrecognized character in action: U+${code} '${c}'`, lineAt(pos));
  }
  return [pos, parens];
}

function skipSpace(input: string, pos: number): number {
  while (isSpace(input[pos])) pos++;
  return pos;
}

function lexWord(input: string, from: number, typ: ItemType, start: number, emit: Emit): number {
  let pos = from;
  while (isAlnum(input[pos])) pos++;
  const word = input.slice(start, pos);
  if (typ === 'identifier') {
    if (word === 'true' || word === 'false') emit('bool', start, word);
    else if (word === 'nil') emit('nil', start, word);
    else emit(KEYWORDS.has(word) ? 'keyword' : 'identifier', start, word);
  } else emit(typ, start, word);
  return pos;
}

function lexQuote(input: string, start: number, emit: Emit, lineAt: (pos: number) => number): number {
  const q = input[start]!;
  let pos = start + 1;
  for (;;) {
    const c = input[pos];
    if (c === undefined || (q !== '`' && c === '\n')) {
      const what = q === '`' ? 'unterminated raw quoted string' : q === "'" ? 'unterminated character constant' : 'unterminated quoted string';
      throw new TemplateSyntaxError(what, lineAt(start));
    }
    if (c === '\\' && q !== '`') pos += 2;
    else if (c === q) break;
    else pos++;
  }
  emit(q === '`' ? 'rawString' : q === "'" ? 'char' : 'string', start, input.slice(start, pos + 1));
  return pos + 1;
}

function lexNumber(input: string, start: number, emit: Emit, lineAt: (pos: number) => number): number {
  const m = /[+-]?(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(\d[\d_]*)?\.?\d*([eE][+-]?\d+)?)/y;
  m.lastIndex = start;
  const found = m.exec(input);
  const end = found ? m.lastIndex : start;
  if (end === start || isAlnum(input[end]) || input[end] === '.') {
    let bad = end;
    while (isAlnum(input[bad]) || input[bad] === '.') bad++;
    throw new TemplateSyntaxError(`bad number syntax: "${input.slice(start, Math.max(bad, start + 1))}"`, lineAt(start));
  }
  emit('number', start, input.slice(start, end));
  return end;
}
