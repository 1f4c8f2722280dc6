/**
 * The client side of the remote command protocol `v5.channel.k8s.io` over WebSocket, as kubectl's
 * exec and attach speak it (client-go tools/remotecommand websocket.go and errorDecoderV4): stdin on
 * channel 0 with the close signal (255, 0) at its end, stdout 1, stderr 2, the final Status on 3,
 * terminal sizes on 4. Exported for `kd run -i` too.
 */
import type { Readable, Writable } from 'node:stream';
import type { KubeClient } from '../kube/client.js';
import { ApiStatusError } from '../kube/errors.js';

const PROTOCOL = 'v5.channel.k8s.io';
/** kubectl pings the server every 5 s to keep idle sessions open. */
const PING_INTERVAL_MS = 5000;
const CH_STDIN = 0;
const CH_STDOUT = 1;
const CH_STDERR = 2;
const CH_ERROR = 3;
const CH_RESIZE = 4;
const CH_CLOSE = 255;

/** What a remote command session connects. */
export interface StreamSession {
  /** `exec` or `attach`. */
  subresource: 'exec' | 'attach';
  namespace: string;
  pod: string;
  container: string;
  /** exec only. */
  command?: string[];
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty?: boolean;
  /** The terminal size to send first and on every resize (raw TTY only). */
  size?: () => { width: number; height: number } | undefined;
  /** Registers a callback for terminal resizes; returns the unregister function. */
  onResize?: (fn: () => void) => () => void;
}

/** The end of a session: an exit code (0 on success), or the error kubectl would print. */
export type StreamResult = { exitCode: number } | { error: Error };

function query(s: StreamSession): string {
  const q = new URLSearchParams();
  for (const c of s.command ?? []) q.append('command', c);
  q.set('container', s.container);
  if (s.stdin) q.set('stdin', 'true');
  if (s.stdout) q.set('stdout', 'true');
  if (s.stderr) q.set('stderr', 'true');
  if (s.tty) q.set('tty', 'true');
  return q.toString();
}

/** errorDecoderV4: the Status of the error channel as an exit code or an error. */
export function decodeStatus(text: string): StreamResult {
  let status: any;
  try {
    status = JSON.parse(text);
  } catch (err) {
    return { error: new Error(`error stream protocol error: ${(err as Error).message} in ${JSON.stringify(text)}`) };
  }
  if (status.status === 'Success') return { exitCode: 0 };
  if (status.status !== 'Failure') return { error: new Error('error stream protocol error: unknown error') };
  if (status.reason === 'NonZeroExitCode') {
    const cause = (status.details?.causes ?? []).find((c: any) => c.reason === 'ExitCode');
    if (!cause) return { error: new Error('error stream protocol error: no ExitCode cause given') };
    return { exitCode: Number(cause.message) };
  }
  return { error: new Error(status.message ?? '') };
}

/**
 * Runs one exec or attach session until the server closes it. A refused upgrade (a Status answer
 * instead of 101) is returned as the ApiStatusError kubectl prints.
 */
export async function runStream(client: KubeClient, s: StreamSession): Promise<StreamResult> {
  const { default: WebSocket } = await import('ws');
  const ctx = client.context;
  const url = new URL(`/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(s.pod)}/${s.subresource}?${query(s)}`, ctx.server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const headers: Record<string, string> = {};
  if (ctx.token && url.protocol === 'wss:') headers['authorization'] = `Bearer ${ctx.token}`;
  const ws = new WebSocket(url, [PROTOCOL], { headers, ca: ctx.caPem, rejectUnauthorized: !ctx.insecureSkipTlsVerify, perMessageDeflate: false });
  return new Promise<StreamResult>((resolve) => {
    let result: StreamResult = { exitCode: 0 };
    let settled = false;
    const cleanups: Array<() => void> = [];
    const finish = (r: StreamResult) => {
      if (settled) return;
      settled = true;
      for (const c of cleanups) c();
      resolve(r);
    };
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => finish({ error: upgradeError(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')) }));
    });
    ws.on('error', (err) => finish({ error: err }));
    ws.on('open', () => {
      if (ws.protocol !== PROTOCOL) return finish({ error: new Error(`unable to upgrade connection: unexpected subprotocol ${JSON.stringify(ws.protocol)}`) });
      const ping = setInterval(() => ws.ping(), PING_INTERVAL_MS);
      cleanups.push(() => clearInterval(ping));
      if (s.tty && s.size) {
        const send = () => {
          const size = s.size!();
          if (size) ws.send(Buffer.concat([Buffer.of(CH_RESIZE), Buffer.from(JSON.stringify({ Width: size.width, Height: size.height }))]));
        };
        send();
        if (s.onResize) cleanups.push(s.onResize(send));
      }
      if (s.stdin) pumpStdin(ws, s.stdin, cleanups);
    });
    ws.on('message', (data: Buffer) => {
      const body = data.subarray(1);
      if (data[0] === CH_STDOUT) s.stdout?.write(body);
      else if (data[0] === CH_STDERR) s.stderr?.write(body);
      else if (data[0] === CH_ERROR) result = decodeStatus(body.toString('utf8'));
    });
    ws.on('close', () => finish(result));
  });
}

function pumpStdin(ws: import('ws').WebSocket, stdin: Readable, cleanups: Array<() => void>): void {
  const onData = (chunk: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.of(CH_STDIN), typeof chunk === 'string' ? Buffer.from(chunk) : chunk]));
  };
  const onEnd = () => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.of(CH_CLOSE, CH_STDIN));
  };
  stdin.on('data', onData);
  stdin.on('end', onEnd);
  cleanups.push(() => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.pause();
    if (stdin === process.stdin) process.stdin.unref?.();
  });
}

/** A refused upgrade: the Status the server answered, as kubectl shows it. */
function upgradeError(code: number, text: string): Error {
  try {
    const body = JSON.parse(text);
    if (body?.kind === 'Status') return new ApiStatusError(code, body.reason ?? '', body.message ?? '', body.details);
  } catch {
    // Not a Status: kubectl's generic text below.
  }
  return new ApiStatusError(code, 'Unknown', `an error on the server ("${text.trim()}") has prevented the request from succeeding`);
}
