/**
 * Prints server-side `meta.k8s.io/v1` Tables as kubectl's HumanReadablePrinter does (cli-runtime
 * printers/tableprinter.go): upper-cased headers, priority > 0 columns only with `-o wide`, NAMESPACE
 * first with `-A`, one column per `-L` key and LABELS last, `kind.group/` before names when several
 * kinds are printed, and the header only once per run of tables with the same columns.
 */
import type { RowWriter } from './tabwriter.js';

/** Options of one table printer (one per resource type, as kubectl makes one per REST mapping). */
export interface TableOptions {
  wide: boolean;
  noHeaders: boolean;
  withNamespace: boolean;
  /** `kind.group` to prefix names with, when several kinds are printed. */
  kindPrefix?: string;
  showLabels: boolean;
  labelColumns: string[];
}

interface Column {
  name: string;
  priority?: number;
  format?: string;
}

/** A printer for the tables of one resource type. */
export class TablePrinter {
  private lastColumns: string | undefined;
  private printedHeaders = false;

  constructor(private readonly o: TableOptions) {}

  /** Writes a Table's rows (and its header, unless already printed for these columns) to w. */
  print(table: any, w: RowWriter): void {
    const columns: Column[] = table.columnDefinitions ?? [];
    const key = JSON.stringify(columns);
    const noHeaders = this.o.noHeaders || (this.printedHeaders && key === this.lastColumns);
    if (key !== this.lastColumns) {
      this.lastColumns = key;
      this.printedHeaders = false;
    }
    const rows: any[] = table.rows ?? [];
    if (rows.length > 0) this.printedHeaders = true;
    if (!noHeaders && rows.length === 0) return;
    const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => this.o.wide || !c.priority);
    if (!noHeaders) w.row(this.decorate(shown.map(({ c }) => c.name.toUpperCase()), 'NAMESPACE', this.labelHeaders(), 'LABELS'));
    for (const row of rows) {
      const cells = shown.map(({ c, i }) => {
        const text = cellText(row.cells?.[i]);
        return c.format === 'name' && this.o.kindPrefix ? `${this.o.kindPrefix}/${text}` : text;
      });
      const meta = row.object?.metadata ?? {};
      const labels: Record<string, string> = meta.labels ?? {};
      w.row(this.decorate(cells, meta.namespace ?? '', this.o.labelColumns.map((k) => labels[k] ?? ''), formatLabels(labels)));
    }
  }

  private labelHeaders(): string[] {
    return this.o.labelColumns.map((k) => k.split('/').at(-1)!.toUpperCase());
  }

  private decorate(cells: string[], namespace: string, labelCells: string[], labels: string): string[] {
    return [...(this.o.withNamespace ? [namespace] : []), ...cells, ...labelCells, ...(this.o.showLabels ? [labels] : [])];
  }
}

/** A cell as kubectl prints it: strings cut at the first line break (with `...`), others via fmt.Sprint. */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell !== 'string') return String(cell);
  const at = cell.search(/[\f\n\r]/);
  return at < 0 ? cell : `${cell.slice(0, at)}...`;
}

/** labels.FormatLabels: `k=v` pairs sorted by key, or `<none>`. */
export function formatLabels(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels[k]}`).join(',');
}
