/**
 * TLS material for the API server, generated once per data directory the way kubeadm does it: a
 * cluster CA (`kubedojo-ca`) and a serving certificate signed by it, kept in `<dataDir>/pki/`.
 * Keys are ECDSA P-256: fast to generate and accepted by Go's crypto/tls (kubectl, helm).
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API;
// this import must stay before the x509 import so it is evaluated first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** PEM-encoded TLS material: the CA certificate and the serving certificate with its key. */
export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
// Validity uses wall time (Date.now), not the virtual clock: clients check it against their own clocks.
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

interface CertAndKey {
  cert: x509.X509Certificate;
  key: CryptoKey;
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
export async function ensureTls(dataDir: string, hosts: string[]): Promise<TlsMaterial> {
  const pki = join(dataDir, 'pki');
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const wanted = uniqueHosts([...DEFAULT_HOSTS, ...hosts]);

  let ca = await loadPair(join(pki, 'ca.crt'), join(pki, 'ca.key'));
  const caIsNew = !ca;
  if (!ca) {
    ca = await createCa();
    savePair(pki, 'ca', ca);
  }

  let serving = caIsNew ? undefined : await loadPair(join(pki, 'apiserver.crt'), join(pki, 'apiserver.key'));
  if (!serving || !(await servingCertIsUsable(serving.cert, ca.cert, wanted))) {
    serving = await createServingCert(ca, wanted);
    savePair(pki, 'apiserver', serving);
  }
  return { caPem: ca.certPem, certPem: serving.certPem, keyPem: serving.keyPem };
}

/** Lists the SAN entries of a PEM certificate as `ip:<addr>` / `dns:<name>` strings (for tests and checks). */
export function certificateHosts(certPem: string): string[] {
  const san = new x509.X509Certificate(certPem).getExtension(x509.SubjectAlternativeNameExtension);
  if (!san) return [];
  return san.names.items.map((n) => `${n.type}:${n.type === 'ip' ? normalizeIp(n.value) : n.value.toLowerCase()}`);
}

async function createCa(): Promise<CertAndKey> {
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
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
  return toCertAndKey(cert, keys.privateKey);
}

async function createServingCert(ca: CertAndKey, hosts: string[]): Promise<CertAndKey> {
  const keys = await crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  // Never outlive the CA: a chain with an expired issuer fails verification anyway.
  const notAfter = Math.min(now + SERVING_VALIDITY_MS, ca.cert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${SERVING_COMMON_NAME}`,
    issuer: ca.cert.subject,
    notBefore: new Date(now - BACKDATE_MS),
    notAfter: new Date(notAfter),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(hosts.map(toGeneralName), false),
      await authorityKeyId(ca.cert),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return toCertAndKey(cert, keys.privateKey);
}

/** The AKI must repeat the CA's own SKI byte for byte, so it is copied rather than recomputed. */
async function authorityKeyId(ca: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(ca.publicKey, false, crypto);
}

/** True when the certificate was issued by `ca`, covers every wanted host and is not about to expire. */
async function servingCertIsUsable(cert: x509.X509Certificate, ca: x509.X509Certificate, wanted: string[]): Promise<boolean> {
  if (cert.notAfter.getTime() - Date.now() < RENEW_BEFORE_MS) return false;
  if (cert.issuer !== ca.subject) return false;
  const signedByCa = await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }, crypto).catch(() => false);
  if (!signedByCa) return false;
  const present = new Set(certificateHosts(cert.toString('pem')));
  return wanted.every((h) => present.has(hostKey(h)));
}

async function loadPair(certPath: string, keyPath: string): Promise<CertAndKey | undefined> {
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  try {
    const certPem = readFileSync(certPath, 'utf8');
    const keyPem = readFileSync(keyPath, 'utf8');
    const cert = new x509.X509Certificate(certPem);
    const der = x509.PemConverter.decodeFirst(keyPem);
    const key = await crypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign']);
    return { cert, key, certPem, keyPem };
  } catch {
    // Unreadable or foreign material (say, an RSA key put there by hand): start over rather than crash.
    return undefined;
  }
}

async function toCertAndKey(cert: x509.X509Certificate, key: CryptoKey): Promise<CertAndKey> {
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', key);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { cert, key, certPem: ensureNewline(cert.toString('pem')), keyPem: ensureNewline(keyPem) };
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

function toGeneralName(host: string): x509.JsonGeneralName {
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
