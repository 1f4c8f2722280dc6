/**
 * TLS material for the API server, generated once per data directory the way kubeadm does it: a
 * cluster CA (`kubedojo-ca`) and a serving certificate signed by it, kept in `<dataDir>/pki/`.
 * Keys are ECDSA P-256: fast to generate and accepted by Go's crypto/tls (kubectl, helm).
 *
 * Checking existing material uses only node:crypto. `@peculiar/x509` (with reflect-metadata) is
 * loaded only on a start that must issue a certificate: it costs ~15-18 MB of RSS that the daemon
 * would otherwise carry for its whole life just to re-read files it could check natively.
 */
import type * as X509 from '@peculiar/x509';
import { X509Certificate, createPrivateKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Clock } from './clock.js';

/** PEM-encoded TLS material: the CA certificate and the serving certificate with its key. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

type X509Module = typeof X509;

const crypto = webcrypto as unknown as Crypto;

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
/** node:crypto's name for P-256, as reported in `asymmetricKeyDetails.namedCurve`. */
const KEY_CURVE = 'prime256v1';
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
// Validity uses wall time (a RealClock at speed 1), not the cluster's sped-up clock: clients check
// certificates against their own clocks.
const CA_VALIDITY_MS = 10 * 365 * 24 * 3600_000;
const SERVING_VALIDITY_MS = 365 * 24 * 3600_000;
/** Certificates are back-dated a little so a client whose clock lags slightly still accepts them. */
const BACKDATE_MS = 3600_000;
/** A serving certificate closer than this to expiry is replaced at start. */
const RENEW_BEFORE_MS = 30 * 24 * 3600_000;
const CA_COMMON_NAME = 'kubedojo-ca';
const SERVING_COMMON_NAME = 'kube-apiserver';

/** The names every serving certificate carries, as a kubeadm apiserver certificate does. */
const DEFAULT_HOSTS = [
  '127.0.0.1',
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
];

/**
 * One entry of node:crypto's `subjectAltName` text (`DNS:a, IP Address:1.2.3.4`). Node JSON-quotes
 * a value holding a comma, quote or control character, so the list splits unambiguously.
 */
const SAN_ENTRY = /(?:^|, )([^:,]+):("(?:[^"\\]|\\.)*"|[^,]*)/g;
/** node:crypto's SAN type labels mapped to the short names `certificateHosts` has always returned. */
const SAN_TYPES: ReadonlyMap<string, string> = new Map([
  ['DNS', 'dns'],
  ['IP Address', 'ip'],
  ['email', 'email'],
  ['URI', 'url'],
]);

/** A certificate with its private key, both as PEM text and as node:crypto objects. */
interface CertAndKey {
  cert: X509Certificate;
  key: KeyObject;
  certPem: string;
  keyPem: string;
}

/**
 * Loads or creates the cluster CA and the serving certificate in `<dataDir>/pki/`. The serving
 * certificate is reissued when one of `hosts` (IP addresses or DNS names, beyond the defaults) is
 * missing from its SANs, when it expires within 30 days, or when the CA was replaced.
 *
 * @example
 * const { caPem, certPem, keyPem } = await ensureTls('/home/me/.kubedojo', ['10.0.0.5']);
 */
