/**
 * Service, Endpoints, Ingress and NetworkPolicy validation. Port of kubernetes
 * `pkg/apis/core/validation/validation.go` (ValidateService, ValidateServiceUpdate,
 * validateEndpointSubsets) and, more loosely, `pkg/apis/networking/validation`.
 */
import { validatePortNumOrName } from './pod-fields.js';
import { duplicate, forbidden, invalid, notSupported, required, type FieldError } from './field-errors.js';
import { asArr, asObj, asStr, goStruct, isSet, validateLabels, validateLabelSelector, type Obj } from './metadata.js';
import { INVALID_IP_MSG, isDNS1123Label, isDNS1123Subdomain, isIP, isQualifiedName, isValidPortNum } from './names.js';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
const TRAFFIC_DISTRIBUTIONS = ['PreferClose', 'PreferSameZone', 'PreferSameNode'];

/** A Service whose only cluster IP is `None`. */
function isHeadless(spec: Obj): boolean {
  const ips = asArr(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

/** NodePort, LoadBalancer, or ClusterIP with external IPs (apiservice.ExternallyAccessible). */
export function isExternallyAccessible(spec: Obj): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && asArr(spec.externalIPs).length > 0);
}

/** ValidateService's spec part (metadata is checked by the caller). */
export function validateServiceSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = asStr(spec.type);
  const ports = asArr(spec.ports).map(asObj);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errs.push(required('spec.ports'));
  errs.push(...validateTypeSpecifics(spec, type));
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, `spec.ports[${i}]`)));
  if (isSet(spec, 'selector')) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  errs.push(...validateSessionAffinity(spec));
  errs.push(...validateClusterIPs(spec));
  asArr(spec.externalIPs).forEach((ip, i) => {
    if (!isIP(asStr(ip))) errs.push(invalid(`spec.externalIPs[${i}]`, asStr(ip), INVALID_IP_MSG));
  });
  if (!type) errs.push(required('spec.type'));
  else if (!SERVICE_TYPES.includes(type)) errs.push(notSupported('spec.type', type, SERVICE_TYPES));
  errs.push(...validateNodePorts(ports, type));
  errs.push(...validateDuplicatePorts(ports));
  errs.push(...validateLoadBalancerFields(spec, type));
  errs.push(...validateTrafficPolicies(spec, type));
  return errs;
}

function validateTypeSpecifics(spec: Obj, type: string): FieldError[] {
  if ((type === 'LoadBalancer' || type === 'NodePort') && isHeadless(spec)) {
    return [invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`)];
  }
  if (type !== 'ExternalName') return [];
  const errs: FieldError[] = [];
  if (asArr(spec.clusterIPs).length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  if (asArr(spec.ipFamilies).length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
  if (isSet(spec, 'ipFamilyPolicy')) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
  // A CNAME may carry a trailing dot to mark it fully qualified.
  const cname = asStr(spec.externalName).replace(/\.$/, '');
  if (cname) errs.push(...isDNS1123Subdomain(cname).map((m) => invalid('spec.externalName', cname, m)));
  else errs.push(required('spec.externalName'));
  return errs;
}

function validateServicePort(sp: Obj, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = asStr(sp.name);
  if (requireName && !name) errs.push(required(`${path}.name`));
  else if (name) {
    errs.push(...isDNS1123Label(name).map((m) => invalid(`${path}.name`, name, m)));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    else names.add(name);
  }
  const port = Number(sp.port ?? 0);
  errs.push(...isValidPortNum(port).map((m) => invalid(`${path}.port`, port, m)));
  const proto = asStr(sp.protocol);
  if (!proto) errs.push(required(`${path}.protocol`));
  else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${path}.protocol`, proto, PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, `${path}.targetPort`));
  if (isSet(sp, 'appProtocol')) errs.push(...isQualifiedName(asStr(sp.appProtocol)).map((m) => invalid(`${path}.appProtocol`, asStr(sp.appProtocol), m)));
  return errs;
}

