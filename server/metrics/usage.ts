/**
 * The simulated resource usage of a running container, as cAdvisor would measure it: CPU in
 * nanocores and working-set memory in bytes, derived from what the container runs. Idle servers
 * sit near zero CPU with a few MiB resident; `sleep`-style programs use nothing; busy loops and
 * `stress` workers take whole cores, capped by the CPU limit; `stress --vm-bytes` holds its bytes.
 *
 * Usage is a pure function of the container spec (no clock, no random state): the same pod always
 * reports the same numbers, which keeps `kubectl top` output and HPA decisions reproducible. A small
 * per-container variation comes from a hash of the pod and container names, so replicas differ the
 * way real ones do without changing what `kubectl top` rounds to.
 */
import type { Container } from 'kubernetes-types/core/v1.js';
import { cpuMillicores, parseQuantity } from '../../schemas/format/quantity.js';
import { lookupImage } from '../kubelet/images.js';

/** One container's (or node's) usage. */
export interface Usage {
  cpuNanocores: number;
  memoryBytes: number;
}

const NANO_PER_MILLI = 1_000_000;
/** One MiB in bytes. */
export const MI_BYTES = 1024 * 1024;
const PAGE_BYTES = 4096;
/** How far a container's CPU may sit above its profile, in nanocores (stays inside one millicore). */
const CPU_VARIATION_NANO = 400_000;
/** How far its memory may sit above its profile (stays inside one MiB, so `top` shows the profile). */
const MEMORY_VARIATION_BYTES = 512 * 1024;
/** Resident memory of the stress parent process (stress.ts counts the same). */
const STRESS_BASE_BYTES = MI_BYTES;
const STRESS_DEFAULT_VM_BYTES = 256 * MI_BYTES;

/** A program's steady usage: CPU in millicores (may be fractional), memory in MiB. */
interface Profile {
  cpuM: number;
  memMi: number;
}

/** Idle servers, by executable name (the SERVERS of kubelet/programs.ts). */
const SERVER_PROFILES: Record<string, Profile> = {
  nginx: { cpuM: 0.2, memMi: 7 },
  'nginx-debug': { cpuM: 0.2, memMi: 7 },
  httpd: { cpuM: 0.6, memMi: 11 },
  'httpd-foreground': { cpuM: 0.6, memMi: 11 },
  'redis-server': { cpuM: 2.1, memMi: 3 },
  memcached: { cpuM: 0.3, memMi: 2 },
  postgres: { cpuM: 1.4, memMi: 27 },
  mysqld: { cpuM: 4.2, memMi: 381 },
  pause: { cpuM: 0, memMi: 0.2 },
  agnhost: { cpuM: 0.5, memMi: 8 },
  'echo-server': { cpuM: 0.3, memMi: 3 },
  python: { cpuM: 0, memMi: 9 },
  python3: { cpuM: 0, memMi: 9 },
  node: { cpuM: 0, memMi: 38 },
  // kubeadm's kube-system, at the levels an idle three-node cluster shows in `kubectl top pods -A`.
  'kube-apiserver': { cpuM: 35, memMi: 260 },
  etcd: { cpuM: 18, memMi: 45 },
  'kube-controller-manager': { cpuM: 12, memMi: 50 },
  'kube-scheduler': { cpuM: 3, memMi: 22 },
  'kube-proxy': { cpuM: 1, memMi: 18 },
  coredns: { cpuM: 2, memMi: 14 },
};

/** A shell or utility that mostly waits (sleep, tail -f, a loop with sleep). */
const IDLE: Profile = { cpuM: 0, memMi: 0.4 };
/** One process spinning on a core. */
const BUSY: Profile = { cpuM: 1000, memMi: 0.4 };

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
const ENTRYPOINT_WRAPPERS = new Set(['docker-entrypoint.sh']);
const BUSY_UTILITIES = new Set(['yes']);

function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

/** The argv the container runs: command replaces ENTRYPOINT, args replace CMD (as the kubelet does). */
export function containerArgv(c: Pick<Container, 'image' | 'command' | 'args'>): string[] {
  const image = c.image ? lookupImage(c.image)?.image : undefined;
  const entrypoint = c.command ?? image?.entrypoint ?? [];
  let argv = [...entrypoint, ...(c.args ?? (c.command ? [] : (image?.cmd ?? [])))];
  if (argv.length > 0 && ENTRYPOINT_WRAPPERS.has(basename(argv[0]!))) {
    argv = argv.length === 1 || argv[1]!.startsWith('-') ? [...(image?.cmd ?? []), ...argv.slice(1)] : argv.slice(1);
  }
  return argv;
}

