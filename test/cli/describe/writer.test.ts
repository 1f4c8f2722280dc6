/**
 * The describe output machinery: Go's tabwriter column blocks, Go's (unstable) sort order and
 * Quantity.String() canonical forms, checked against what Go produces for the same input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalQty, addQty, parseQty, qtyString } from '../../../cli/describe/format.js';
import { goSort } from '../../../cli/describe/gosort.js';
import { alignTabs, PrefixWriter } from '../../../cli/describe/writer.js';

test('a line without a tab ends a column block; later lines align on their own', () => {
  const text = 'Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\n';
  assert.equal(alignTabs(text), 'Name:       web\nNamespace:  default\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/web\n');
});

test('nested columns: a line without a cell in column 2 splits that column into two blocks', () => {
  const text = 'a\tb\tc\naaaa\tb\nx\tyyyyy\tz\n';
  assert.equal(alignTabs(text), 'a     b  c\naaaa  b\nx     yyyyy  z\n');
});

test('PrefixWriter indents two spaces a level and flush() starts new blocks', () => {
  const w = new PrefixWriter();
  w.write(0, 'Long label:\tx\n');
  w.flush();
  w.write(1, 'A:\ty\n');
  w.writeLine('<none>');
  assert.equal(w.toString(), 'Long label:  x\n  A:  y\n<none>\n');
});

test('goSort keeps Go\'s order of equal elements: insertion sort up to 12, pdqsort beyond', () => {
  const small = goSort([{ k: 1, id: 'a' }, { k: 0, id: 'b' }, { k: 1, id: 'c' }], (x, y) => x.k < y.k);
  assert.deepEqual(small.map((x) => x.id), ['b', 'a', 'c']);
  const keys = Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
  const sorted = goSort(keys.map((k, i) => ({ k, i })), (x, y) => x.k < y.k);
  assert.deepEqual(sorted.map((x) => x.k), [...keys].sort((a, b) => a - b));
  assert.equal(new Set(sorted.map((x) => x.i)).size, 40);
});

test('goSort matches the real kubectl 1.35.2 where pdqsort breaks patterns', () => {
  // The kinds of 34 events in list order (Deployment, Node, Pod, ReplicaSet) and the order
  // `kubectl get events --sort-by=.involvedObject.kind -o name` printed them in.
  const kinds = 'NNNNNNNNNNNNNNNNNNNNNPPPPPPPPPPRRD';
  const kubectl = [33, 16, 18, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 2, 19, 17, 20, 1, 22, 23, 24, 25, 26, 27, 28, 29, 30, 21, 31, 32];
  assert.deepEqual(goSort([...kinds].map((_, i) => i), (a, b) => kinds[a]! < kinds[b]!), kubectl);
});

test('quantities print in canonical form and sums keep the first operand\'s format', () => {
  assert.equal(canonicalQty('0.5'), '500m');
  assert.equal(canonicalQty('2000'), '2k');
  assert.equal(canonicalQty('1.5Gi'), '1536Mi');
  assert.equal(canonicalQty('512'), '512');
  assert.equal(canonicalQty('101430960Ki'), '101430960Ki');
  assert.equal(qtyString(addQty(parseQty('128Mi'), parseQty('70Mi'))), '198Mi');
  assert.equal(qtyString(addQty(parseQty('100m'), parseQty('250m'))), '350m');
});
