import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cryptoRandom, seededRandom } from '../../server/random.js';

test('cryptoRandom draws floats in [0, 1) from a pool, not one getRandomValues call per draw', (t) => {
  const fill = t.mock.method(globalThis.crypto, 'getRandomValues');
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) {
    const f = cryptoRandom.float();
    assert.ok(f >= 0 && f < 1, `${f} out of range`);
    seen.add(f);
  }
  // The pool is refilled about ten times over 10,000 draws; one call per draw was the old cost.
  assert.ok(fill.mock.callCount() >= 9 && fill.mock.callCount() <= 11, `${fill.mock.callCount()} calls`);
  // Refills bring new values: a pool that was never refilled would repeat itself.
  assert.ok(seen.size > 9_900, `${seen.size} distinct values`);
});

test('seededRandom repeats its sequence for a seed, and forks do not draw from the parent', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  a.fork!('x').float();
  assert.deepEqual([a.float(), a.float(), a.uuid()], [b.float(), b.float(), b.uuid()]);
});