export async function ensureTls(dataDir: string, hosts: string[], wall: Clock): Promise<TlsMaterial> {
  const now = wall.now();
  const pki = join(dataDir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const wanted = uniqueHosts([...DEFAULT_HOSTS, ...hosts]);

  let ca = loadPair(join(pki, 'ca.crt'), join(pki, 'ca.key'));
  const caIsNew = !ca;
  if (!ca) {
    ca = await createCa(await loadX509(), now);
    savePair(pki, 'ca', ca);
  }

  let serving = caIsNew ? undefined : loadPair(join(pki, 'apiserver.crt'), join(pki, 'apiserver.key'));
  if (!serving || !servingCertIsUsable(serving, ca, wanted, now)) {
    serving = await createServingCert(await loadX509(), ca, wanted, now);
    savePair(pki, 'apiserver', serving);
  }
  return { caPem: ca.certPem, certPem: serving.certPem, keyPem: serving.keyPem };
}

/**
 * Lists the SAN entries of a PEM certificate as `ip:<addr>` / `dns:<name>` strings (for tests and
 * checks). IP addresses come in canonical form (`::1`), DNS names in lower case.
 *
 * @example
 * certificateHosts(certPem); // ['ip:127.0.0.1', 'dns:localhost', ...]
 */
export function certificateHosts(certPem: string): string[] {
  const san = new X509Certificate(certPem).subjectAltName;
  if (!san) return [];
  const out: string[] = [];
  for (const [, label, raw] of san.matchAll(SAN_ENTRY)) {
    const type = SAN_TYPES.get(label!);
    if (!type) continue; // directory names, other names: never in our certificates, not hosts
    const value = raw!.startsWith('"') ? (JSON.parse(raw!) as string) : raw!;
    out.push(`${type}:${type === 'ip' ? normalizeIp(value) : value.toLowerCase()}`);
  }
  return out;
}

let x509Loading: Promise<X509Module> | undefined;

/** Imports the x509 library on first use; the promise is shared so concurrent callers load it once. */
function loadX509(): Promise<X509Module> {
  x509Loading ??= (async () => {
    // x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API
    // installed before the library module is evaluated.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    x509.cryptoProvider.set(crypto);
    return x509;
  })();
  return x509Loading;
}

async function createCa(x509: X509Module, now: number): Promise<CertAndKey> {
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${CA_COMMON_NAME}`,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(now + CA_VALIDITY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return toCertAndKey(x509, cert, keys.privateKey);
}

async function createServingCert(x509: X509Module, ca: CertAndKey, hosts: string[], now: number): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  // The CA key lives as a KeyObject; WebCrypto signing needs it as a CryptoKey.
  const caKey = await crypto.subtle.importKey(
    'pkcs8',
    ca.key.export({ type: 'pkcs8', format: 'der' }),
    KEY_ALGORITHM,
    false,
    ['sign'],
  );
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  // Never outlive the CA: a chain with an expired issuer fails verification anyway.
  const notAfter = Math.min(now + SERVING_VALIDITY_MS, caCert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${SERVING_COMMON_NAME}`,
    issuer: caCert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(hosts.map(toGeneralName), false),
      await authorityKeyId(x509, caCert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return toCertAndKey(x509, cert, keys.privateKey);
}

/** The AKI must repeat the CA's own SKI byte for byte, so it is copied rather than recomputed. */
async function authorityKeyId(
  x509: X509Module,
  ca: X509.X509Certificate,
): Promise<X509.AuthorityKeyIdentifierExtension> {
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(ca.publicKey, false, crypto);
}

/** True when the certificate was issued by `ca`, covers every wanted host and is not about to expire. */
function servingCertIsUsable(serving: CertAndKey, ca: CertAndKey, wanted: string[], now: number): boolean {
  // Written as !(x >= y) so an unparsable expiry date (NaN) counts as expiring.
  if (!(expiresAt(serving.cert) - now >= RENEW_BEFORE_MS)) return false;
  try {
    // checkIssued matches the issuer name (and key identifiers) against the CA; only verify
    // proves that the current CA key actually signed it.
    if (!serving.cert.checkIssued(ca.cert) || !serving.cert.verify(ca.cert.publicKey)) return false;
  } catch {
    return false;
  }
  const present = new Set(certificateHosts(serving.certPem));
  return wanted.every((h) => present.has(hostKey(h)));
}

/** The expiry time in ms; `validToDate` only exists from Node 22.10, so Node 20 parses `validTo`. */
function expiresAt(cert: X509Certificate): number {
  const date = (cert as X509Certificate & { validToDate?: Date }).validToDate;
  // validTo is OpenSSL's text form ("Nov 25 17:13:37 2027 GMT"), which Date.parse reads.
  return date instanceof Date ? date.getTime() : Date.parse(cert.validTo);
}

function loadPair(certPath: string, keyPath: string): CertAndKey | undefined {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    const cert = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    // Only keep our kind of key (the CA key must sign as ECDSA P-256) and only with its own
    // certificate: a mismatched pair would fail at the first TLS handshake instead of here.
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== KEY_CURVE) return undefined;
    if (!cert.checkPrivateKey(key)) return undefined;
    return { cert, key, certPem, keyPem };
  } catch {
    // Unreadable or foreign material (say, an RSA key put there by hand): start over rather than crash.
    return undefined;
  }
}

async function toCertAndKey(x509: X509Module, cert: X509.X509Certificate, key: CryptoKey): Promise<CertAndKey> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', key);
  const keyPem = ensureNewline(x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'));
  const certPem = ensureNewline(cert.toString('pem'));
  return { cert: new X509Certificate(certPem), key: createPrivateKey(keyPem), certPem, keyPem };
}

/** Writes `<base>.crt` (0644) and `<base>.key` (0600) atomically, so a crash never leaves half a file. */
function savePair(dir: string, base: string, pair: CertAndKey): void {
  writeAtomic(join(dir, `${base}.key`), pair.keyPem, 0o600);
  writeAtomic(join(dir, `${base}.crt`), pair.certPem, 0o644);
}

function writeAtomic(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode); // the umask may have narrowed or (for 0644) the file may have pre-existed
  renameSync(tmp, path);
}

function toGeneralName(host: string): X509.JsonGeneralName {
  return isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host };
}

function hostKey(host: string): string {
  return isIP(host) ? `ip:${normalizeIp(host)}` : `dns:${host.toLowerCase()}`;
}

function uniqueHosts(hosts: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of hosts) {
    const host = raw.trim().replace(/^\[(.*)\]$/, '$1');
    if (!host || seen.has(hostKey(host))) continue;
    seen.add(hostKey(host));
    out.push(host);
  }
  return out;
}

/** Canonical text of an IP address, so `::1` and `0:0:0:0:0:0:0:1` compare equal. */
function normalizeIp(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
}

/** A random positive 128-bit serial number; Go rejects negative serials, so the top bit is cleared. */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

function ensureNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}
