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
 * A clock that can be steered at run time (`kd clock`, snapshot restore): its speed changed, paused
 * and resumed, moved forward with every timer due in the skipped span firing in order, or set to a
 * saved reading.
 */
export interface ClockControl extends Clock {
  readonly speed: number;
  readonly paused: boolean;
  setSpeed(speed: number): void;
  setPaused(paused: boolean): void;
  /**
   * Moves virtual time forward by `ms`, firing the due timers earliest first and letting the event
   * loop run after each instant, so the work a timer starts (writes, watch deliveries, controller
   * syncs) happens at that instant before time moves on.
   */
  advanceBy(ms: number): Promise<void>;
  /** Sets the reading (a snapshot's); pending timers keep the delay they had left. */
  setTime(ms: number): void;
}

/** Whether a clock can be steered (RealClock and FakeClock both can). */
export function isClockControl(clock: Clock): clock is ClockControl {
  return typeof (clock as Partial<ClockControl>).advanceBy === 'function';
}

/** Event-loop turns given to the work a timer started before the clock moves on during advanceBy. */
const ADVANCE_SETTLE_TURNS = 20;

/** Lets queued work run: each turn is one setImmediate round, after which pending I/O callbacks ran too. */
async function settleTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** A min-heap of timers by due time, then by creation order; cancelled entries are skipped lazily. */
class TimerHeap {
  private items: PendingTimer[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** The sequence number the next timer will get. */
  get nextSeq(): number {
    return this.seq;
  }

  push(at: number, fn: () => void): PendingTimer {
    const t: PendingTimer = { at, seq: this.seq++, fn };
    this.items.push(t);
    this.up(this.items.length - 1);
    return t;
  }

  /** The earliest live timer, dropping cancelled ones on the way. */
  peek(): PendingTimer | undefined {
    while (this.items.length > 0 && this.items[0]!.cancelled) this.pop();
    return this.items[0];
  }

  pop(): PendingTimer | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top && last && top !== last) {
      this.items[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Shifts every pending timer by `deltaMs` (order is unchanged). */
  shift(deltaMs: number): void {
    for (const t of this.items) t.at += deltaMs;
  }

  private less(a: PendingTimer, b: PendingTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  private down(i: number): void {
    const items = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.less(items[l]!, items[m]!)) m = l;
      if (r < items.length && this.less(items[r]!, items[m]!)) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m]!, items[i]!];
      i = m;
    }
  }
}

/**
 * Real time, optionally sped up: virtual time starts at the wall clock and advances `speed` times
 * faster. The wall clock is read here and nowhere else in server/. Timers live in one queue of
 * virtual due times with a single host timer armed for the earliest, so a speed change, a pause
 * or an advance re-plans them all at once.
 */
export class RealClock implements ClockControl {
  private anchorWall = Date.now();
  private anchorVirtual: number;
  private currentSpeed: number;
  private isPaused = false;
  /** While advanceBy runs, time stands at the instant being fired and no host timer is armed. */
  private advancing = false;
  private advanceChain: Promise<void> = Promise.resolve();
  private readonly timers = new TimerHeap();
  private host: { cancel: () => void } | undefined;

  /**
   * `resumeAt` is where a previous run's virtual time stopped: a sped-up clock ran ahead of the
   * wall clock, and starting behind it would stamp new objects earlier than old ones.
   */
  constructor(speed = 1, resumeAt?: number) {
    assertSpeed(speed);
    this.currentSpeed = speed;
    this.anchorVirtual = Math.max(this.anchorWall, resumeAt ?? 0);
  }

  now(): number {
    if (this.isPaused || this.advancing) return this.anchorVirtual;
    return this.anchorVirtual + (Date.now() - this.anchorWall) * this.currentSpeed;
  }

