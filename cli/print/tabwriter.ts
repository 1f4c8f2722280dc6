/**
 * The alignment of Go's text/tabwriter as kubectl configures it (cli-runtime printers/tabwriter.go:
 * minwidth 6, tabwidth 4, padding 3, space padding, no flags): every tab-terminated cell of a column
 * is padded to max(6, widest cell + 3); the text after the last tab of a line is written as is.
 * Tables here have the same cell count on every line, so one width per column suffices.
 */

const MIN_WIDTH = 6;
const PADDING = 3;

/** Buffers tab-separated lines and writes them aligned on flush(). */
export class TabWriter {
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
