/**
 * Finds the daemon of a data directory through its `daemon.json` and talks to it with the
 * credentials of the kubeconfig it wrote: the CLI's lifecycle commands never import server code.
 */
import { readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request } from 'undici';
import { parse } from 'yaml';
import { DAEMON_INFO_FILE, defaultDataDir, parseDaemonInfo, processAlive, type DaemonInfo } from '../schemas/daemon-info.js';

/** The data directory a command works on: `--data-dir`, else ~/.kubedojo. */
export function dataDirOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? defaultDataDir(env['HOME'] ?? homedir()));
}

/** The live daemon of a data directory, or undefined; a stale file (its process gone) is removed. */
export function findDaemon(dataDir: string): DaemonInfo | undefined {
  const path = join(dataDir, DAEMON_INFO_FILE);
  let info: DaemonInfo | undefined;
  try {
    info = parseDaemonInfo(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (info && processAlive(info.pid)) return info;
  rmSync(path, { force: true });
  return undefined;
}

/**
 * One request to the daemon; resolves with status and parsed JSON body (undefined when not JSON).
 * A `body` is sent as JSON.
 * @example await daemonRequest(info, 'POST', '/kubedojo/clock', { advanceSeconds: 300 })
 */
export async function daemonRequest(info: DaemonInfo, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const kc = parse(readFileSync(info.kubeconfig, 'utf8')) as {
    clusters?: Array<{ cluster?: Record<string, string> }>;
    users?: Array<{ user?: { token?: string } }>;
  };
  const caData = kc.clusters?.[0]?.cluster?.['certificate-authority-data'];
  const token = kc.users?.[0]?.user?.token;
  const agent = new Agent(caData ? { connect: { ca: Buffer.from(caData, 'base64').toString('utf8') } } : {});
  try {
    const res = await request(new URL(path, info.url), {
      method: method as 'GET' | 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      dispatcher: agent,
    });
    const text = await res.body.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.statusCode, body: parsed };
  } finally {
    await agent.close();
  }
}

/** A failed admin call: the daemon's Status message, printed as `error: <message>`. */
export class AdminRequestError extends Error {
  override name = 'AdminRequestError';
}

/**
 * Calls the admin API of the daemon of a data directory; resolves with the JSON body of a 2xx
 * answer and throws the Status message of any other.
 * @throws {Error} when no daemon runs on the data directory
 * @throws {AdminRequestError} when the daemon refuses the request
 */
export async function adminCall(dataDirFlag: string | undefined, method: string, path: string, body?: unknown): Promise<any> {
  const info = findDaemon(dataDirOf(dataDirFlag));
  if (!info) throw new Error("kubedojo is not running: start it with 'kd up'");
  const res = await daemonRequest(info, method, path, body);
  if (res.status < 200 || res.status >= 300) throw new AdminRequestError(res.body?.message ?? `the daemon answered HTTP ${res.status}`);
  return res.body;
}
