/**
 * Pod IPs of one node from its podCIDR, handed out like the CNI host-local IPAM plugin that
 * flannel uses: the gateway (.1) is the bridge, pods get addresses after the last one allocated,
 * wrapping around, so a freed address is not reused at once.
 */

/** Thrown when every address of the range is in use. */
export class RangeFullError extends Error {
  override name = 'RangeFullError';
}

function parseIPv4(ip: string): number {
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** Allocates addresses of one IPv4 CIDR, deterministically. */
export class IpAllocator {
  private readonly first: number;
  private readonly last: number;
  private readonly used = new Set<number>();
  private lastAllocated: number;

  /** @example new IpAllocator('10.244.1.0/24').allocate() // '10.244.1.2' */
  constructor(cidr: string) {
    const [base = '0.0.0.0', bits = '24'] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    const network = parseIPv4(base) - (parseIPv4(base) % size);
    // Skip the network address and the gateway; the broadcast address is never a pod's.
    this.first = network + 2;
    this.last = network + size - 2;
    this.lastAllocated = this.first - 1;
  }

  /** The next free address after the last one handed out. @throws {RangeFullError} */
  allocate(): string {
    const span = this.last - this.first + 1;
    for (let i = 1; i <= span; i++) {
      const candidate = this.first + ((this.lastAllocated - this.first + i) % span + span) % span;
      if (this.used.has(candidate)) continue;
      this.used.add(candidate);
      this.lastAllocated = candidate;
      return formatIPv4(candidate);
    }
    throw new RangeFullError('no IP addresses available in range set');
  }

  /** Marks an address as in use (a pod adopted after a restart). */
  reserve(ip: string): void {
    const n = parseIPv4(ip);
    if (n >= this.first && n <= this.last) this.used.add(n);
  }

  /** Returns an address to the pool. */
  release(ip: string): void {
    this.used.delete(parseIPv4(ip));
  }
}
