/**
 * An https Agent that trusts exactly the kubeconfig's CA, as kubectl does, without building
 * OpenSSL's root store. Node parses its ~140 bundled roots the first time a secure context gets a
 * `ca`, about 25 ms of a one-shot `kd get`; the store is never needed when the CA is given. So the
 * handshake runs against an empty store and the server certificate is checked here: issued and
 * signed by the CA (or the CA itself), inside its validity window, and valid for the host. A
 * certificate this check does not accept (a chain through intermediates, a wrong host) is not
 * refused here: the connection is made again with Node's own verification, which decides and
 * words the error.
 */
import { X509Certificate } from 'node:crypto';
import { Agent, type AgentOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect, createSecureContext, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';

type Callback = (err: Error | null, socket?: Duplex) => void;

export class CaAgent extends Agent {
  private readonly caCert: X509Certificate;
  private emptyStore?: SecureContext;

  constructor(options: AgentOptions & { ca: string }) {
    super(options);
    this.caCert = new X509Certificate(options.ca);
  }

  override createConnection(options: ConnectionOptions, callback: Callback): undefined {
    this.emptyStore ??= createSecureContext({ ca: [] });
    const socket = connect({ ...options, secureContext: this.emptyStore, rejectUnauthorized: false });
    let settled = false;
    const settle = (err: Error | null, s?: Duplex): void => {
      if (settled) return;
      settled = true;
      callback(err, s);
    };
    socket.once('error', (err) => settle(err));
    socket.once('secureConnect', () => {
      if (this.trusts(socket, options.servername || options.host || 'localhost')) return settle(null, socket);
      socket.destroy();
      settle(null, connect(options));
    });
    return undefined;
  }

  private trusts(socket: TLSSocket, host: string): boolean {
    const peer = socket.getPeerX509Certificate();
    if (!peer) return false;
    const now = Date.now();
    if (now < Date.parse(peer.validFrom) || now > Date.parse(peer.validTo)) return false;
    const signed = peer.fingerprint256 === this.caCert.fingerprint256 || (peer.checkIssued(this.caCert) && peer.verify(this.caCert.publicKey));
    return signed && (isIP(host) ? peer.checkIP(host) : peer.checkHost(host)) !== undefined;
  }
}
