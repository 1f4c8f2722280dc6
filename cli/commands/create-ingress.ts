/**
 * `kd create ingress NAME --rule=host/path=service:port[,tls[=secret]] …`: port of kubectl
 * pkg/cmd/create/create_ingress.go (Validate, createIngress, buildTLSRules, buildIngressRules,
 * buildHTTPIngressPath, parseServiceBackendPort). Keys are inserted in the Go struct order of
 * networking.k8s.io/v1 Ingress, so `-o json` prints them as kubectl does.
 */
import type { Command } from 'commander';
import { collectArray, type Generator } from './create-generators.js';
import { objectMeta, sortedMap, type Meta } from './create-objects.js';

/**
 * kubectl's rule check. It has no `$`, so it only checks a prefix of the rule: anything after
 * `host/path=svc:port` is accepted and the split below decides what it means.
 */
const RULE_PREFIX = /^[\w*\-.]*\/[^,=\n]*=[\w-]+:[\w-]+(,tls=?[\w-]+)?/;

/** The flags of `create ingress` as commander hands them over. */
export interface IngressOptions {
  rules: string[];
  annotations: string[];
  defaultBackend?: string;
  ingressClass?: string;
}

/** kubectl's Validate: the first failing check's message, as it words it. */
export function validateIngress(o: IngressOptions): void {
  if (!o.defaultBackend && o.rules.length === 0) {
    throw new Error(
      'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
    );
  }
  for (const rule of o.rules) {
    if (!RULE_PREFIX.test(rule)) throw new Error(`rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`);
  }
  for (const annotation of o.annotations) {
    if (!annotation.includes('=')) throw new Error(`annotation ${annotation} is invalid and should be in format key=[value]`);
  }
  if (o.defaultBackend && o.defaultBackend.split(':').length !== 2) throw new Error('default-backend should be in format servicename:serviceport');
}

