/**
 * The faults `kd fault` injects into the simulated cluster (admin API contract of issue 7): a
 * stopped kubelet, a node pressure condition, an unpullable image, slow image pulls. FaultState is
 * the one list of active faults; it outlives runtime restarts (reset, snapshot restore), and the
 * kubelets consult it: the node agents for conditions, the image pullers for pulls, the kubelet
 * switch for stopped nodes. CrashContainer is a one-shot action and never enters the list.
 */
import { parseImageRef } from '../kubelet/images.js';

/** The node conditions a NodeCondition fault can raise. */
export const PRESSURE_CONDITION_TYPES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;
export type PressureConditionType = (typeof PRESSURE_CONDITION_TYPES)[number];

/** A fault as the API accepts it. */
export type Fault =
  | { type: 'KubeletStopped'; node: string }
  | { type: 'NodeCondition'; node: string; condition: PressureConditionType }
  | { type: 'ImageUnpullable'; image: string }
  | { type: 'SlowImagePull'; seconds: number; image?: string; node?: string }
  | { type: 'CrashContainer'; namespace: string; pod: string; container?: string };

/** A fault kept in the list, with its id. */
export type StoredFault = Exclude<Fault, { type: 'CrashContainer' }> & { id: string };

/** Why a fault body was refused; the route answers 400 with the message. */
export class FaultError extends Error {
  override name = 'FaultError';
}

/** What a pull of one image on one node is made to do. */
export interface PullFault {
  unpullable: boolean;
  /** The pull takes this long (virtual ms) instead of its usual time. */
  durationMs?: number;
}

function str(body: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = body[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v === '') throw new FaultError(`Cannot add the fault as '${key}' must be a non-empty string: current value is ${JSON.stringify(v)}`);
  return v;
}

function checkImage(image: string): string {
  try {
    parseImageRef(image);
  } catch (err) {
    throw new FaultError(`Cannot add the fault as 'image' must be an image reference: ${err instanceof Error ? err.message : String(err)}`);
  }
  return image;
}

/**
 * Validates a fault body. Node names are checked against `nodes` (the cluster's nodes).
 * @throws {FaultError} for an unknown type, a missing or malformed field, or an unknown node
 */
export function parseFault(body: Record<string, unknown>, nodes: readonly string[]): Fault {
  const node = (required: boolean): string | undefined => {
    const n = str(body, 'node', required);
    if (n !== undefined && !nodes.includes(n)) throw new FaultError(`Cannot add the fault as node "${n}" is not a node of this cluster: nodes are ${nodes.join(', ')}`);
    return n;
  };
  switch (body['type']) {
    case 'KubeletStopped':
      return { type: 'KubeletStopped', node: node(true)! };
    case 'NodeCondition': {
      const n = node(true)!;
      const condition = body['condition'];
      if (!PRESSURE_CONDITION_TYPES.includes(condition as PressureConditionType)) {
        throw new FaultError(`Cannot add the fault as 'condition' must be one of ${PRESSURE_CONDITION_TYPES.join(', ')}: current value is ${JSON.stringify(condition)}`);
      }
      return { type: 'NodeCondition', node: n, condition: condition as PressureConditionType };
    }
    case 'ImageUnpullable':
      return { type: 'ImageUnpullable', image: checkImage(str(body, 'image', true)!) };
    case 'SlowImagePull': {
      const seconds = body['seconds'];
      if (typeof seconds !== 'number' || !(seconds >= 0) || !Number.isFinite(seconds)) {
        throw new FaultError(`Cannot add the fault as 'seconds' must be a non-negative number: current value is ${JSON.stringify(seconds)}`);
      }
      const image = str(body, 'image', false);
      const n = node(false);
      return { type: 'SlowImagePull', seconds, ...(image !== undefined ? { image: checkImage(image) } : {}), ...(n !== undefined ? { node: n } : {}) };
    }
    case 'CrashContainer': {
      const container = str(body, 'container', false);
      return { type: 'CrashContainer', namespace: str(body, 'namespace', false) ?? 'default', pod: str(body, 'pod', true)!, ...(container !== undefined ? { container } : {}) };
    }
    default:
      throw new FaultError(`Cannot add the fault as 'type' must be one of KubeletStopped, NodeCondition, ImageUnpullable, SlowImagePull, CrashContainer: current value is ${JSON.stringify(body['type'])}`);
  }
}

