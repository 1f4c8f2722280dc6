import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { FakeClock, RealClock, rfc3339, rfc3339Micro } from '../../server/clock.js';

const START = Date.UTC(2030, 0, 1);

// The clock's host timers are unref'd (they never hold the daemon open): keep the test's loop alive.
const keepAlive = setInterval(() => {}, 1_000);
after(() => clearInterval(keepAlive));

test('a paused RealClock stands still; advanceBy fires due timers in order at their own instants', async () => {
  const clock = new RealClock(1, START);
  clock.setPaused(true);
  const t0 = clock.now();
  const fired: Array<[string, number]> = [];
  clock.setTimer(() => fired.push(['c', clock.now() - t0]), 30_000);
  clock.setTimer(() => fired.push(['a', clock.now() - t0]), 10_000);
  const cancel = clock.setTimer(() => fired.push(['x', clock.now() - t0]), 20_000);
  clock.setTimer(() => {
    fired.push(['b', clock.now() - t0]);
    // A timer set while advancing and due inside the span fires in the same advance.
    clock.setTimer(() => fired.push(['b2', clock.now() - t0]), 5_000);
  }, 15_000);
  cancel();
  await clock.advanceBy(25_000);
  assert.deepEqual(fired, [['a', 10_000], ['b', 15_000], ['b2', 20_000]]);
  assert.equal(clock.now() - t0, 25_000);
  assert.equal(clock.paused, true, 'an advance leaves a paused clock paused');
  await clock.advanceBy(5_000);
  assert.deepEqual(fired.at(-1), ['c', 30_000]);
});

test('a paused RealClock still runs timers that are due now', async () => {
  const clock = new RealClock(1, START);
  clock.setPaused(true);
  const ran = await new Promise<number>((resolve) => clock.setTimer(() => resolve(clock.now()), 0));
  assert.equal(ran, clock.now());
});

test('resume and speed changes keep the reading continuous and re-plan the pending timers', async () => {
  const clock = new RealClock(1, START);
  clock.setPaused(true);
  const before = clock.now();
  clock.setSpeed(1000);
  assert.equal(clock.now(), before, 'a speed change does not jump the reading');
  let firedAt = 0;
  const done = new Promise<void>((resolve) => clock.setTimer(() => {
    firedAt = clock.now();
    resolve();
  }, 2_000));
  clock.setPaused(false);
  assert.equal(clock.speed, 1000);
  assert.equal(clock.paused, false);
  // 2 s of virtual time at 1000x is 2 ms of wall time: the timer comes without a long wait.
  await done;
  assert.ok(firedAt >= before + 2_000, `fired at +${firedAt - before} ms`);
});

test('setTime moves the reading; pending timers keep the delay they had left', async () => {
  const clock = new RealClock(1, START);
  clock.setPaused(true);
  const fired: number[] = [];
  clock.setTimer(() => fired.push(clock.now()), 10_000);
  clock.setTime(START - 3_600_000);
  assert.equal(clock.now(), START - 3_600_000);
  await clock.advanceBy(9_000);
  assert.deepEqual(fired, []);
  await clock.advanceBy(1_000);
  assert.deepEqual(fired, [START - 3_600_000 + 10_000]);
});

test('a RealClock refuses a speed that is not positive', () => {
  assert.throws(() => new RealClock(0), /'speed' must be positive: current value is 0/);
  assert.throws(() => new RealClock(1).setSpeed(-2), /current value is -2/);
});

test('FakeClock.advanceBy fires like advance and lets the event loop run between timers', async () => {
  const clock = new FakeClock(START);
  const seen: string[] = [];
  clock.setTimer(() => {
    seen.push('first');
    setImmediate(() => seen.push('work of first'));
  }, 1_000);
  clock.setTimer(() => seen.push('second'), 2_000);
  await clock.advanceBy(5_000);
  assert.deepEqual(seen, ['first', 'work of first', 'second']);
  assert.equal(clock.now(), START + 5_000);
  assert.equal(clock.paused, true);
});

test('FakeClock fires many timers by due time, then creation order, skipping cancelled ones however many', () => {
  const clock = new FakeClock(START);
  const fired: string[] = [];
  const cancels: Array<() => void> = [];
  // Due times repeat (creation order decides among equals) and come in no order.
  for (let i = 0; i < 200; i++) {
    const due = (i * 37) % 50;
    cancels.push(clock.setTimer(() => fired.push(`${due}:${i}`), due * 1_000));
  }
  // Cancel three in four: enough to make the clock drop them in bulk, not just as they come up.
  for (let i = 0; i < 200; i++) if (i % 4 !== 0) cancels[i]!();
  // A timer set while firing, due within the advance, fires in it at its own instant.
  clock.setTimer(() => clock.setTimer(() => fired.push(`nested@${clock.now() - START}`), 500), 10_000);
  clock.advance(25_000);
  cancels[0]!(); // already fired: nothing happens
  clock.setTime(clock.now() + 60_000); // pending timers keep the delay they had left
  clock.advance(25_000);
  const want = Array.from({ length: 200 }, (_, i) => ({ i, due: (i * 37) % 50 }))
    .filter(({ i }) => i % 4 === 0)
    .sort((a, b) => a.due - b.due || a.i - b.i)
    .map(({ i, due }) => `${due}:${i}`);
  const nested = want.findIndex((f) => Number(f.split(':')[0]) > 10);
  want.splice(nested, 0, 'nested@10500');
  assert.deepEqual(fired, want);
  assert.equal(clock.now() - START, 110_000);
});

test('rfc3339 and rfc3339Micro spell a reading as a Date does, across seconds and back again', () => {
  const viaDate = (ms: number): string => new Date(ms).toISOString();
  // Readings that move on, stay within a second, cross into the next and come back to an earlier one.
  const readings = [START, START + 1, START + 999, START + 999.7, START + 1_000, START + 61_005, START + 1, START - 1, 0, -1, -0.5, 1.9];
  for (const ms of readings) {
    assert.equal(rfc3339Micro(ms), viaDate(ms).replace(/\.(\d{3})Z$/, '.$1000Z'), `micro ${ms}`);
    assert.equal(rfc3339(ms), `${viaDate(Math.floor(ms / 1000) * 1000).slice(0, 19)}Z`, `seconds ${ms}`);
  }
  assert.equal(rfc3339Micro(START + 61_005), '2030-01-01T00:01:01.005000Z');
});
