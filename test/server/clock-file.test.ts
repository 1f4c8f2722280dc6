import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeClock, RealClock } from '../../server/clock.js';
import { loadVirtualTime, saveVirtualTime } from '../../server/clock-file.js';

const HOUR_MS = 3_600_000;

test('a real clock resumes from a saved virtual time ahead of the wall clock, never behind it', () => {
  const ahead = Date.now() + HOUR_MS;
  assert.ok(new RealClock(1, ahead).now() >= ahead);
  const behind = Date.now() - HOUR_MS;
  assert.ok(new RealClock(1, behind).now() >= Date.now() - 1000, 'an old saved time does not move the clock back');
});

test('the virtual time is saved in the data directory and read back; garbage reads as nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kd-clock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  assert.equal(loadVirtualTime(dir), undefined);
  const clock = new FakeClock(Date.UTC(2030, 0, 1));
  const stop = saveVirtualTime(dir, clock);
  assert.equal(loadVirtualTime(dir), Date.UTC(2030, 0, 1));
  clock.advance(90_000);
  stop();
  assert.equal(loadVirtualTime(dir), Date.UTC(2030, 0, 1) + 90_000, 'stopping saves the latest reading');
  writeFileSync(join(dir, 'clock'), 'soon\n');
  assert.equal(loadVirtualTime(dir), undefined);
});
