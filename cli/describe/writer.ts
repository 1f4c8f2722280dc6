/**
 * The output machinery of kubectl's describers (kubectl pkg/describe/describe.go): a port of Go's
 * text/tabwriter as tabbedString configures it (minwidth 0, padding 2, space padding, no flags),
 * with column blocks (consecutive lines that have a cell in a column share its width), and the
 * PrefixWriter that indents by two spaces per level.
 */

const PADDING = 2;

function runeLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Go's tabwriter.format: aligns each column block, recursing into the columns to its right. */
function formatBlock(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
  const column = widths.length;
  for (let cur = line0; cur < line1; cur++) {
    if (column >= lines[cur]!.length - 1) continue;
    writeLines(lines, widths, line0, cur, out);
    line0 = cur;
    let width = 0;
    for (; cur < line1; cur++) {
      const line = lines[cur]!;
      if (column >= line.length - 1) break;
      width = Math.max(width, runeLength(line[column]!) + PADDING);
    }
    widths.push(width);
    formatBlock(lines, widths, line0, cur, out);
    widths.pop();
    line0 = cur;
  }
  writeLines(lines, widths, line0, line1, out);
}

function writeLines(lines: string[][], widths: number[], line0: number, line1: number, out: string[]): void {
  for (let i = line0; i < line1; i++) {
    const line = lines[i]!;
    let text = '';
    line.forEach((cell, j) => {
      text += cell;
      if (j < widths.length) text += ' '.repeat(Math.max(0, widths[j]! - runeLength(cell)));
    });
    out.push(text);
  }
}

/** Aligns tab-separated text as Go's tabwriter does; the text after the last newline is kept as is. */
export function alignTabs(text: string): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const out: string[] = [];
  formatBlock(lines, [], 0, lines.length, out);
  return out.join('\n');
}

/** kubectl's PrefixWriter over a tabwriter; `flush()` ends the current column blocks. */
export class PrefixWriter {
  private done = '';
  private pending = '';

  /** Writes text indented by two spaces per level. */
  write(level: number, text: string): void {
    this.pending += '  '.repeat(level) + text;
  }

  /** Go's fmt.Sprintln of the arguments (space-separated, newline-terminated). */
  writeLine(...args: unknown[]): void {
    this.pending += args.map(String).join(' ') + '\n';
  }

  /** Formats everything written so far, so later lines start new column blocks. */
  flush(): void {
    const at = this.pending.lastIndexOf('\n') + 1;
    this.done += alignTabs(this.pending.slice(0, at)) ;
    this.pending = this.pending.slice(at);
  }

  /** The aligned output. */
  toString(): string {
    this.flush();
    return this.done + this.pending;
  }
}

/** Builds a describer's text (kubectl's tabbedString). */
export function tabbed(fn: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter();
  fn(w);
  return w.toString();
}
