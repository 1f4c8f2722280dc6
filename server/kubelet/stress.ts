/**
 * The `stress` tool of the polinux/stress image, as the Kubernetes memory-limit tutorial uses it
 * (`stress --vm 1 --vm-bytes 250M --vm-hang 1`). It is the one simulated program with a memory
 * footprint: when its workers allocate more than the container's memory limit, the kernel's OOM
 * killer ends the container (exit 137) and the kubelet reports OOMKilled.
 */
import { parseQuantity } from '../../schemas/format/quantity.js';
import type { ShellHost, ShellRun } from './shell.js';

/** How long the workers take to touch their memory before the OOM killer can see it. */
const ALLOCATE_MS = 100;
/** Resident memory of the stress parent process itself. */
const BASE_BYTES = 1 << 20;

/** What the program needs from its container: the memory limit in bytes, if any. */
export interface StressLimits {
  memoryLimitBytes?: number;
}

/** Runs `stress` with its arguments; sets host.oomKilled when the limit is exceeded. */
export function* stressProgram(argv: string[], host: ShellHost & { oomKilled?: boolean }, limits: StressLimits): ShellRun {
  if (argv.includes('--help') || argv.includes('-?')) {
    host.write('stdout', "`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n");
    return 0;
  }
  const opts = parseStressArgs(argv.slice(1));
  if (!opts) {
    host.write('stderr', "stress: FAIL: [1] (244) unrecognized option\n");
    return 1;
  }
  host.write('stdout', `stress: info: [1] dispatching hogs: ${opts.cpu} cpu, ${opts.io} io, ${opts.vm} vm, ${opts.hdd} hdd\n`);
  const used = BASE_BYTES + opts.vm * opts.vmBytes;
  if (limits.memoryLimitBytes !== undefined && used > limits.memoryLimitBytes) {
    yield ALLOCATE_MS;
    host.oomKilled = true;
    return 137; // 128 + SIGKILL, from the OOM killer
  }
  if (opts.timeoutS === undefined) {
    yield Infinity;
    return 0;
  }
  yield opts.timeoutS * 1000;
  host.write('stdout', `stress: info: [1] successful run completed in ${opts.timeoutS}s\n`);
  return 0;
}

interface StressOptions {
  cpu: number;
  io: number;
  vm: number;
  hdd: number;
  vmBytes: number;
  timeoutS?: number;
}

/** stress's options: -c/--cpu, -i/--io, -m/--vm, -d/--hdd counts, --vm-bytes B (default 256M), -t/--timeout N[s]. */
function parseStressArgs(args: string[]): StressOptions | undefined {
  const o: StressOptions = { cpu: 0, io: 0, vm: 0, hdd: 0, vmBytes: 256 * 1024 * 1024 };
  const counts: Record<string, 'cpu' | 'io' | 'vm' | 'hdd'> = { '-c': 'cpu', '--cpu': 'cpu', '-i': 'io', '--io': 'io', '-m': 'vm', '--vm': 'vm', '-d': 'hdd', '--hdd': 'hdd' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = args[i + 1];
    if (counts[a]) {
      if (value === undefined || !/^\d+$/.test(value)) return undefined;
      o[counts[a]] = Number(value);
      i++;
    } else if (a === '--vm-bytes') {
      const bytes = value === undefined ? undefined : stressBytes(value);
      if (bytes === undefined) return undefined;
      o.vmBytes = bytes;
      i++;
    } else if (a === '-t' || a === '--timeout') {
      if (value === undefined || !/^\d+s?$/.test(value)) return undefined;
      o.timeoutS = parseInt(value, 10);
      i++;
    } else if (a === '--vm-hang' || a === '--vm-stride' || a === '--hdd-bytes' || a === '--backoff') {
      i++;
    } else if (a !== '-v' && a !== '--verbose' && a !== '-q' && a !== '--quiet' && a !== '--vm-keep') {
      return undefined;
    }
  }
  return o;
}

/** stress sizes: a number with an optional B/K/M/G suffix, powers of 1024. */
function stressBytes(s: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(s);
  if (!m) return undefined;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * unit;
}

/** The container's memory limit in bytes, from resources.limits.memory. */
export function memoryLimitBytes(resources: { limits?: Record<string, string | number> } | undefined): number | undefined {
  const v = resources?.limits?.['memory'];
  return v === undefined ? undefined : parseQuantity(v);
}
