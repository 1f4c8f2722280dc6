/**
 * The ConfigMap, Secret and Service generators of `kd create` (kubectl pkg/cmd/create/
 * create_configmap.go, create_secret.go, create_secret_docker.go, create_secret_tls.go,
 * create_service.go). Keys are in Go struct order so `-o json` matches kubectl.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { objectMeta, sortedMap, type Meta } from './create-objects.js';

/** The sources of a ConfigMap's or Secret's data. */
export interface DataSources {
  fromLiteral: string[];
  fromFile: string[];
  fromEnvFile: string[];
}

/** Key/value pairs in flag order, the value as bytes. */
type Entries = Array<[string, Buffer]>;

function literalEntries(literals: string[]): Entries {
  return literals.map((lit) => {
    const eq = lit.indexOf('=');
    // A literal needs a non-empty key; the value may be empty.
    if (eq <= 0) throw new Error(`invalid literal source ${lit}, expected key=value`);
    return [lit.slice(0, eq), Buffer.from(lit.slice(eq + 1), 'utf8')];
  });
}

function fileEntries(sources: string[]): Entries {
  const out: Entries = [];
  for (const src of sources) {
    const eq = src.indexOf('=');
    const key = eq < 0 ? undefined : src.slice(0, eq);
    const path = eq < 0 ? src : src.slice(eq + 1);
    if (key === '') throw new Error(`key names or file paths cannot be empty`);
    let st;
    try {
      st = statSync(path);
    } catch {
      throw new Error(`error reading ${path}: no such file or directory`);
    }
    if (st.isDirectory()) {
      if (key !== undefined) throw new Error(`cannot give a key name for a directory path.`);
      for (const name of readdirSync(path).sort()) {
        const p = join(path, name);
        if (statSync(p).isFile()) out.push([name, readFileSync(p)]);
      }
    } else {
      out.push([key ?? basename(path), readFileSync(path)]);
    }
  }
  return out;
}

function envFileEntries(files: string[]): Entries {
  const out: Entries = [];
  for (const file of files) {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      const line = raw.replace(/^\uFEFF/, '').trimStart();
      if (line === '' || line.startsWith('#')) continue;
      const eq = line.indexOf('=');
      const key = eq < 0 ? line : line.slice(0, eq);
      out.push([key, Buffer.from(eq < 0 ? (process.env[key] ?? '') : line.slice(eq + 1), 'utf8')]);
    }
  }
  return out;
}

/** All entries of the flags, in kubectl's order: files, then literals, then env files. */
function entries(src: DataSources): Entries {
  return [...fileEntries(src.fromFile), ...literalEntries(src.fromLiteral), ...envFileEntries(src.fromEnvFile)];
}

function isUtf8(buf: Buffer): boolean {
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}

/** `create configmap NAME --from-literal/--from-file/--from-env-file`. */
export function buildConfigMap(meta: Meta, src: DataSources): any {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [key, value] of entries(src)) {
    if (key in data || key in binaryData) throw new Error(`cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${meta.name}"`);
    if (isUtf8(value)) data[key] = value.toString('utf8');
    else binaryData[key] = value.toString('base64');
  }
  return {
    kind: 'ConfigMap',
    apiVersion: 'v1',
    metadata: objectMeta(meta),
    ...(Object.keys(data).length ? { data: sortedMap(data) } : {}),
    ...(Object.keys(binaryData).length ? { binaryData: sortedMap(binaryData) } : {}),
  };
}

/** `create secret generic NAME [--type] --from-literal/--from-file/--from-env-file`. */
export function buildGenericSecret(meta: Meta, src: DataSources, type: string): any {
  const data: Record<string, string> = {};
  for (const [key, value] of entries(src)) {
    if (key in data) throw new Error(`cannot add key ${key}, another key by that name already exists in Data for Secret "${meta.name}"`);
    data[key] = value.toString('base64');
  }
  return secret(meta, data, type);
}