function validateSessionAffinity(spec: Obj): FieldError[] {
  const affinity = asStr(spec.sessionAffinity);
  if (!affinity) return [required('spec.sessionAffinity')];
  if (affinity !== 'ClientIP' && affinity !== 'None') return [notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None'])];
  const path = 'spec.sessionAffinityConfig';
  if (affinity === 'None') return isSet(spec, 'sessionAffinityConfig') ? [forbidden(path, 'must not be set when session affinity is None')] : [];
  const when = 'when session affinity type is ClientIP';
  if (!isSet(spec, 'sessionAffinityConfig')) return [required(path, when)];
  const clientIP = asObj(spec.sessionAffinityConfig).clientIP;
  if (clientIP === undefined || clientIP === null) return [required(`${path}.clientIP`, when)];
  const timeout = asObj(clientIP).timeoutSeconds;
  if (typeof timeout !== 'number') return [required(`${path}.clientIP.timeoutSeconds`, when)];
  if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
    return [invalid(`${path}.clientIP.timeoutSeconds`, timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

/** ValidateServiceClusterIPsRelatedFields, without the dual-stack family checks. */
function validateClusterIPs(spec: Obj): FieldError[] {
  if (spec.type === 'ExternalName') return [];
  const errs: FieldError[] = [];
  const ips = asArr(spec.clusterIPs).map(asStr);
  const clusterIP = asStr(spec.clusterIP);
  if (clusterIP && ips.length > 0 && ips[0] !== clusterIP) errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'));
  if (!clusterIP && ips.length > 0) errs.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'));
  asArr(spec.ipFamilies).map(asStr).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
  });
  const policy = asStr(spec.ipFamilyPolicy);
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (isSet(spec, 'ipFamilyPolicy') && !policies.includes(policy)) errs.push(notSupported('spec.ipFamilyPolicy', policy, policies));
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"));
    } else if (!isIP(ip)) {
      errs.push(invalid(`spec.clusterIPs[${i}]`, ip, INVALID_IP_MSG));
    }
  });
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'));
  return errs;
}

function validateNodePorts(ports: Obj[], type: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const nodePort = Number(p.nodePort ?? 0);
    if (nodePort === 0) return;
    if (type === 'ClusterIP') errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    const key = `${asStr(p.protocol)}/${nodePort}`;
    if (seen.has(key)) errs.push(duplicate(`spec.ports[${i}].nodePort`, nodePort));
    seen.add(key);
  });
  return errs;
}

/** Duplicate (protocol, port) pairs; the value prints as the internal ServicePort struct. */
function validateDuplicatePorts(ports: Obj[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    const key = `${asStr(p.protocol)}/${Number(p.port ?? 0)}`;
    if (seen.has(key)) {
      const shown = goStruct([['Name', ''], ['Protocol', asStr(p.protocol)], ['AppProtocol', null], ['Port', Number(p.port ?? 0)], ['TargetPort', 0], ['NodePort', 0]]);
      errs.push(duplicate(`spec.ports[${i}]`, shown));
    }
    seen.add(key);
  });
  return errs;
}

