import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatQuantity, parseQuantity } from '../../../server/validation/pod-fields.js';

test('parseQuantity reads each suffix family, and hands out one frozen result per text', () => {
  const cases: Array<[unknown, bigint, string, string]> = [
    ['10m', 10_000_000n, 'DecimalSI', '10m'],
    ['16Mi', 16n * 1024n * 1024n * 1_000_000_000n, 'BinarySI', '16Mi'],
    ['1.5Gi', 1536n * 1024n * 1024n * 1_000_000_000n, 'BinarySI', '1536Mi'],
    ['2e3', 2000n * 1_000_000_000n, 'DecimalExponent', '2e3'],
    [2, 2_000_000_000n, 'DecimalSI', '2'],
    ['-1', -1_000_000_000n, 'DecimalSI', '-1'],
  ];
  for (const [text, nano, format, canonical] of cases) {
    const q = parseQuantity(text);
    assert.deepEqual({ ...q }, { nano, format }, String(text));
    assert.equal(formatQuantity(q!), canonical);
    // Validation parses the same few quantities for every object of a workload.
    assert.equal(parseQuantity(text), q, `${String(text)} is parsed once`);
    assert.ok(Object.isFrozen(q), 'a shared result cannot be changed by one caller');
  }
  for (const bad of ['10x', '', '1.2.3', {}, null]) {
    assert.equal(parseQuantity(bad), undefined, String(bad));
    assert.equal(parseQuantity(bad), undefined, `${String(bad)} again, from the memo`);
  }
});
