/**
 * Helpers for end-to-end tests that drive a running daemon: kubectl that must succeed, JSON reads,
 * polling and raw watches. Every poll is bounded so a broken cluster fails the test, never hangs it.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { httpRequest, runKubectl, type Daemon, type RunResult } from './daemon.js';

/** How long a poll waits by default, in wall milliseconds. */
export const WAIT_MS = 60_000;

/** The e2e helpers bound to one daemon. */
export interface E2E {
  /** Runs kubectl; the result carries the exit code. */
  kubectl(...args: string[]): Promise<RunResult>;
  /** Runs kubectl and asserts exit code 0; returns stdout. */
  ok(...args: string[]): Promise<string>;
  /** GETs an API path and asserts 200; returns the parsed body. */
  getJson(path: string): Promise<any>;
  /** Polls fn every 100 ms until it returns a truthy value; throws with the daemon's output after timeoutMs. */
  waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  /** Follows a watch on `path`, handing every event to onEvent until stop() is called. */
  watch(path: string, onEvent: (type: string, obj: any) => void): Promise<{ stop(): void }>;
}

/**
 * Binds the helpers to a daemon, read lazily so tests may start it in `before`.
 *
 * @example
 * let d: Daemon; const { ok, waitFor } = e2e(() => d);
 */
export function e2e(daemon: () => Daemon): E2E {
  const kubectl = (...args: string[]) => runKubectl(daemon(), args);
  return {
    kubectl,
    async ok(...args) {
      const r = await kubectl(...args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${daemon().output()}`);
      return r.stdout;
    },
    async getJson(path) {
      const res = await httpRequest(daemon(), 'GET', path);
      assert.equal(res.status, 200, res.body);
      return JSON.parse(res.body);
    },
    async waitFor(what, fn, timeoutMs = WAIT_MS) {
      const t0 = Date.now();
      for (;;) {
        const v = await fn();
        if (v) return v;
        if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}\n${daemon().output().slice(-4000)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    watch: (path, onEvent) => watchPath(daemon(), path, onEvent),
  };
}

async function watchPath(d: Daemon, path: string, onEvent: (type: string, obj: any) => void): Promise<{ stop(): void }> {
  const agent = new Agent({ connect: { ca: d.caPem } });
  const res = await request(new URL(path, d.url), { headers: { authorization: `Bearer ${d.token}` }, dispatcher: agent });
  let buf = '';
  res.body.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const ev = JSON.parse(buf.slice(0, nl)) as { type: string; object: any };
      buf = buf.slice(nl + 1);
      onEvent(ev.type, ev.object);
    }
  });
  res.body.on('error', () => undefined);
  return {
    stop: () => {
      res.body.destroy();
      void agent.close().catch(() => undefined);
    },
  };
}
