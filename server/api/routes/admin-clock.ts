/**
 * `GET|POST /kubedojo/clock`: the cluster's virtual time, its speed and whether it is paused; a
 * POST changes any of them and can move time forward, firing every timer due in the skipped span
 * in order (back-offs, grace periods, tolerationSeconds, CronJobs, leases all follow).
 */
import type { FastifyInstance } from 'fastify';
import { rfc3339, type ClockControl } from '../../clock.js';
import { badRequest } from '../errors.js';
import { jsonObjectBody, sendJson } from './admin-body.js';

/** The longest single advance, so a typo cannot keep the daemon busy for hours (7 days). */
export const MAX_ADVANCE_SECONDS = 7 * 24 * 3600;

/** The clock as the API shows it. */
export interface ClockState {
  time: string;
  speed: number;
  paused: boolean;
}

/** The clock's current state. */
export function clockState(clock: ClockControl): ClockState {
  return { time: rfc3339(clock.now()), speed: clock.speed, paused: clock.paused };
}

interface ClockChange {
  speed?: number;
  paused?: boolean;
  advanceSeconds?: number;
}

/** Validates a POST body; every field is optional, unknown fields are refused. */
export function parseClockChange(body: Record<string, unknown>): ClockChange {
  const out: ClockChange = {};
  for (const key of Object.keys(body)) {
    if (!['speed', 'paused', 'advanceSeconds'].includes(key)) throw badRequest(`Cannot change the clock as '${key}' is not a clock field: use speed, paused or advanceSeconds`);
  }
  const { speed, paused, advanceSeconds } = body;
  if (speed !== undefined) {
    if (typeof speed !== 'number' || !(speed > 0) || !Number.isFinite(speed)) throw badRequest(`Cannot change the clock as 'speed' must be a positive number: current value is ${JSON.stringify(speed)}`);
    out.speed = speed;
  }
  if (paused !== undefined) {
    if (typeof paused !== 'boolean') throw badRequest(`Cannot change the clock as 'paused' must be true or false: current value is ${JSON.stringify(paused)}`);
    out.paused = paused;
  }
  if (advanceSeconds !== undefined) {
    if (typeof advanceSeconds !== 'number' || !(advanceSeconds >= 0) || advanceSeconds > MAX_ADVANCE_SECONDS) {
      throw badRequest(`Cannot advance the clock as 'advanceSeconds' must be a number from 0 to ${MAX_ADVANCE_SECONDS}: current value is ${JSON.stringify(advanceSeconds)}`);
    }
    out.advanceSeconds = advanceSeconds;
  }
  return out;
}

/** Registers `GET /kubedojo/clock` and `POST /kubedojo/clock`. */
export function registerClockRoutes(app: FastifyInstance, clock: ClockControl): void {
  app.get('/kubedojo/clock', async (_req, reply) => sendJson(reply, clockState(clock)));
  app.post('/kubedojo/clock', async (req, reply) => {
    const change = parseClockChange(jsonObjectBody(req.body));
    if (change.speed !== undefined) clock.setSpeed(change.speed);
    if (change.paused !== undefined) clock.setPaused(change.paused);
    if (change.advanceSeconds) await clock.advanceBy(change.advanceSeconds * 1000);
    return sendJson(reply, clockState(clock));
  });
}