function validateLoadBalancerFields(spec: Obj, type: string): FieldError[] {
  const errs: FieldError[] = [];
  const lbOnly = "may only be used when `type` is 'LoadBalancer'";
  const ranges = asArr(spec.loadBalancerSourceRanges).map(asStr);
  if (ranges.length > 0) {
    // Upstream spells this path with a capital L.
    if (type !== 'LoadBalancer') errs.push(forbidden('spec.LoadBalancerSourceRanges', lbOnly));
    ranges.forEach((r, i) => {
      const [ip, bits, extra] = r.trim().split('/');
      const max = ip !== undefined && ip.includes(':') ? 128 : 32;
      if (extra !== undefined || !isIP(ip ?? '') || !/^\d+$/.test(bits ?? '') || Number(bits) > max) {
        errs.push(invalid(`spec.LoadBalancerSourceRanges[${i}]`, r.trim(), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      }
    });
  }
  if (isSet(spec, 'allocateLoadBalancerNodePorts') && type !== 'LoadBalancer') errs.push(forbidden('spec.allocateLoadBalancerNodePorts', lbOnly));
  // Upstream reports the missing field without the `spec.` prefix.
  if (type === 'LoadBalancer' && !isSet(spec, 'allocateLoadBalancerNodePorts')) errs.push(required('allocateLoadBalancerNodePorts'));
  if (isSet(spec, 'loadBalancerClass')) {
    const cls = asStr(spec.loadBalancerClass);
    if (type !== 'LoadBalancer') errs.push(forbidden('spec.loadBalancerClass', lbOnly));
    else errs.push(...isQualifiedName(cls).map((m) => invalid('spec.loadBalancerClass', cls, m)));
  }
  return errs;
}

function validateTrafficPolicies(spec: Obj, type: string): FieldError[] {
  const errs: FieldError[] = [];
  const etp = asStr(spec.externalTrafficPolicy);
  if (!isExternallyAccessible(spec)) {
    if (etp) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
  } else if (!etp) {
    errs.push(required('spec.externalTrafficPolicy'));
  } else if (etp !== 'Cluster' && etp !== 'Local') {
    errs.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  }
  const hc = Number(spec.healthCheckNodePort ?? 0);
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  if (!needsHealthCheck && hc !== 0) errs.push(invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  if (needsHealthCheck && hc !== 0) errs.push(...isValidPortNum(hc).map((m) => invalid('spec.healthCheckNodePort', hc, m)));
  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type)) errs.push(required('spec.internalTrafficPolicy'));
  if (itp !== undefined && itp !== null && itp !== 'Cluster' && itp !== 'Local') errs.push(notSupported('spec.internalTrafficPolicy', asStr(itp), ['Cluster', 'Local']));
  if (isSet(spec, 'trafficDistribution') && !TRAFFIC_DISTRIBUTIONS.includes(asStr(spec.trafficDistribution))) {
    errs.push(notSupported('spec.trafficDistribution', asStr(spec.trafficDistribution), TRAFFIC_DISTRIBUTIONS));
  }
  return errs;
}

/** ValidateServiceUpdate's extra checks: allocated cluster IPs and IP families may not change. */
export function validateServiceSpecUpdate(spec: Obj, old: Obj): FieldError[] {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName' || (isHeadless(spec) && isHeadless(old))) return [];
  const errs: FieldError[] = [];
  const ips = asArr(spec.clusterIPs).map(asStr);
  const oldIPs = asArr(old.clusterIPs).map(asStr);
  if (ips.length === oldIPs.length) {
    oldIPs.forEach((ip, i) => {
      if (ip !== ips[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, ips, 'may not change once set'));
    });
  } else if (oldIPs.length > ips.length) {
    if (ips.length === 0) errs.push(invalid('spec.clusterIPs[0]', ips, 'primary clusterIP can not be unset'));
    else if (ips[0] !== oldIPs[0]) errs.push(invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
  } else if (oldIPs.length > 0 && ips[0] !== oldIPs[0]) {
    errs.push(invalid('spec.clusterIPs[0]', ips, 'may not change once set'));
  }
  const fams = asArr(spec.ipFamilies).map(asStr);
  const oldFams = asArr(old.ipFamilies).map(asStr);
  if (isHeadless(spec) === isHeadless(old) && fams.length === oldFams.length && oldFams.some((f, i) => f !== fams[i])) {
    errs.push(invalid('spec.ipFamilies[0]', fams, 'may not change once set'));
  }
  if (old.type === 'LoadBalancer' && spec.type === 'LoadBalancer' && asStr(old.loadBalancerClass) !== asStr(spec.loadBalancerClass)) {
    errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'));
  }
  return errs;
}

/** validateEndpointSubsets: addresses present and valid, ports named when there are several. */
export function validateEndpointSubsets(subsets: unknown[]): FieldError[] {
  const errs: FieldError[] = [];
  subsets.map(asObj).forEach((ss, i) => {
    const p = `subsets[${i}]`;
    if (asArr(ss.addresses).length === 0 && asArr(ss.notReadyAddresses).length === 0) {
      errs.push(required(p, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const key of ['addresses', 'notReadyAddresses']) {
      asArr(ss[key]).map(asObj).forEach((a, j) => {
        const ip = asStr(a.ip);
        if (!isIP(ip)) errs.push(invalid(`${p}.${key}[${j}].ip`, ip, INVALID_IP_MSG));
        const host = asStr(a.hostname);
        if (host) errs.push(...isDNS1123Label(host).map((m) => invalid(`${p}.${key}[${j}].hostname`, host, m)));
      });
    }
    const ports = asArr(ss.ports).map(asObj);
    ports.forEach((port, j) => {
      const pp = `${p}.ports[${j}]`;
      const name = asStr(port.name);
      if (ports.length > 1 && !name) errs.push(required(`${pp}.name`));
      else if (name) errs.push(...isDNS1123Label(name).map((m) => invalid(`${pp}.name`, name, m)));
      const num = Number(port.port ?? 0);
      errs.push(...isValidPortNum(num).map((m) => invalid(`${pp}.port`, num, m)));
      const proto = asStr(port.protocol);
      if (!proto) errs.push(required(`${pp}.protocol`));
      else if (!PROTOCOLS.includes(proto)) errs.push(notSupported(`${pp}.protocol`, proto, PROTOCOLS));
    });
  });
  return errs;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

/** Ingress rules: pathType is required (there is no default) and Exact/Prefix paths are absolute. */
export function validateIngressSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  asArr(spec.rules).map(asObj).forEach((rule, i) => {
    const host = asStr(rule.host);
    const hostPath = `spec.rules[${i}].host`;
    if (host) errs.push(...isDNS1123Subdomain(host.replace(/^\*\./, '')).map((m) => invalid(hostPath, host, m)));
    asArr(asObj(rule.http).paths).map(asObj).forEach((p, j) => {
      const pp = `spec.rules[${i}].http.paths[${j}]`;
      const pathType = asStr(p.pathType);
      const path = asStr(p.path);
      if (!pathType) errs.push(required(`${pp}.pathType`, 'pathType must be specified'));
      else if (!PATH_TYPES.includes(pathType)) errs.push(notSupported(`${pp}.pathType`, pathType, PATH_TYPES));
      else if (pathType !== 'ImplementationSpecific' && !path.startsWith('/')) errs.push(invalid(`${pp}.path`, path, 'must be an absolute path'));
      errs.push(...validateIngressBackend(asObj(p.backend), `${pp}.backend`));
    });
  });
  if (isSet(spec, 'defaultBackend')) errs.push(...validateIngressBackend(asObj(spec.defaultBackend), 'spec.defaultBackend'));
  return errs;
}

function validateIngressBackend(backend: Obj, path: string): FieldError[] {
  const hasService = isSet(backend, 'service');
  if (hasService && isSet(backend, 'resource')) return [invalid(path, '', 'cannot set both resource and service backends')];
  if (!hasService) return isSet(backend, 'resource') ? [] : [invalid(path, '', 'resource or service backend is required')];
  const svc = asObj(backend.service);
  const name = asStr(svc.name);
  const errs: FieldError[] = [];
  if (!name) errs.push(required(`${path}.service.name`));
  const port = asObj(svc.port);
  if (isSet(port, 'name') && isSet(port, 'number')) errs.push(invalid(`${path}.service.port`, svc.port, 'cannot set both port name & port number'));
  else if (!isSet(port, 'name') && !isSet(port, 'number')) errs.push(invalid(`${path}.service.port`, svc.port ?? null, 'port name or number is required'));
  return errs;
}

/** NetworkPolicy: selectors well formed, policyTypes from Ingress/Egress. */
export function validateNetworkPolicySpec(spec: Obj): FieldError[] {
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  const types = asArr(spec.policyTypes).map(asStr);
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  if (types.length > 2) errs.push(invalid('spec.policyTypes', types, 'may not specify more than two policyTypes'));
  return errs;
}
