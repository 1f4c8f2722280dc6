/**
 * The HTTP client of `kd`'s kubectl verbs: one keep-alive node:https Agent per server (not undici:
 * importing undici alone costs a one-shot `kd get` about 100 ms, more than its requests), bearer token over
 * TLS only (kubectl sends no Authorization over plain http, kubectl-wire.md §3), and API Status
 * failures turned into `ApiStatusError`s that the root error boundary prints as kubectl does.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { CaAgent } from './ca-agent.js';
import { ApiStatusError, ConnectionError } from './errors.js';
import type { KubeContext } from './kubeconfig.js';

/** Accept header kubectl sends for human-readable `get` (kubectl-wire.md §3.1). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
/** Accept header of aggregated discovery (kubectl-wire.md §4.1). */
export const DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const USER_AGENT = 'kd/v1.35.2 (linux/amd64) kubedojo';

/** Options of one request. */
export interface RequestOptions {
  /** A JSON-able object, or a string sent as it is. */
  body?: unknown;
  contentType?: string;
  accept?: string;
}

/** A client bound to one cluster context. */
export class KubeClient {
  private readonly agent: HttpAgent;
  /** Warnings already printed: kubectl prints each distinct one once per invocation. */
  private readonly warned = new Set<string>();

  constructor(readonly context: KubeContext) {
    const https = context.server.startsWith('https:');
    if (!https) this.agent = new HttpAgent({ keepAlive: true });
    else if (context.caPem && !context.insecureSkipTlsVerify) this.agent = new CaAgent({ keepAlive: true, ca: context.caPem });
    else this.agent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: !context.insecureSkipTlsVerify });
  }

  /** GET a path; resolves with the parsed JSON, throws ApiStatusError for non-2xx answers. */
  async getJson(path: string, accept = 'application/json'): Promise<any> {
    return this.request('GET', path, { accept });
  }

  /**
   * One request with an optional body (an object is sent as JSON with `contentType`, default
   * application/json); resolves with the parsed JSON answer (undefined for an empty body) and throws
   * ApiStatusError for non-2xx answers.
   *
   * @example
   * await client.request('PATCH', path, { body: { metadata: { labels } }, contentType: 'application/merge-patch+json' });
   */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<any> {
    const url = new URL(path, this.context.server);
    const headers = this.headers(url, opts.accept ?? 'application/json');
    let payload: string | undefined;
    if (opts.body !== undefined) {
      payload = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
      headers['content-type'] = opts.contentType ?? 'application/json';
      // node sends a DELETE body neither chunked nor sized unless told its length.
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    const res = await this.send(url, method, headers, payload).catch((err: unknown) => {
      throw connectionError(err, url);
    });
    this.printWarnings(res.headers['warning']);
    if (res.status >= 200 && res.status < 300) return res.body === '' ? undefined : JSON.parse(res.body);
    throw statusError(res.status, res.body, path);
  }

  /**
   * Opens a streaming GET (watch, `logs -f`): resolves with the response once its status is 2xx,
   * for the caller to read chunk by chunk; a failure status is read whole and thrown as ApiStatusError.
   */
  async stream(path: string, accept = 'application/json'): Promise<IncomingMessage> {
    const url = new URL(path, this.context.server);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: 'GET', headers: this.headers(url, accept), agent: this.agent }, resolve);
      req.on('error', (err) => reject(connectionError(err, url)));
      req.end();
    });
    this.printWarnings(res.headers['warning']);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    throw statusError(status, Buffer.concat(chunks).toString('utf8'), path);
  }

  /** Request headers: the bearer token only over TLS, as kubectl. */
  private headers(url: URL, accept: string): Record<string, string> {
    const headers: Record<string, string> = { accept, 'user-agent': USER_AGENT };
    if (this.context.token && url.protocol === 'https:') headers['authorization'] = `Bearer ${this.context.token}`;
    return headers;
  }

  private send(url: URL, method: string, headers: Record<string, string>, payload?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Prints each `Warning: 299 - "<text>"` header as `Warning: <text>` on stderr, as client-go's WarningWriter. */
  private printWarnings(header: string | string[] | undefined): void {
    for (const value of [header ?? []].flat()) {
      for (const m of value.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) {
        const text = m[1]!.replace(/\\(.)/g, '$1');
        if (this.warned.has(text)) continue;
        this.warned.add(text);
        process.stderr.write(`Warning: ${text}\n`);
      }
    }
  }

  /** Releases the keep-alive connections so a one-shot command can exit. */
  async close(): Promise<void> {
    this.agent.destroy();
  }
}

const UNKNOWN_AUTHORITY = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT']);

function connectionError(err: unknown, url: URL): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ECONNREFUSED') {
    return new ConnectionError(`The connection to the server ${url.host} was refused - did you specify the right host or port?`);
  }
  // Go's wording for a server certificate no trusted CA signed.
  if (code && UNKNOWN_AUTHORITY.has(code)) return new ConnectionError('Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority');
  return new ConnectionError(`Unable to connect to the server: ${(err as Error).message}`);
}

/** Builds the error for a failed answer; a body that is not a Status gets apimachinery's generic text. */
function statusError(code: number, text: string, path: string): ApiStatusError {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body?.kind === 'Status') return new ApiStatusError(code, body.reason ?? '', body.message ?? '', body.details);
  if (code === 404) return new ApiStatusError(code, 'NotFound', `the server could not find the requested resource (get ${path})`);
  return new ApiStatusError(code, 'Unknown', `an error on the server ("${text.trim()}") has prevented the request from succeeding`);
}
