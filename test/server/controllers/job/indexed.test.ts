import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intervalsString, parseIntervals, podGenerateNameWithIndex, totalIndexes, withIndexes } from '../../../../server/controllers/job/indexed.js';

test('completedIndexes intervals parse, merge and print like upstream', () => {
  const iv = parseIntervals('1,3-5,9', 8);
  assert.deepEqual(iv, [[1, 1], [3, 5]]);
  const merged = withIndexes(iv, [0, 2, 7]);
  assert.equal(intervalsString(merged), '0-5,7');
  assert.equal(totalIndexes(merged), 7);
  assert.equal(intervalsString(withIndexes([], [])), '');
});

test('indexed pod prefixes keep the index and cut long job names to 58 characters', () => {
  assert.equal(podGenerateNameWithIndex('idx', 3), 'idx-3-');
  const long = podGenerateNameWithIndex('a'.repeat(70), 12);
  assert.equal(long.length, 58);
  assert.ok(long.endsWith('a-12-'));
});
