import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp, json } from '../../../support/app.js';

test('GET /kubedojo/clock shows the time, speed and paused; POST changes them and advances', async (t) => {
  const a = await buildTestApp(t);
  assert.deepEqual(json(await a.app.inject({ method: 'GET', url: '/kubedojo/clock' })), { time: '2026-01-01T00:00:00Z', speed: 1, paused: true });
  const res = await a.app.inject({ method: 'POST', url: '/kubedojo/clock', payload: { speed: 5, advanceSeconds: 300 } });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(json(res), { time: '2026-01-01T00:05:00Z', speed: 5, paused: true });
});

test('POST /kubedojo/clock refuses bad fields with a 400 Status', async (t) => {
  const a = await buildTestApp(t);
  for (const [payload, message] of [
    [{ speed: 0 }, "Cannot change the clock as 'speed' must be a positive number: current value is 0"],
    [{ paused: 'yes' }, `Cannot change the clock as 'paused' must be true or false: current value is "yes"`],
    [{ advanceSeconds: -1 }, "Cannot advance the clock as 'advanceSeconds' must be a number from 0 to 604800: current value is -1"],
    [{ rate: 2 }, "Cannot change the clock as 'rate' is not a clock field: use speed, paused or advanceSeconds"],
  ] as const) {
    const res = await a.app.inject({ method: 'POST', url: '/kubedojo/clock', payload });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(json(res), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
  }
  const bad = await a.app.inject({ method: 'POST', url: '/kubedojo/clock', payload: '{not json', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.statusCode, 400);
});
