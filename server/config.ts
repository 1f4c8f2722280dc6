/**
 * The simulated cluster's shape: which nodes exist and what they look like. `kd serve --config
 * FILE` reads it from YAML; without a file the cluster is a kubeadm-style three-node lab.
 *
 * @example
 * ```yaml
 * nodes:
 *   - name: controlplane
 *     controlPlane: true
 *   - name: node01
 *     cpu: "8"
 *     memory: 16Gi
 *     labels: { disktype: ssd }
 *     taints: [{ key: dedicated, value: gpu, effect: NoSchedule }]
 * workers: 2          # or: add node01..nodeNN with the defaults
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseQuantity } from '../schemas/format/quantity.js';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** One node of the cluster config, with every default filled in. */
export interface NodeConfig {
  name: string;
  controlPlane: boolean;
  cpu: string;
  memory: string;
  pods: string;
  ephemeralStorage: string;
  labels: Record<string, string>;
  taints: Taint[];
  /** InternalIP of the node. */
  address: string;
  /** The node's pod CIDR (a /24 of 10.244.0.0/16). */
  podCIDR: string;
}

export interface ClusterConfig {
  nodes: NodeConfig[];
  /**
   * The pods kubeadm sets up in kube-system: the control-plane static pods, CoreDNS and kube-proxy.
   * @default true
   */
  addons?: boolean;
}

/** The node the control-plane binaries run on (the first one, in a config without a control plane). */
export function controlPlaneNode(config: ClusterConfig): NodeConfig {
  return config.nodes.find((n) => n.controlPlane) ?? config.nodes[0]!;
}

/** A mistake in the cluster config file, worded for the user. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const DEFAULT_CPU = '4';
const DEFAULT_MEMORY = '8148340Ki';
const DEFAULT_PODS = '110';
const DEFAULT_EPHEMERAL_STORAGE = '101430960Ki';
const CONTROL_PLANE_TAINT: Taint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
/** 254 /24 pod CIDRs fit in 10.244.0.0/16; the cluster never needs more nodes. */
const MAX_NODES = 254;
const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
const NODE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The default lab: controlplane, node01, node02. */
export function defaultClusterConfig(): ClusterConfig {
  return validateClusterConfig({ nodes: [{ name: 'controlplane', controlPlane: true }], workers: 2 });
}

/** Reads and validates a YAML cluster config file. @throws {ConfigError} */
export function loadClusterConfig(path: string): ClusterConfig {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read cluster config ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return validateClusterConfig(raw ?? {});
}

/** Fills defaults and checks a parsed config. @throws {ConfigError} with the offending field */
export function validateClusterConfig(raw: unknown): ClusterConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('Cannot use the cluster config as it must be a YAML mapping');
  const r = raw as { nodes?: unknown; workers?: unknown; addons?: unknown };
  if (r.addons !== undefined && typeof r.addons !== 'boolean') throw new ConfigError(`Cannot use the cluster config as 'addons' must be true or false: current value is ${String(r.addons)}`);
  const listed = r.nodes === undefined ? [] : r.nodes;
  if (!Array.isArray(listed)) throw new ConfigError("Cannot use the cluster config as 'nodes' must be a list");
  const entries = listed.map((n, i) => checkNode(n, `nodes[${i}]`));
  if (r.workers !== undefined) {
    if (!Number.isInteger(r.workers) || (r.workers as number) < 0) throw new ConfigError(`Cannot use the cluster config as 'workers' must be a non-negative integer: current value is ${String(r.workers)}`);
    const width = Math.max(2, String(r.workers).length);
    for (let i = 1; i <= (r.workers as number); i++) entries.push(checkNode({ name: `node${String(i).padStart(width, '0')}` }, `workers`));
  }
  if (entries.length === 0) entries.push(checkNode({ name: 'controlplane', controlPlane: true }, 'nodes'));
  if (entries.length > MAX_NODES) throw new ConfigError(`Cannot use the cluster config as it has ${entries.length} nodes: at most ${MAX_NODES} are supported`);
  const names = new Set<string>();
  const nodes = entries.map((n, i) => {
    if (names.has(n.name)) throw new ConfigError(`Cannot use the cluster config as node name "${n.name}" appears twice`);
    names.add(n.name);
    return { ...n, address: `172.30.${Math.floor(i / 250) + 1}.${(i % 250) + 2}`, podCIDR: `10.244.${i}.0/24` };
  });
  return { nodes, ...(r.addons === false ? { addons: false } : {}) };
}

function isQuantity(s: string): boolean {
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}

type NodeEntry = Omit<NodeConfig, 'address' | 'podCIDR'>;

function checkNode(raw: unknown, where: string): NodeEntry {
  if (typeof raw !== 'object' || raw === null) throw new ConfigError(`Cannot use the cluster config as '${where}' must be a mapping`);
  const n = raw as Record<string, unknown>;
  const name = n.name;
  if (typeof name !== 'string' || !NODE_NAME.test(name) || name.length > 253) throw new ConfigError(`Cannot use the cluster config as '${where}.name' must be a DNS-1123 subdomain: current value is ${String(name)}`);
  const controlPlane = n.controlPlane === true;
  const quantity = (field: string, def: string): string => {
    const v = n[field] ?? def;
    const s = typeof v === 'number' ? String(v) : v;
    if (typeof s !== 'string' || !isQuantity(s)) throw new ConfigError(`Cannot use the cluster config as '${where}.${field}' must be a quantity: current value is ${String(v)}`);
    return s;
  };
  const labels = (n.labels ?? {}) as Record<string, unknown>;
  if (typeof labels !== 'object' || Array.isArray(labels) || Object.values(labels).some((v) => typeof v !== 'string')) throw new ConfigError(`Cannot use the cluster config as '${where}.labels' must map strings to strings`);
  const taints = (n.taints ?? []) as unknown[];
  if (!Array.isArray(taints)) throw new ConfigError(`Cannot use the cluster config as '${where}.taints' must be a list`);
  const checked = taints.map((t, i) => {
    const tt = t as Partial<Taint> | null;
    if (!tt || typeof tt.key !== 'string' || !EFFECTS.has(tt.effect as string)) {
      throw new ConfigError(`Cannot use the cluster config as '${where}.taints[${i}]' needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute`);
    }
    return { key: tt.key, ...(tt.value !== undefined ? { value: String(tt.value) } : {}), effect: tt.effect! };
  });
  return {
    name,
    controlPlane,
    cpu: quantity('cpu', DEFAULT_CPU),
    memory: quantity('memory', DEFAULT_MEMORY),
    pods: quantity('pods', DEFAULT_PODS),
    ephemeralStorage: quantity('ephemeralStorage', DEFAULT_EPHEMERAL_STORAGE),
    labels: { ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '' } : {}), ...(labels as Record<string, string>) },
    taints: controlPlane && !checked.some((t) => t.key === CONTROL_PLANE_TAINT.key) ? [CONTROL_PLANE_TAINT, ...checked] : checked,
  };
}
