/**
 * What kubectl's waiting verbs (`rollout status`, `wait`) share: Go durations for `--timeout`, and
 * client-go's list-then-watch (watchtools.UntilWithSync) over one object by field selector, where
 * the listed objects come first as ADDED events and a closed watch is resumed from the last
 * resourceVersion seen.
 */
import type { IncomingMessage } from 'node:http';
import type { KubeClient } from '../kube/client.js';
import { PreformattedError } from '../commands/kube-flags.js';

/** One watch event as the API server streams it. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: any;
}

/** What a condition function answers: true when the wait is over. */
export type Condition = (e: WatchEvent) => boolean | Promise<boolean>;

/** The error kubectl prints when `--timeout` runs out (wait.ErrWaitTimeout). */
export class WaitTimeoutError extends Error {
  constructor(message = 'timed out waiting for the condition') {
    super(message);
  }
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a Go duration (time.ParseDuration: `90s`, `1m30s`, `1.5h`, `0`) into milliseconds; throws
 * pflag's `invalid argument` error for the flag otherwise.
 */
export function parseGoDuration(text: string, flag: string, commandPath: string): number {
  const invalid = () =>
    new PreformattedError([new Error(`error: invalid argument "${text}" for "${flag}" flag: time: invalid duration "${text}"\nSee '${commandPath} --help' for usage.`)]);
  const s = text.replace(/^[+-]/, '');
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let ms = 0;
  const re = /(\d+\.?\d*|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let at = 0;
  while (at < s.length) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (!m) {
      if (/^(\d+\.?\d*|\.\d+)$/.test(s.slice(at))) {
        throw new PreformattedError([new Error(`error: invalid argument "${text}" for "${flag}" flag: time: missing unit in duration "${text}"\nSee '${commandPath} --help' for usage.`)]);
      }
      throw invalid();
    }
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    at = re.lastIndex;
  }
  return text.startsWith('-') ? -ms : ms;
}

/** Go's time.Duration.String() for whole milliseconds: `30s`, `1m0s`, `1h2m3s`, `500ms`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

/** Reads newline-delimited JSON events from a watch response until it ends. */
async function* events(res: IncomingMessage): AsyncGenerator<WatchEvent> {
  let buf = '';
  for await (const chunk of res) {
    buf += (chunk as Buffer).toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (line) yield JSON.parse(line) as WatchEvent;
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as WatchEvent;
}

/** A promise that rejects with WaitTimeoutError after ms (never when ms is 0), and its cancel. */
export function deadline(ms: number, error: () => Error = () => new WaitTimeoutError()): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    if (ms > 0) timer = setTimeout(() => reject(error()), ms);
  });
  promise.catch(() => undefined);
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Lists `collectionPath` with `query` (a field or label selector), hands each item to `condition`
 * as ADDED, then watches from the list's resourceVersion until `condition` returns true. Resolves
 * when it does; rejects with WaitTimeoutError when `timeoutMs` (0 = never) runs out first.
 * `precondition`, run once the list is handled, may end the wait early (true) or throw.
 */
export async function untilWithSync(
  client: KubeClient,
  collectionPath: string,
  query: URLSearchParams,
  condition: Condition,
  timeoutMs: number,
  precondition?: () => boolean,
): Promise<void> {
  const limit = deadline(timeoutMs);
  let res: IncomingMessage | undefined;
  let stopped = false;
  const run = async (): Promise<void> => {
    const list = await client.getJson(`${collectionPath}?${query}`);
    const kind = String(list.kind ?? '').replace(/List$/, '');
    for (const item of list.items ?? []) {
      if (await condition({ type: 'ADDED', object: { apiVersion: list.apiVersion, kind, ...item } })) return;
    }
    if (precondition?.()) return;
    let rv: string = list.metadata?.resourceVersion ?? '';
    while (!stopped) {
      const q = new URLSearchParams(query);
      q.set('allowWatchBookmarks', 'true');
      q.set('resourceVersion', rv);
      q.set('watch', 'true');
      res = await client.stream(`${collectionPath}?${q}`);
      for await (const e of events(res)) {
        if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
        if (e.type === 'BOOKMARK') continue;
        if (e.type === 'ERROR') throw new Error(e.object?.message ?? 'watch error');
        if (await condition(e)) return;
      }
    }
  };
  try {
    await Promise.race([run(), limit.promise]);
  } finally {
    stopped = true;
    limit.cancel();
    res?.destroy();
  }
}
