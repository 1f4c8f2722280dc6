/**
 * The one virtual clock of the daemon. Every "now" and every timer in server/ goes through a Clock,
 * so `--speed N` runs the whole cluster N times faster and tests can freeze and advance time.
 */
export interface Clock {
  /** Milliseconds since the epoch, in virtual time. */
  now(): number;
  /** Runs fn after `ms` of virtual time; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

/** Formats a clock reading the way Kubernetes writes metav1.Time: RFC 3339 in UTC, whole seconds. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Formats a clock reading as metav1.MicroTime (RFC 3339 with microseconds). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Real time, optionally sped up: virtual time starts at the wall clock and advances `speed` times
 * faster. The wall clock is read here and nowhere else in server/.
 */
export class RealClock implements Clock {
  private readonly startWall = Date.now();
  private readonly startVirtual: number;

  /**
   * `resumeAt` is where a previous run's virtual time stopped: a sped-up clock ran ahead of the
   * wall clock, and starting behind it would stamp new objects earlier than old ones.
   */
  constructor(private readonly speed = 1, resumeAt?: number) {
    if (!(speed > 0)) throw new RangeError(`Cannot create a clock as 'speed' must be positive: current value is ${speed}`);
    this.startVirtual = Math.max(this.startWall, resumeAt ?? 0);
  }

  now(): number {
    return this.startVirtual + (Date.now() - this.startWall) * this.speed;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const t = setTimeout(fn, Math.max(0, ms / this.speed));
    t.unref?.();
    return () => clearTimeout(t);
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that stands still until a test calls advance(); timers fire in due order. */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer: PendingTimer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves time forward by ms, firing every timer that falls due, earliest first. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = next.at;
      next.fn();
    }
    this.current = target;
  }
}
