/**
 * The alignment of the tabwriter kubectl prints tables through (cli-runtime printers/tabwriter.go:
 * minwidth 6, tabwidth 4, padding 3, space padding): every tab-terminated cell of a column is
 * padded to max(6, widest cell + 3); the text after the last tab of a line is written as is.
 * TabWriter is that for one flush of lines that all have the same cells (get, top); GoTabWriter is
 * the whole algorithm, for text with line breaks and tabs inside cells and widths kept across
 * flushes (events, watches).
 */

const MIN_WIDTH = 6;
const PADDING = 3;

/** Where a table printer writes its rows. */
export interface RowWriter {
  row(cells: string[]): void;
}

/** Buffers tab-separated lines and writes them aligned on flush(). */
export class TabWriter implements RowWriter {
  private lines: string[][] = [];

  constructor(private readonly out: (text: string) => void) {}

  /** Adds one line of cells. */
  row(cells: string[]): void {
    this.lines.push(cells);
  }

  /** Writes the buffered lines aligned and starts a new block. */
  flush(): void {
    const widths: number[] = [];
    for (const cells of this.lines) {
      cells.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? MIN_WIDTH, [...c].length + PADDING)));
    }
    let text = '';
    for (const cells of this.lines) {
      text += cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(widths[i]! - [...c].length) : c)).join('') + '\n';
    }
    this.lines = [];
    if (text) this.out(text);
  }
}

/**
 * The tabwriter kubectl's printers write through (liggitt/tabwriter, Go's text/tabwriter with
 * RememberWidths, set up by cli-runtime's GetNewTabWriter: minwidth 6, padding 3, spaces), for
 * text whose cells may hold line breaks and tabs (an event's message). Tabs end cells and newlines
 * end lines; a column block is a run of consecutive lines that have a tab-terminated cell in that
 * column, padded to its widest cell plus 3. With RememberWidths a column is never narrower than in
 * an earlier block or flush, so a watch's rows line up with the ones before them.
 */
export class GoTabWriter implements RowWriter {
  private buffered = '';
  private readonly maxWidths: number[] = [];

  constructor(private readonly out: (text: string) => void) {}

  write(text: string): void {
    this.buffered += text;
  }

  /** One line of cells, as a table printer writes it: the cells joined by tabs. */
  row(cells: string[]): void {
    this.write(`${cells.join('\t')}\n`);
  }

  /**
   * Formats what was written since the last flush; an unterminated last line goes out as it is. A
   * form feed ends its line like a newline (and is printed as one) and flushes: the lines after it
   * start blocks of their own.
   */
  flush(): void {
    const text = this.buffered.split('\f').map((segment) => this.format(segment)).join('\n');
    this.buffered = '';
    if (text) this.out(text);
  }

  private format(segment: string): string {
    const lines = segment.split('\n').map((l) => l.split('\t'));
    const widths: number[] = [];
    let text = '';
    const cellWidth = (c: string) => [...c].length;
    const writeLines = (from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        const line = lines[i]!;
        line.forEach((c, j) => (text += j < widths.length ? c + ' '.repeat(widths[j]! - cellWidth(c)) : c));
        if (i + 1 < lines.length) text += '\n';
      }
    };
    const format = (from: number, to: number): void => {
      const column = widths.length;
      let line0 = from;
      for (let at = from; at < to; at++) {
        if (column >= lines[at]!.length - 1) continue;
        // A cell in this column: the lines before it are done, a block begins.
        writeLines(line0, at);
        line0 = at;
        let width = MIN_WIDTH;
        for (; at < to && column < lines[at]!.length - 1; at++) width = Math.max(width, cellWidth(lines[at]![column]!) + PADDING);
        if (this.maxWidths.length < widths.length) this.maxWidths.push(...widths.slice(this.maxWidths.length));
        if (this.maxWidths.length === widths.length) this.maxWidths.push(width);
        else width = this.maxWidths[column] = Math.max(this.maxWidths[column]!, width);
        widths.push(width);
        format(line0, at);
        widths.pop();
        line0 = at;
      }
      writeLines(line0, to);
    };
    format(0, lines.length);
    return text;
  }
}
