/**
 * Reading one shell line the way a POSIX shell splits words (quotes and backslashes), dropping a
 * leading `kubectl`, `k` or `kd`, and spotting the multi-line input of `-f -`: an explicit heredoc
 * (`apply -f - <<EOF`, any terminator) or, when `-f -` comes without one, lines up to `EOF`.
 */

/** The words of a line, and whether the line ended inside a word (no trailing blank). */
export interface SplitLine {
  words: string[];
  /** The last word is still being typed (the line does not end with a blank); completion needs it. */
  open: boolean;
  /** An unclosed quote at the end (the line is incomplete). */
  unterminated: boolean;
}

/** Prefixes a shell line may start with; they all mean kd itself. */
const COMMAND_PREFIXES = new Set(['kubectl', 'k', 'kd']);
/** The terminator of the implicit multi-line input of `-f -`. */
export const DEFAULT_TERMINATOR = 'EOF';

/**
 * Splits a line into words: blanks separate, '…' is literal, "…" keeps blanks and honours `\"`,
 * `\\`, `\$`, and a backslash outside quotes escapes the next character.
 *
 * @example
 * splitLine(`get pods -l 'app in (a, b)'`).words; // ['get', 'pods', '-l', 'app in (a, b)']
 */
export function splitLine(line: string): SplitLine {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = '';
      else word += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = '';
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += ch;
    } else if (ch === ' ' || ch === '\t') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else {
      word = (word ?? '') + ch;
    }
  }
  const open = word !== undefined;
  if (word !== undefined) words.push(word);
  return { words, open, unterminated: quote !== '' };
}

/** Drops a leading `kubectl`, `k` or `kd` (only when more words follow or it is being completed). */
export function stripPrefix(words: string[]): string[] {
  return words.length > 0 && COMMAND_PREFIXES.has(words[0]!) ? words.slice(1) : words;
}

/** A command line's arguments and, when it takes multi-line input, the line that ends it. */
export interface ParsedCommand {
  args: string[];
  /** The heredoc terminator when the command reads `-f -` (lines up to it become its stdin). */
  terminator?: string;
}

/**
 * Parses a line into kd arguments: the prefix dropped, a trailing `<<WORD` / `<< WORD` / `<<'WORD'`
 * taken as the heredoc terminator, and `EOF` assumed when `-f -` has none.
 *
 * @example
 * parseCommand('k apply -f - <<END'); // { args: ['apply', '-f', '-'], terminator: 'END' }
 */
export function parseCommand(line: string): ParsedCommand {
  const words = stripPrefix(splitLine(line).words);
  let terminator: string | undefined;
  const at = words.findIndex((w) => w.startsWith('<<'));
  if (at >= 0) {
    const inline = words[at]!.slice(2).replace(/^-/, '');
    terminator = inline !== '' ? inline : words[at + 1];
    words.splice(at, inline !== '' ? 1 : 2);
  }
  if (terminator === undefined && readsStdin(words)) terminator = DEFAULT_TERMINATOR;
  return terminator === undefined ? { args: words } : { args: words, terminator };
}

/** Whether the arguments read manifests from stdin (`-f -`, `--filename -`, `--filename=-`, `-f=-`). */
export function readsStdin(args: string[]): boolean {
  return args.some((a, i) => a === '--filename=-' || a === '-f=-' || ((a === '-f' || a === '--filename') && args[i + 1] === '-'));
}