/** Whether an image reference written in a pod matches a fault's image; a pattern without tag or digest matches every tag. */
export function imageMatches(pattern: string, image: string): boolean {
  let p;
  let i;
  try {
    p = parseImageRef(pattern);
    i = parseImageRef(image);
  } catch {
    return false;
  }
  if (`${p.registry}/${p.repository}` !== `${i.registry}/${i.repository}`) return false;
  const lastPart = pattern.slice(pattern.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !pattern.includes('@')) return true;
  return p.fullName === i.fullName;
}

function sameFault(a: Fault, b: Fault): boolean {
  return JSON.stringify(a, Object.keys(a).sort()) === JSON.stringify(b, Object.keys(b).sort());
}

/** The active faults, in the order they were added. */
export class FaultState {
  private items: StoredFault[] = [];
  private nextId = 1;
  private readonly listeners = new Set<() => void>();

  /** Every active fault. */
  list(): StoredFault[] {
    return this.items.map((f) => ({ ...f }));
  }

  /** Adds a fault (an identical one already active is returned instead) and tells the listeners. */
  add(fault: Exclude<Fault, { type: 'CrashContainer' }>): StoredFault {
    const existing = this.items.find(({ id: _id, ...rest }) => sameFault(rest as Fault, fault));
    if (existing) return { ...existing };
    const stored = { ...fault, id: `f${this.nextId++}` } as StoredFault;
    this.items.push(stored);
    this.changed();
    return { ...stored };
  }

  /** Removes one fault (undoing it); false when no fault has that id. */
  remove(id: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((f) => f.id !== id);
    if (this.items.length === before) return false;
    this.changed();
    return true;
  }

  /** Removes every fault. */
  clear(): void {
    if (this.items.length === 0) return;
    this.items = [];
    this.changed();
  }

  /** Puts back a saved list (snapshot restore); ids keep counting past the saved ones. */
  replace(items: readonly StoredFault[]): void {
    this.items = items.map((f) => ({ ...f }));
    for (const f of this.items) this.nextId = Math.max(this.nextId, Number(f.id.replace(/^f/, '')) + 1 || this.nextId);
    this.changed();
  }

  /** Calls fn after every change; returns the unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Whether a KubeletStopped fault holds the node's kubelet. */
  kubeletStopped(node: string): boolean {
    return this.items.some((f) => f.type === 'KubeletStopped' && f.node === node);
  }

  /** The pressure conditions faults raise on a node. */
  nodeConditions(node: string): ReadonlySet<string> {
    return new Set(this.items.flatMap((f) => (f.type === 'NodeCondition' && f.node === node ? [f.condition] : [])));
  }

  /** What the faults make of a pull of `image` on `node`: unpullable, or a fixed duration (the slowest matching). */
  pullFault(image: string, node: string): PullFault {
    let unpullable = false;
    let durationMs: number | undefined;
    for (const f of this.items) {
      if (f.type === 'ImageUnpullable' && imageMatches(f.image, image)) unpullable = true;
      if (f.type === 'SlowImagePull' && (f.node === undefined || f.node === node) && (f.image === undefined || imageMatches(f.image, image))) {
        durationMs = Math.max(durationMs ?? 0, f.seconds * 1000);
      }
    }
    return durationMs === undefined ? { unpullable } : { unpullable, durationMs };
  }

  private changed(): void {
    for (const fn of [...this.listeners]) fn();
  }
}

/** The CRI error of a pull whose tag the registry does not have, for an unpullable image. */
export function unpullableMessage(image: string): string {
  const name = parseImageRef(image).fullName;
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${name}": failed to resolve reference "${name}": ${name}: not found`;
}
