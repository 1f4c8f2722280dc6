/**
 * Pure Service address allocators mirroring the apiserver's bitmap allocators with the
 * "static subrange" strategy (KEP-3070 / KEP-3668): a random pick from the upper part of the range
 * first, then the lower part reserved for static assignment, each scanned linearly from a random
 * start. Randomness comes in as a parameter so tests are deterministic.
 */

/** The service CIDR of a kubeadm cluster. */
export const SERVICE_CIDR = '10.96.0.0/12';
/** The address the apiserver gives the `kubernetes` service; never handed out here. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** Lowest port of the default --service-node-port-range. */
export const NODE_PORT_MIN = 30000;
/** Highest port of the default --service-node-port-range. */
export const NODE_PORT_MAX = 32767;

const CIDR_BASE = ipToInt('10.96.0.0');
const CIDR_SIZE = 2 ** 20;
/** Usable addresses: the network and broadcast addresses are excluded. */
const IP_COUNT = CIDR_SIZE - 2;
const NODE_PORT_COUNT = NODE_PORT_MAX - NODE_PORT_MIN + 1;

/** Raised when every address of a range is taken. */
export class RangeFullError extends Error {
  override name = 'RangeFullError';
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function intToIP(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/**
 * calculateRangeOffset: the size of the lower, static-first band, `min(max(16, size/step), cap)`.
 * For the /12 service CIDR that is 256 addresses (10.96.0.1–10.96.1.0); for node ports 86 ports.
 */
function staticBandSize(size: number, step: number, cap: number): number {
  return Math.min(Math.max(16, Math.floor(size / step)), cap);
}

/**
 * randomScanStrategyWithOffset.AllocateBit: try the upper band from a random start, then the
 * lower band from a random start; undefined when both are full.
 */
function allocateOffset(count: number, band: number, isUsed: (offset: number) => boolean, random: () => number): number | undefined {
  const upper = count - band;
  const upperStart = Math.floor(random() * upper);
  for (let i = 0; i < upper; i++) {
    const at = band + ((upperStart + i) % upper);
    if (!isUsed(at)) return at;
  }
  const lowerStart = Math.floor(random() * band);
  for (let i = 0; i < band; i++) {
    const at = (lowerStart + i) % band;
    if (!isUsed(at)) return at;
  }
  return undefined;
}

/**
 * A free ClusterIP from 10.96.0.0/12, avoiding `used` and 10.96.0.1.
 * @example nextClusterIP(new Set(['10.96.0.1', '10.96.0.10']), () => 0.5) // '10.104.0.128'
 * @throws RangeFullError when no address is left.
 */
export function nextClusterIP(used: Set<string>, random: () => number): string {
  const band = staticBandSize(CIDR_SIZE, 16, 256);
  const ipAt = (offset: number): string => intToIP(CIDR_BASE + 1 + offset);
  const offset = allocateOffset(IP_COUNT, band, (o) => used.has(ipAt(o)) || ipAt(o) === KUBERNETES_SERVICE_IP, random);
  if (offset === undefined) throw new RangeFullError('failed to allocate a serviceIP: range is full');
  return ipAt(offset);
}

/**
 * A free node port from 30000–32767, avoiding `used`.
 * @example nextNodePort(new Set(), () => 0) // 30086
 * @throws RangeFullError when no port is left.
 */
export function nextNodePort(used: Set<number>, random: () => number): number {
  const band = staticBandSize(NODE_PORT_COUNT, 32, 128);
  const offset = allocateOffset(NODE_PORT_COUNT, band, (o) => used.has(NODE_PORT_MIN + o), random);
  if (offset === undefined) throw new RangeFullError('range is full');
  return NODE_PORT_MIN + offset;
}

/** Whether an address lies inside the service CIDR (10.96.0.0/12). */
export function isInServiceCIDR(ip: string): boolean {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) return false;
  const n = ipToInt(ip);
  return n >= CIDR_BASE && n < CIDR_BASE + CIDR_SIZE;
}
