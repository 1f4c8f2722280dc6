/**
 * The remote command stream protocol `v5.channel.k8s.io` over WebSocket: every binary message is a
 * channel byte and a payload. The server writes stdout (1), stderr (2) and, once, the status (3, a
 * JSON metav1.Status); the client writes stdin (0), terminal resizes (4, JSON) and the v5 close
 * signal (255 + channel) when its stdin ends. Port of the framing of kubernetes
 * staging/src/k8s.io/apimachinery/pkg/util/httpstream/wsstream and
 * staging/src/k8s.io/apimachinery/pkg/util/remotecommand/constants.go; statuses as
 * pkg/kubelet/cri/streaming/remotecommand (exec.go) and the apiserver's stream translator write them.
 */

/** The only subprotocol kubectl ≥ 1.30 offers on the WebSocket path. */
export const STREAM_PROTOCOL_V5 = 'v5.channel.k8s.io';

/** Channel numbers. */
export const CHANNEL_STDIN = 0;
export const CHANNEL_STDOUT = 1;
export const CHANNEL_STDERR = 2;
export const CHANNEL_ERROR = 3;
export const CHANNEL_RESIZE = 4;
export const CHANNEL_CLOSE = 255;

/** metav1.Status as written on the error channel (no kind/apiVersion, as json.Marshal of the struct). */
export interface StreamStatus {
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: { causes: Array<{ reason?: string; message: string }> };
  code?: number;
}

/** A client message, decoded. */
export type ClientFrame =
  | { kind: 'stdin'; data: Buffer }
  | { kind: 'resize'; width: number; height: number }
  | { kind: 'close'; channel: number }
  | { kind: 'ignored' };

/** Frames a payload for a channel. */
export function frame(channel: number, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.of(channel), body]);
}

/** Decodes one client message; unknown channels and malformed resizes are ignored, as the kubelet does. */
export function decodeClientFrame(msg: Buffer): ClientFrame {
  if (msg.length === 0) return { kind: 'ignored' };
  const channel = msg[0]!;
  const body = msg.subarray(1);
  if (channel === CHANNEL_STDIN) return { kind: 'stdin', data: body };
  if (channel === CHANNEL_CLOSE && body.length >= 1) return { kind: 'close', channel: body[0]! };
  if (channel === CHANNEL_RESIZE) {
    try {
      const size = JSON.parse(body.toString('utf8')) as { Width?: number; Height?: number };
      return { kind: 'resize', width: size.Width ?? 0, height: size.Height ?? 0 };
    } catch {
      return { kind: 'ignored' };
    }
  }
  return { kind: 'ignored' };
}

/** The status of a command that exited 0. */
export function successStatus(): StreamStatus {
  return { metadata: {}, status: 'Success' };
}

/**
 * The status of a command that exited non-zero: kubectl turns it into `command terminated with exit
 * code N` and exits N.
 */
export function exitCodeStatus(code: number): StreamStatus {
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: command terminated with exit code ${code}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/**
 * An InternalError status as the apiserver's stream translator writes it; kubectl prints
 * `error: <message>` and exits 1.
 */
export function internalErrorStatus(detail: string): StreamStatus {
  return { metadata: {}, status: 'Failure', message: `Internal error occurred: ${detail}`, reason: 'InternalError', details: { causes: [{ message: detail }] }, code: 500 };
}