// A `while true`-style loop whose body never sleeps, or a utility that spins (yes, dd from /dev/zero,
// hashing /dev/zero): each keeps one core busy.
function isBusyScript(script: string): boolean {
  const endless = /\bwhile\s+(true|:|\[\s*1\s*\]|\[\s*true\s*\])\s*;?\s*do\b/.test(script) || /\bfor\s*\(\(\s*;\s*;\s*\)\)/.test(script);
  if (endless && !/\bsleep\b/.test(script)) return true;
  return /\byes\b[^|;&]*>\s*\/dev\/null/.test(script) || /\bdd\s+if=\/dev\/(zero|urandom)/.test(script) || /\b(md5sum|sha\d*sum)\s+\/dev\/(zero|urandom)/.test(script);
}

/** stress's load: one core per --cpu worker and per --vm worker (unless they hang), --vm-bytes each. */
function stressProfile(args: string[]): Profile {
  let cpu = 0;
  let vm = 0;
  let vmBytes = STRESS_DEFAULT_VM_BYTES;
  const hang = args.includes('--vm-hang');
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const n = Number(args[i + 1]);
    if (a === '-c' || a === '--cpu') cpu = n || 0;
    else if (a === '-m' || a === '--vm') vm = n || 0;
    else if (a === '--vm-bytes') vmBytes = stressBytes(args[i + 1] ?? '') ?? vmBytes;
  }
  const cores = cpu + (hang ? 0 : vm);
  return { cpuM: cores * 1000, memMi: (STRESS_BASE_BYTES + vm * vmBytes) / MI_BYTES };
}

function stressBytes(s: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, b: 1, k: 1024, m: MI_BYTES, g: 1024 * MI_BYTES }[m[2]!.toLowerCase()] ?? 1);
}

/** The steady profile of what a container runs. */
function profileOf(c: Pick<Container, 'image' | 'command' | 'args'>): Profile {
  const argv = containerArgv(c);
  if (argv.length === 0) return IDLE;
  const name = basename(argv[0]!);
  if (name === 'stress') return stressProfile(argv.slice(1));
  if (SHELLS.has(name)) {
    const i = argv.indexOf('-c');
    return i >= 0 && isBusyScript(argv[i + 1] ?? '') ? BUSY : IDLE;
  }
  if (BUSY_UTILITIES.has(name)) return BUSY;
  return SERVER_PROFILES[name] ?? IDLE;
}

/** FNV-1a over a string, as a fraction in [0, 1): a stable per-container (or per-node) variation. */
export function variation(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 0x1_0000_0000;
}

/**
 * The usage of a running container of pod `podKey` (`namespace/name`): its program's profile plus
 * a stable variation, CPU capped by `limits.cpu` and memory by `limits.memory`.
 * @example containerUsage('default/web-1', { name: 'nginx', image: 'nginx:1.27' }) // { cpuNanocores: ~200000-600000, memoryBytes: ~7Mi }
 */
export function containerUsage(podKey: string, c: Container): Usage {
  const p = profileOf(c);
  const v = variation(`${podKey}/${c.name}`);
  let cpu = p.cpuM === 0 ? 0 : Math.round(p.cpuM * NANO_PER_MILLI + v * CPU_VARIATION_NANO);
  let memory = Math.ceil((p.memMi * MI_BYTES + v * MEMORY_VARIATION_BYTES) / PAGE_BYTES) * PAGE_BYTES;
  const limits = c.resources?.limits;
  if (limits?.cpu !== undefined) cpu = Math.min(cpu, cpuMillicores(limits.cpu) * NANO_PER_MILLI);
  if (limits?.memory !== undefined) memory = Math.min(memory, parseQuantity(limits.memory));
  return { cpuNanocores: cpu, memoryBytes: memory };
}

/** Millicores (possibly fractional) in whole nanocores. */
export function milliToNano(milli: number): number {
  return Math.round(milli * NANO_PER_MILLI);
}
