import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTabWriter, TabWriter } from '../../../cli/print/tabwriter.js';
import { TablePrinter } from '../../../cli/print/table.js';

function collect(fn: (w: TabWriter) => void): string {
  let out = '';
  const w = new TabWriter((t) => (out += t));
  fn(w);
  w.flush();
  return out;
}

test('columns are max(6, widest + 3) wide and the last column is not padded', () => {
  const out = collect((w) => {
    w.row(['NAME', 'READY', 'AGE']);
    w.row(['web-1', '1/1', '5m']);
    w.row(['a', '10/10', '']);
  });
  assert.equal(out, 'NAME    READY   AGE\nweb-1   1/1     5m\na       10/10   \n');
});

const table = {
  columnDefinitions: [
    { name: 'Name', format: 'name', priority: 0 },
    { name: 'Status', priority: 0 },
    { name: 'Node', priority: 1 },
  ],
  rows: [{ cells: ['web', 'Running', 'node01'], object: { metadata: { namespace: 'default', labels: { 'example.com/app': 'web', tier: 'x' } } } }],
};

test('the table printer adds NAMESPACE, -L columns, LABELS and a kind prefix; wide shows priority columns', () => {
  const out = collect((w) =>
    new TablePrinter({ wide: true, noHeaders: false, withNamespace: true, kindPrefix: 'pod', showLabels: true, labelColumns: ['example.com/app', 'none'] }).print(table, w),
  );
  assert.equal(out, 'NAMESPACE   NAME      STATUS    NODE     APP   NONE   LABELS\ndefault     pod/web   Running   node01   web          example.com/app=web,tier=x\n');
});

test('a table without rows prints nothing, and the same columns print their header once', () => {
  const p = new TablePrinter({ wide: false, noHeaders: false, withNamespace: false, showLabels: false, labelColumns: [] });
  assert.equal(collect((w) => p.print({ ...table, rows: [] }, w)), '');
  const out = collect((w) => {
    p.print(table, w);
    p.print(table, w);
  });
  assert.equal(out, 'NAME   STATUS\nweb    Running\nweb    Running\n');
});

test('string cells are cut at the first line break', () => {
  const p = new TablePrinter({ wide: false, noHeaders: true, withNamespace: false, showLabels: false, labelColumns: [] });
  assert.equal(collect((w) => p.print({ columnDefinitions: [{ name: 'Message' }], rows: [{ cells: ['one\ntwo'] }] }, w)), 'one...\n');
});

test('GoTabWriter: a line break inside a row ends its column blocks, and widths never shrink (liggitt/tabwriter RememberWidths)', () => {
  let out = '';
  const w = new GoTabWriter((t) => (out += t));
  // kubectl events' lines for three Events, the middle message holding a newline, a tab and another newline.
  w.write('LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n');
  w.write('270d\tNormal\tShort\tPod/p\tone\n');
  w.write('270d\tNormal\tMid\tPod/p\tfirst\nsecond\tcell\nthird\n');
  w.write('270d\tWarning\tAMuchLongerReasonHere\tPod/podwithalongname\tafter\n');
  w.flush();
  // What kubectl v1.35.2 printed for them.
  assert.equal(out, [
    'LAST SEEN   TYPE     REASON   OBJECT   MESSAGE',
    '270d        Normal   Short    Pod/p    one',
    '270d        Normal   Mid      Pod/p    first',
    'second      cell',
    'third',
    '270d        Warning   AMuchLongerReasonHere   Pod/podwithalongname   after',
    '',
  ].join('\n'));
});

test('GoTabWriter: a form feed is printed as a newline and starts new blocks; widths carry over flushes', () => {
  let out = '';
  const w = new GoTabWriter((t) => (out += t));
  w.write('ml\t270d\tx\fy\n');
  w.write('a-longer-cell\tb\n');
  w.flush();
  assert.equal(out, 'ml    270d   x\ny\na-longer-cell   b\n');
  out = '';
  w.write('c\td\n');
  w.flush();
  assert.equal(out, 'c               d\n', 'the first column keeps the width of the earlier flush');
});
