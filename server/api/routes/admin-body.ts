/**
 * Shared bits of the `/kubedojo/` admin routes: the JSON body they accept (the app keeps bodies
 * as raw Buffers) and the JSON answer they send.
 */
import type { FastifyReply } from 'fastify';
import { badRequest } from '../errors.js';

/** Parses a request body as a JSON object; an empty body is `{}`. Anything else is a 400 Status. */
export function jsonObjectBody(body: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Cannot read the request as its body must be JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw badRequest('Cannot read the request as its body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Sends `value` as JSON with the given status code. */
export function sendJson(reply: FastifyReply, value: unknown, code = 200): FastifyReply {
  return reply.code(code).type('application/json').send(JSON.stringify(value));
}
