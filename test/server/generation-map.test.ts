import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GenerationMap } from '../../server/generation-map.js';

test('a key in use outlives a stream of one-off keys; the others are dropped two generations on', () => {
  const m = new GenerationMap<string, number>(4);
  m.set('hot', 0);
  for (let i = 0; i < 100; i++) {
    m.set(`once-${i}`, i);
    assert.equal(m.get('hot'), 0);
  }
  assert.equal(m.get('once-99'), 99);
  // With a bound of 4, two generations hold at most 8 keys: an early one-off key is gone.
  assert.equal(m.get('once-0'), undefined);
});

test('remember makes a value once, and null is a value', () => {
  const m = new GenerationMap<string, string | null>(4);
  let made = 0;
  const make = (k: string): string | null => (made++, k === 'none' ? null : k.toUpperCase());
  assert.equal(m.remember('a', make), 'A');
  assert.equal(m.remember('a', make), 'A');
  assert.equal(m.remember('none', make), null);
  assert.equal(m.remember('none', make), null);
  assert.equal(made, 2);
});

test('intern keeps the first value for a key and hands it back for every equal one', () => {
  const m = new GenerationMap<string, { n: number }>(2);
  const first = { n: 1 };
  assert.equal(m.intern('a', first), first);
  assert.equal(m.intern('a', { n: 1 }), first);
  const other = { n: 2 };
  assert.equal(m.intern('b', other), other);
});