function secret(meta: Meta, data: Record<string, string>, type: string): any {
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: objectMeta(meta),
    ...(Object.keys(data).length ? { data: sortedMap(data) } : {}),
    ...(type ? { type } : {}),
  };
}

/** `create secret docker-registry NAME --docker-server --docker-username --docker-password [--docker-email]`. */
export function buildDockerSecret(meta: Meta, opts: { server: string; username: string; password: string; email: string }): any {
  const auth = Buffer.from(`${opts.username}:${opts.password}`).toString('base64');
  const entry = { username: opts.username, password: opts.password, ...(opts.email ? { email: opts.email } : {}), auth };
  const config = JSON.stringify({ auths: { [opts.server]: entry } });
  return secret(meta, { '.dockerconfigjson': Buffer.from(config).toString('base64') }, 'kubernetes.io/dockerconfigjson');
}

/** `create secret tls NAME --cert=FILE --key=FILE`. */
export function buildTlsSecret(meta: Meta, certFile: string, keyFile: string): any {
  const cert = readFileSync(certFile);
  const key = readFileSync(keyFile);
  if (!cert.toString('utf8').includes('-----BEGIN')) throw new Error('tls: failed to find any PEM data in certificate input');
  if (!key.toString('utf8').includes('-----BEGIN')) throw new Error('tls: failed to find any PEM data in key input');
  return secret(meta, { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') }, 'kubernetes.io/tls');
}

/** Options of the service generators. */
export interface ServiceOptions {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  tcp: string[];
  clusterIP?: string;
  nodePort: number;
  externalName?: string;
}

/** kubectl's checks of the service flags (ServiceOptions.Validate). */
export function validateService(o: ServiceOptions): void {
  if (o.clusterIP === 'None' && o.type !== 'ClusterIP') throw new Error('ClusterIP=None can only be used with ClusterIP service type');
  if (o.clusterIP !== 'None' && o.tcp.length === 0 && o.type !== 'ExternalName') throw new Error('at least one tcp port specifier must be provided');
  if (o.type === 'ExternalName' && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(o.externalName ?? '')) {
    throw new Error(`invalid service external name ${o.externalName ?? ''}`);
  }
}

/** `port[:targetPort]`: a port number and a target port number or name. */
function parsePorts(spec: string): { port: number; targetPort: number | string } {
  const colon = spec.indexOf(':');
  const portText = colon < 0 ? spec : spec.slice(0, colon);
  const targetText = colon < 0 ? '' : spec.slice(colon + 1);
  if (!/^\d+$/.test(portText)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(portText)}: invalid syntax`);
  const port = Number(portText);
  if (port > 65535) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(portText)}: value out of range`);
  if (targetText === '') return { port, targetPort: port };
  if (/^-?\d+$/.test(targetText)) {
    const n = Number(targetText);
    if (n < 1 || n > 65535) throw new Error('must be between 1 and 65535, inclusive');
    return { port, targetPort: n };
  }
  return { port, targetPort: targetText };
}

/** `create service clusterip|nodeport|loadbalancer|externalname NAME --tcp=port[:target]…`. */
export function buildService(meta: Meta, o: ServiceOptions): any {
  const ports = o.tcp.map((spec) => {
    const { port, targetPort } = parsePorts(spec);
    return { name: spec.replaceAll(':', '-'), protocol: 'TCP', port, targetPort, ...(o.nodePort ? { nodePort: o.nodePort } : {}) };
  });
  const app = { app: meta.name };
  return {
    kind: 'Service',
    apiVersion: 'v1',
    metadata: objectMeta({ ...meta, labels: app }),
    spec: {
      ...(ports.length ? { ports } : {}),
      selector: app,
      ...(o.clusterIP ? { clusterIP: o.clusterIP } : {}),
      type: o.type,
      ...(o.externalName ? { externalName: o.externalName } : {}),
    },
    status: { loadBalancer: {} },
  };
}
