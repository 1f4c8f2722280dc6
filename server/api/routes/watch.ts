import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiVersionOf } from '../../../schemas/index.js';
import type { KubeObject } from '../../../schemas/types/meta.js';
import { parseFieldSelector, parseLabelSelector } from '../../registry/selectors.js';
import type { StoreEvent } from '../../storage/store.js';
import { invalid, forbidden } from '../../validation/field-errors.js';
import { gone, invalidError, StatusError } from '../errors.js';
import { wantsTable, type ResourcePath } from '../request.js';
import { toTable } from '../tables/table.js';
import { present, type ResourceRouteDeps } from './resources.js';

/** Periodic bookmarks keep a reflector's resume point fresh (the apiserver sends one about a minute). */
const BOOKMARK_INTERVAL_MS = 60_000;
/** A watcher whose socket backlog passes this is dropped; its client relists and re-watches. */
const MAX_BACKLOG_BYTES = 16 * 1024 * 1024;

type Query = Record<string, string | undefined>;
type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

interface WatchParams {
  resourceVersion: string;
  sendInitialEvents: boolean;
  bookmarks: boolean;
  timeoutMs?: number;
}

function watchParams(q: Query): WatchParams {
  const p: WatchParams = {
    resourceVersion: q.resourceVersion ?? '',
    sendInitialEvents: q.sendInitialEvents === 'true',
    bookmarks: q.allowWatchBookmarks === 'true',
  };
  if (q.timeoutSeconds !== undefined && /^\d+$/.test(q.timeoutSeconds)) p.timeoutMs = Number(q.timeoutSeconds) * 1000;
  const errs = [];
  if (q.sendInitialEvents !== undefined) {
    if (q.resourceVersionMatch !== 'NotOlderThan') errs.push(forbidden('resourceVersionMatch', "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    if (p.sendInitialEvents && !p.bookmarks) errs.push(forbidden('allowWatchBookmarks', 'sendInitialEvents requires setting allowWatchBookmarks to true'));
  } else if (q.resourceVersionMatch !== undefined) {
    errs.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
  }
  if (p.resourceVersion !== '' && !/^\d+$/.test(p.resourceVersion)) errs.push(invalid('resourceVersion', p.resourceVersion, 'must be a non-negative integer'));
  if (errs.length > 0) throw invalidError('ListOptions', 'meta.k8s.io', '', errs);
  return p;
}

/**
 * A watch stream: newline-delimited JSON events. Subscribing to the hub and reading the initial
 * state (or the log catch-up) happen in one synchronous block, so no event can fall between them;
 * live events at or below the last revision sent are dropped as duplicates.
 */
export function serveWatch(deps: ResourceRouteDeps, p: ResourcePath, req: FastifyRequest, reply: FastifyReply): void {
  const q = req.query as Query;
  const params = watchParams(q);
  const labels = parseLabelSelector(q.labelSelector);
  const fields = parseFieldSelector(p.info.plural, q.fieldSelector);
  const matches = (o: Readonly<KubeObject>): boolean => (!p.info.namespaced || !p.namespace || o.metadata.namespace === p.namespace) && labels.matches(o) && fields.matches(o);
  const table = wantsTable(req);
  const includeObject = (q.includeObject as 'None' | 'Metadata' | 'Object' | undefined) ?? 'Metadata';
  let sentHeader = false;
  let lastRevision = 0;

  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // Clients return from the watch call only once headers arrive, even when no event is due yet.
  res.flushHeaders();

  const encode = (type: WatchType, obj: KubeObject, raw?: Buffer): string => {
    // Stored bytes are spliced in as they are: no re-serialisation per watcher and event.
    if (raw && !table) return `{"type":"${type}","object":${raw.toString('utf8')}}`;
    if (!table || type === 'BOOKMARK' || type === 'ERROR') return JSON.stringify({ type, object: obj });
    const t = toTable([obj], { group: p.info.group, plural: p.info.plural, includeObject, now: deps.clock.now(), resourceVersion: obj.metadata.resourceVersion ?? '' }) as Record<string, unknown>;
    // Column definitions travel with the first event only; kubectl remembers them.
    if (sentHeader) t.columnDefinitions = [];
    sentHeader = true;
    return JSON.stringify({ type, object: t });
  };
  let closed = false;
  const cleanups: Array<() => void> = [];
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const c of cleanups) c();
    res.end();
  };
  const send = (type: WatchType, obj: KubeObject, raw?: Buffer): void => {
    if (closed) return;
    res.write(`${encode(type, obj, raw)}\n`);
    if (res.writableLength > MAX_BACKLOG_BYTES) close();
  };
  const bookmark = (extra?: Record<string, string>): void => {
    send('BOOKMARK', { kind: p.info.kind, apiVersion: apiVersionOf(p.info), metadata: { resourceVersion: String(lastRevision), ...(extra ? { annotations: extra } : {}) } });
  };
  const deliver = (e: StoreEvent): void => {
    if (e.revision <= lastRevision) return;
    lastRevision = e.revision;
    const now = matches(e.object);
    // A replayed change whose earlier state is not in the replay counts as matching before.
    const before = e.prev ? matches(e.prev) : e.type === 'MODIFIED';
    let type: WatchType | undefined;
    if (e.type === 'MODIFIED') type = now && before ? 'MODIFIED' : now ? 'ADDED' : before ? 'DELETED' : undefined;
    else if (now) type = e.type;
    if (type) send(type, present(p, e.object as KubeObject), rawFor(p, e.raw));
  };

  const sub = deps.hub.subscribe(p.info.plural, deliver);
  cleanups.push(() => sub.close());
  deps.watches?.add(close);
  cleanups.push(() => deps.watches?.delete(close));
  res.on('close', close);
  try {
    startWatch(deps, p, params, matches, send, bookmark, (rv) => (lastRevision = rv), deliver);
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    send('ERROR', e.toStatus() as unknown as KubeObject);
    close();
    return;
  }
  if (params.timeoutMs !== undefined) cleanups.push(deps.clock.setTimer(close, params.timeoutMs));
  if (params.bookmarks) {
    // One pending timer at a time: a watch may stay open for days of virtual time.
    let cancelTick = (): void => {};
    const tick = (): void => {
      bookmark();
      cancelTick = deps.clock.setTimer(tick, BOOKMARK_INTERVAL_MS);
    };
    cancelTick = deps.clock.setTimer(tick, BOOKMARK_INTERVAL_MS);
    cleanups.push(() => cancelTick());
  }
}