/** The Ingress kubectl builds (createIngress); call validateIngress first. */
export function buildIngress(meta: Meta, o: IngressOptions): any {
  const annotations: Record<string, string> = {};
  for (const a of o.annotations) {
    const at = a.indexOf('=');
    annotations[a.slice(0, at)] = a.slice(at + 1);
  }
  const tls = buildTLSRules(o.rules);
  const rules = buildIngressRules(o.rules);
  const spec = {
    ...(o.ingressClass ? { ingressClassName: o.ingressClass } : {}),
    ...(o.defaultBackend ? { defaultBackend: backendFor(o.defaultBackend) } : {}),
    ...(tls.length ? { tls } : {}),
    ...(rules.length ? { rules } : {}),
  };
  const metadata = { ...objectMeta(meta), ...(Object.keys(annotations).length ? { annotations: sortedMap(annotations) } : {}) };
  return { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', metadata, spec, status: { loadBalancer: {} } };
}

/**
 * One TLS entry per secret: a rule with exactly one `,` adds its host to the entry of its secret
 * (the text after `=` in the second part, possibly empty); each host is taken once, and an entry
 * with neither host nor secret is dropped.
 */
function buildTLSRules(rules: string[]): any[] {
  const seenHosts = new Set<string>();
  const entries: { hosts?: string[]; secretName?: string }[] = [];
  for (const rule of rules) {
    const parts = rule.split(',');
    if (parts.length !== 2) continue;
    const host = rule.split('/')[0]!;
    if (seenHosts.has(host)) continue;
    seenHosts.add(host);
    const secret = parts[1]!.split('=')[1] ?? '';
    const existing = entries.find((e) => (e.secretName ?? '') === secret);
    if (existing) {
      (existing.hosts ??= []).push(host);
      continue;
    }
    const entry = { ...(host ? { hosts: [host] } : {}), ...(secret ? { secretName: secret } : {}) };
    if (entry.hosts || entry.secretName) entries.push(entry);
  }
  return entries;
}

/** Rules grouped by host in first-seen order; each rule adds one path to its host. */
function buildIngressRules(rules: string[]): any[] {
  const out: { host?: string; http: { paths: any[] } }[] = [];
  for (const rule of rules) {
    const withoutTLS = rule.split(',')[0]!;
    const slash = withoutTLS.indexOf('/');
    const host = withoutTLS.slice(0, slash);
    const path = buildHTTPIngressPath(withoutTLS.slice(slash + 1));
    const existing = out.find((r) => (r.host ?? '') === host);
    if (existing) existing.http.paths.push(path);
    else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

/** `path[*]=svc:port` after the host's slash: a trailing `*` makes the path a Prefix. */
function buildHTTPIngressPath(pathAndService: string): any {
  const parts = pathAndService.split('=');
  let path = `/${parts[0]}`;
  let pathType = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { path, pathType, backend: backendFor(parts[1]!) };
}

/** `svc:port`; the port is a number when it parses as an int32 (intstr.Parse), else a name. */
function backendFor(service: string): any {
  const parts = service.split(':');
  const port = parts[1] ?? '';
  const n = /^[+-]?\d+$/.test(port) ? Number(port) : NaN;
  const isInt = Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31;
  // A zero or empty value is Go's omitempty zero, so `port: {}` is printed.
  const portObj = isInt ? (n !== 0 ? { number: n } : {}) : port ? { name: port } : {};
  return { service: { name: parts[0], port: portObj } };
}

/** Keys of `obj` in the given order, then any others. */
function ordered(obj: any, keys: string[]): any {
  if (obj === null || typeof obj !== 'object') return obj;
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!(k in out)) out[k] = obj[k];
  return out;
}

function typedBackend(b: any): any {
  if (!b) return b;
  const service = b.service && ordered({ ...b.service, port: ordered(b.service.port ?? {}, ['name', 'number']) }, ['name', 'port']);
  return ordered({ ...b, ...(service ? { service } : {}) }, ['service', 'resource']);
}

/** The server's Ingress in networking/v1 struct order, with the `loadBalancer: {}` of typed status. */
function typedIngress(obj: any): any {
  const spec = obj.spec ?? {};
  const rules = spec.rules?.map((r: any) => {
    const paths = r.http?.paths?.map((p: any) => ordered({ ...p, backend: typedBackend(p.backend) }, ['path', 'pathType', 'backend']));
    return ordered({ ...r, ...(r.http ? { http: { ...r.http, paths } } : {}) }, ['host', 'http']);
  });
  const typedSpec = ordered(
    { ...spec, ...(spec.defaultBackend ? { defaultBackend: typedBackend(spec.defaultBackend) } : {}), ...(spec.tls ? { tls: spec.tls.map((t: any) => ordered(t, ['hosts', 'secretName'])) } : {}), ...(rules ? { rules } : {}) },
    ['ingressClassName', 'defaultBackend', 'tls', 'rules'],
  );
  return ordered({ ...obj, spec: typedSpec, status: { loadBalancer: {}, ...obj.status } }, ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
}

/** The `create ingress` generator (alias `ing`). */
export const ingressGenerator: Generator = {
  name: 'ingress',
  aliases: ['ing'],
  description: 'Create an ingress with the specified name',
  apiVersion: 'networking.k8s.io/v1',
  plural: 'ingresses',
  namespaced: true,
  errorPrefix: 'failed to create ingress: ',
  options: (cmd: Command) =>
    cmd
      .option('--class <class>', 'Ingress Class to be used', '')
      .option(
        '--rule <rule>',
        "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.",
        collectArray,
        [],
      )
      .option('--default-backend <svc:port>', 'Default service for backend, in format of svcname:port', '')
      .option('--annotation <k=v>', 'Annotation to insert in the ingress object, in the format annotation=value', collectArray, []),
  typedAnswer: typedIngress,
  build(ctx) {
    const flags = ctx.flags as Record<string, any>;
    const o: IngressOptions = { rules: flags['rule'], annotations: flags['annotation'], defaultBackend: flags['defaultBackend'], ingressClass: flags['class'] };
    validateIngress(o);
    return buildIngress(ctx.meta, o);
  },
};