  get speed(): number {
    return this.currentSpeed;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = this.timers.push(this.now() + Math.max(0, ms), fn);
    if (this.timers.peek() === timer) this.arm();
    return () => {
      timer.cancelled = true;
    };
  }

  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.reanchor(this.now());
    this.currentSpeed = speed;
    this.arm();
  }

  setPaused(paused: boolean): void {
    this.reanchor(this.now());
    this.isPaused = paused;
    this.arm();
  }

  setTime(ms: number): void {
    this.timers.shift(ms - this.now());
    this.reanchor(ms);
    this.arm();
  }

  advanceBy(ms: number): Promise<void> {
    // Advances queue behind each other: the second starts where the first ended.
    const run = this.advanceChain.then(() => this.runAdvance(ms));
    this.advanceChain = run.catch(() => undefined);
    return run;
  }

  private async runAdvance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`Cannot advance the clock as 'ms' must be a non-negative number: current value is ${ms}`);
    const target = this.now() + ms;
    this.reanchor(this.now());
    this.advancing = true;
    this.disarm();
    try {
      for (let next = this.timers.peek(); next && next.at <= target; next = this.timers.peek()) {
        this.anchorVirtual = Math.max(this.anchorVirtual, next.at);
        this.fireDue();
        await settleTurns(ADVANCE_SETTLE_TURNS);
      }
    } finally {
      this.anchorVirtual = Math.max(this.anchorVirtual, target);
      this.anchorWall = Date.now();
      this.advancing = false;
      this.arm();
    }
  }

  private reanchor(virtual: number): void {
    this.anchorVirtual = virtual;
    this.anchorWall = Date.now();
  }

  /**
   * Fires the timers due at the earliest due instant, in creation order. One instant per host
   * callback: the next instant's timers run after the work these started (watch deliveries are
   * setImmediate callbacks), as they would have had the host not fallen behind. Timers set while
   * firing wait for the next callback too, as setTimeout(fn, 0) would, so a chain of zero-delay
   * timers cannot starve I/O.
   */
  private fireDue(): void {
    const first = this.timers.peek();
    if (!first || first.at > this.now()) return;
    const at = first.at;
    const before = this.timers.nextSeq;
    for (let t = this.timers.peek(); t && t.at <= at && t.seq < before; t = this.timers.peek()) {
      this.timers.pop();
      t.fn();
    }
  }

  private disarm(): void {
    this.host?.cancel();
    this.host = undefined;
  }

  /** Arms one host timer for the earliest pending timer (none while paused, unless one is due now). */
  private arm(): void {
    this.disarm();
    if (this.advancing) return;
    const next = this.timers.peek();
    if (!next) return;
    const wait = next.at - this.now();
    if (this.isPaused && wait > 0) return;
    const fire = (): void => {
      this.host = undefined;
      try {
        this.fireDue();
      } finally {
        this.arm();
      }
    };
    if (wait <= 0) {
      const im = setImmediate(fire);
      im.unref?.();
      this.host = { cancel: () => clearImmediate(im) };
      return;
    }
    // A host timer is at most ~24.8 days; a longer wait re-arms when it fires.
    const t = setTimeout(fire, Math.min(wait / this.currentSpeed, 2 ** 31 - 1));
    t.unref?.();
    this.host = { cancel: () => clearTimeout(t) };
  }
}

function assertSpeed(speed: number): void {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`Cannot create a clock as 'speed' must be positive: current value is ${speed}`);
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled?: boolean;
}

/**
 * A clock that stands still until a test calls advance(); timers fire in due order. As a
 * ClockControl it reports the speed it was given and stays paused whatever it is told: only
 * advance() and advanceBy() move it.
 */
export class FakeClock implements ClockControl {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];
  private nominalSpeed = 1;

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

  get speed(): number {
    return this.nominalSpeed;
  }

  get paused(): boolean {
    return true;
  }

  setSpeed(speed: number): void {
    assertSpeed(speed);
    this.nominalSpeed = speed;
  }

  setPaused(): void {}

  /** advance() in steps from one due timer to the next, letting the event loop run after each. */
  async advanceBy(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.advance(next.at - this.current);
      await settleTurns(ADVANCE_SETTLE_TURNS);
    }
    this.current = target;
  }

  setTime(ms: number): void {
    for (const t of this.timers) t.at += ms - this.current;
    this.current = ms;
  }
}