/** Sends the initial state (RV unset or 0, or watch-list) or the log catch-up (RV > 0). */
function startWatch(
  deps: ResourceRouteDeps, p: ResourcePath, params: WatchParams, matches: (o: Readonly<KubeObject>) => boolean,
  send: (t: WatchType, o: KubeObject, raw?: Buffer) => void, bookmark: (a?: Record<string, string>) => void, setLast: (rv: number) => void, deliver: (e: StoreEvent) => void,
): void {
  const store = deps.registry.deps.store;
  const rv = params.resourceVersion;
  if (params.sendInitialEvents || rv === '' || rv === '0') {
    for (const o of store.list(p.info.plural, p.info.namespaced && p.namespace ? p.namespace : undefined)) {
      if (matches(o.object)) send('ADDED', present(p, o.object as KubeObject), rawFor(p, o.raw));
    }
    setLast(store.revision);
    if (params.sendInitialEvents) bookmark({ 'k8s.io/initial-events-end': 'true' });
    return;
  }
  const from = Number(rv);
  if (from < store.compactRevision) throw gone(`too old resource version: ${from} (${store.compactRevision})`);
  setLast(from);
  for (const e of deps.registry.eventsSince(p.info, from)) deliver(e);
  setLast(Math.max(from, store.revision));
}

/** Stored bytes can be sent as they are unless the served version converts the object. */
function rawFor(p: ResourcePath, raw: Buffer): Buffer | undefined {
  return p.info.group === 'events.k8s.io' ? undefined : raw;
}
