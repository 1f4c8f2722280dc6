/**
 * A small POSIX-shell interpreter for simulated containers (DESIGN.md decision 5): enough of `sh -c`
 * for the scripts practice pods run — `;`, `&&`, `||`, `|`, `while`/`until`/`for`/`if`, quoting,
 * `$VAR`, `${VAR:-x}`, `$(…)`, `$((…))`, `>`/`>>`/`2>&1` — and the common utilities (echo, printf,
 * sleep, touch, rm, cat, date, test, …). Scripts run as generators that yield the milliseconds they
 * sleep, so the caller owns time (style.md §9.4).
 */

import { parseScript, type Cmd, type List, type Redir, type Script, type Word } from './shell-syntax.js';
import { FILE_UTILITIES, isDir, resolvePath } from './shell-utils.js';
import { NET_UTILITIES, type ShellNetwork } from './net-utils.js';

export { ShellSyntaxError, parseScript, type Script } from './shell-syntax.js';

/** The container output stream a line was written to. */
export type Stream = 'stdout' | 'stderr';
type Sink = (text: string) => void;

/** Container state the interpreter reads and changes. */
export interface ShellHost {
  /** Current virtual time in ms; the driver moves it forward after each yielded sleep. */
  now: number;
  write(stream: Stream, text: string): void;
  /**
   * Writes one whole line (`text` has no newline): a host that keeps lines can keep this very
   * string, which a server's shared start-up lines make the same object in every replica.
   */
  writeLine?(stream: Stream, text: string): void;
  files: Map<string, string>;
  dirs: Set<string>;
  env: Map<string, string>;
  /** `busybox` for busybox/alpine images, `gnu` otherwise; selects error wordings. */
  flavor: 'busybox' | 'gnu';
  /** Working directory (`/` when unset); cd changes it. */
  cwd?: string;
  /** Output goes to a terminal (exec -t): ls prints columns. */
  tty?: boolean;
  /** The shell reads commands from a terminal (exec -it sh): bash's errors carry no line number. */
  interactive?: boolean;
  /** The cluster network for wget and curl; without it no name resolves. */
  network?: ShellNetwork;
}

/** A running script yields sleeps in ms (Infinity = forever) and returns its exit status. */
export type ShellRun = Generator<number, number, void>;

/** Thrown by `exit`; carries the status. */
export class ShellExit {
  constructor(readonly code: number) {}
}

/**
 * A loop's first BUSY_LOOP_FREE_ITERATIONS iterations without a sleep cost no time; later ones cost
 * BUSY_LOOP_ITERATION_MS each, so `while true; do echo hi; done` stays bounded instead of spinning.
 */
export const BUSY_LOOP_FREE_ITERATIONS = 1000;
export const BUSY_LOOP_ITERATION_MS = 100;

/** Per-run interpreter state: the host, `$?`, positional parameters and how often it slept. */
export interface ShellCtx { host: ShellHost; status: number; argv0: string; params: string[]; sleeps: number }
/** The streams of one command: output sinks and all of its standard input. */
export interface ShellIo { out: Sink; err: Sink; stdin: string }
type Ctx = ShellCtx;
type Io = ShellIo;
class LoopSignal {
  constructor(readonly kind: 'break' | 'continue') {}
}

/**
 * Runs a parsed script (`$0` = argv0, `$1…` = params) until it ends, throwing ShellExit on `exit`.
 */
export function* runScript(script: Script, host: ShellHost, opts: { argv0?: string; params?: string[]; status?: number; stdin?: string } = {}): ShellRun {
  const ctx: Ctx = { host, status: opts.status ?? 0, argv0: opts.argv0 ?? 'sh', params: opts.params ?? [], sleeps: 0 };
  return yield* execList(script.list, ctx, { ...hostIo(host), stdin: opts.stdin ?? '' });
}

/** Runs one command line given as argv (no shell parsing), as a container entrypoint would. */
export function* runArgv(argv: string[], host: ShellHost, stdin = ''): ShellRun {
  const ctx: Ctx = { host, status: 0, argv0: 'sh', params: [], sleeps: 0 };
  return yield* runBuiltin(argv, ctx, { ...hostIo(host), stdin });
}

/** Whether runArgv knows the program named by argv[0]. */
export function isShellUtility(name: string): boolean {
  return Object.hasOwn(BUILTINS, name.replace(/^.*\//, ''));
}

const hostIo = (host: ShellHost): Io => ({ out: (s) => host.write('stdout', s), err: (s) => host.write('stderr', s), stdin: '' });

function* execList(list: List, ctx: Ctx, io: Io): ShellRun {
  for (const item of list) {
    let s = yield* execCmd(item.first, ctx, io);
    for (const r of item.rest) if (r.op === '&&' ? s === 0 : s !== 0) s = yield* execCmd(r.cmd, ctx, io);
    ctx.status = s;
  }
  return ctx.status;
}

function* execCmd(cmd: Cmd, ctx: Ctx, io: Io): ShellRun {
  switch (cmd.k) {
    case 'simple': return (ctx.status = yield* execSimple(cmd, ctx, io));
    case 'group': return yield* execList(cmd.body, ctx, io);
    case 'if':
      for (const b of cmd.branches) if ((yield* execList(b.cond, ctx, io)) === 0) return yield* execList(b.body, ctx, io);
      return cmd.otherwise ? yield* execList(cmd.otherwise, ctx, io) : 0;
    case 'pipe': {
      let stdin = io.stdin;
      let s = 0;
      for (const [i, c] of cmd.cmds.entries()) {
        let captured = '';
        const last = i === cmd.cmds.length - 1;
        s = yield* execCmd(c, ctx, { ...io, stdin, out: last ? io.out : (t) => void (captured += t) });
        stdin = captured;
      }
      return s;
    }
    case 'for': {
      const items: string[] = [];
      for (const w of cmd.items) items.push(...(yield* expandWord(w, ctx)));
      let s = 0;
      for (const item of items) {
        ctx.host.env.set(cmd.name, item);
        const r = yield* loopBody(cmd.body, ctx, io);
        s = r.status;
        if (r.broke) break;
      }
      return s;
    }
    case 'loop': {
      let s = 0;
      for (let free = BUSY_LOOP_FREE_ITERATIONS; ; free--) {
        const sleeps = ctx.sleeps;
        if (((yield* execList(cmd.cond, ctx, io)) === 0) === cmd.until) return s;
        const r = yield* loopBody(cmd.body, ctx, io);
        s = r.status;
        if (r.broke) return s;
        if (ctx.sleeps === sleeps && free <= 0) yield* sleep(BUSY_LOOP_ITERATION_MS, ctx);
      }
    }
  }
}

function* loopBody(body: List, ctx: Ctx, io: Io): Generator<number, { status: number; broke: boolean }, void> {
  try {
    return { status: yield* execList(body, ctx, io), broke: false };
  } catch (e) {
    if (!(e instanceof LoopSignal)) throw e;
    return { status: 0, broke: e.kind === 'break' };
  }
}

function* sleep(ms: number, ctx: Ctx): ShellRun {
  return (ctx.sleeps++, yield ms, 0);
}

function* execSimple(cmd: { words: Word[]; redirs: Redir[] }, ctx: Ctx, io: Io): ShellRun {
  const argv: string[] = [];
  for (const w of cmd.words) argv.push(...(yield* expandWord(w, ctx)));
  const fds: Record<number, Sink> = { 1: io.out, 2: io.err };
  let stdin = io.stdin;
  for (const r of cmd.redirs) {
    const target = (yield* expandWord(r.target, ctx)).join(' ');
    if (r.op === '>&') fds[r.fd] = fds[Number(target)] ?? fds[r.fd]!;
    else if (r.op === '<') stdin = ctx.host.files.get(resolvePath(target, ctx.host)) ?? '';
    else if (target === '/dev/null') fds[r.fd] = () => {};
    else fds[r.fd] = fileSink(ctx.host, resolvePath(target, ctx.host), r.op === '>>');
  }
  while (argv.length && /^[A-Za-z_]\w*=/.test(argv[0]!) && cmd.words[0]?.[0]?.q === false) {
    const a = argv.shift()!;
    ctx.host.env.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
  }
  if (argv.length === 0) return 0;
  return yield* runBuiltin(argv, ctx, { out: fds[1]!, err: fds[2]!, stdin });
}

function fileSink(host: ShellHost, path: string, append: boolean): Sink {
  if (!append || !host.files.has(path)) host.files.set(path, '');
  return (t) => void host.files.set(path, (host.files.get(path) ?? '') + t);
}

function* expandWord(word: Word, ctx: Ctx): Generator<number, string[], void> {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  for (const seg of word) {
    const v = seg.t === 'lit' ? seg.v : seg.t === 'var' ? lookupVar(seg.v, ctx) : seg.t === 'arith' ? String(arith(seg.v, ctx)) : yield* substitute(seg.v, ctx);
    if (seg.q || seg.t === 'lit') {
      cur += v;
      has ||= seg.q || v !== '';
      continue;
    }
    v.split(/[ \t\n]+/).forEach((piece, idx) => {
      if (idx > 0 && has) (fields.push(cur), (cur = ''), (has = false));
      if (piece) (cur += piece, (has = true));
    });
  }
  if (has) fields.push(cur);
  return fields;
}

function lookupVar(expr: string, ctx: Ctx): string {
  const m = /^([A-Za-z_]\w*|[0-9?$#@*])(:?[-=+])?(.*)$/s.exec(expr);
  if (!m) return '';
  const [, name, op, alt] = m as unknown as [string, string, string | undefined, string];
  const positional = /^\d$/.test(name) ? (name === '0' ? ctx.argv0 : ctx.params[Number(name) - 1]) : undefined;
  const special: Record<string, string> = { '?': String(ctx.status), $: '1', '#': String(ctx.params.length), '@': ctx.params.join(' '), '*': ctx.params.join(' ') };
  const value = positional ?? special[name] ?? ctx.host.env.get(name);
  const unset = value === undefined || (op?.startsWith(':') === true && value === '');
  if (op?.endsWith('-') || op?.endsWith('=')) {
    if (unset && op.endsWith('=')) ctx.host.env.set(name, alt);
    return unset ? alt : value!;
  }
  if (op?.endsWith('+')) return unset ? '' : alt;
  return value ?? '';
}

function* substitute(src: string, ctx: Ctx): Generator<number, string, void> {
  let captured = '';
  const io: Io = { out: (t) => void (captured += t), err: (t) => ctx.host.write('stderr', t), stdin: '' };
  try {
    yield* execList(parseScript(src).list, ctx, io);
  } catch (e) {
    if (e instanceof ShellExit) ctx.status = e.code;
    else throw e;
  }
  return captured.replace(/\n+$/, '');
}

/** Evaluates `$((…))`: integers, variables, + - * / % and comparisons, with C precedence. */
function arith(src: string, ctx: Ctx): number {
  const toks = src.match(/\d+|[A-Za-z_]\w*|\$\w+|<=|>=|==|!=|[-+*/%()<>]/g) ?? [];
  let i = 0;
  const levels = [['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];
  const atom = (): number => {
    const t = toks[i++] ?? '0';
    if (t === '(') return ((v) => (i++, v))(binary(0));
    if (t === '-') return -atom();
    if (/^\d/.test(t)) return Number(t);
    return Number.parseInt(ctx.host.env.get(t.replace(/^\$/, '')) ?? '0', 10) || 0;
  };
  const binary = (level: number): number => {
    if (level === levels.length) return atom();
    let v = binary(level + 1);
    while (levels[level]!.includes(toks[i] ?? '')) {
      const op = toks[i++]!;
      const r = binary(level + 1);
      const ops: Record<string, number> = { '+': v + r, '-': v - r, '*': v * r, '/': Math.trunc(v / (r || 1)), '%': v % (r || 1),
        '<': +(v < r), '>': +(v > r), '<=': +(v <= r), '>=': +(v >= r), '==': +(v === r), '!=': +(v !== r) };
      v = ops[op]!;
    }
    return v;
  };
  return binary(0);
}

type Builtin = (args: string[], ctx: Ctx, io: Io) => ShellRun;

function* runBuiltin(argv: string[], ctx: Ctx, io: Io): ShellRun {
  const name = argv[0]!.replace(/^.*\//, '');
  const fn = Object.hasOwn(BUILTINS, name) && FLAVOR_ONLY[name] !== OTHER_FLAVOR[ctx.host.flavor] ? BUILTINS[name] : undefined;
  if (fn) return yield* fn(argv.slice(1), ctx, io);
  const bash = ctx.argv0 === 'bash';
  io.err(ctx.host.flavor === 'busybox' ? `sh: ${argv[0]}: not found\n` : bash ? `bash: ${ctx.host.interactive ? '' : 'line 1: '}${argv[0]}: command not found\n` : `sh: 1: ${argv[0]}: not found\n`);
  return 127;
}

const ok = function* (): ShellRun { return 0; };

/** Utilities only one kind of image ships: busybox has wget, the Debian-based images curl. */
const FLAVOR_ONLY: Record<string, ShellHost['flavor']> = { wget: 'busybox', curl: 'gnu' };
const OTHER_FLAVOR: Record<ShellHost['flavor'], ShellHost['flavor']> = { busybox: 'gnu', gnu: 'busybox' };

/** Unescapes echo -e / printf backslash sequences. */
function unescape(s: string): string {
  return s.replace(/\\([nt\\])/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

function sleepMs(arg: string): number | undefined {
  if (arg === 'infinity' || arg === 'inf') return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg);
  if (!m) return undefined;
  return Number(m[1]) * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]!] ?? 1) * 1000;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Formats `now` as `date` does in a UTC container (default `%a %b %e %H:%M:%S %Z %Y`).
 * @example formatDate(Date.UTC(2026, 0, 5, 9, 3, 7)) // 'Mon Jan  5 09:03:07 UTC 2026'
 */
export function formatDate(now: number, format = '%a %b %e %H:%M:%S %Z %Y'): string {
  const d = new Date(now);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const f: Record<string, string> = {
    a: DAYS[d.getUTCDay()]!, b: MONTHS[d.getUTCMonth()]!, e: String(d.getUTCDate()).padStart(2, ' '), d: p2(d.getUTCDate()),
    m: p2(d.getUTCMonth() + 1), Y: String(d.getUTCFullYear()), H: p2(d.getUTCHours()), M: p2(d.getUTCMinutes()),
    S: p2(d.getUTCSeconds()), Z: 'UTC', s: String(Math.floor(now / 1000)), '%': '%',
  };
  f.T = `${f.H}:${f.M}:${f.S}`;
  f.F = `${f.Y}-${f.m}-${f.d}`;
  return format.replace(/%([a-zA-Z%])/g, (all, c: string) => f[c] ?? all);
}

function testExpr(args: string[], ctx: Ctx): boolean {
  const { files } = ctx.host;
  if (args[0] === '!') return !testExpr(args.slice(1), ctx);
  const [a = '', b = '', c = ''] = args;
  if (args.length === 1) return a !== '';
  if (args.length === 2) {
    const p = resolvePath(b, ctx.host);
    const dir = !files.has(p) && isDir(ctx.host, p);
    const unary: Record<string, boolean> = { '-z': b === '', '-n': b !== '', '-f': files.has(p), '-e': files.has(p) || dir,
      '-d': dir, '-s': (files.get(p) ?? '') !== '', '-r': files.has(p) || dir };
    return unary[a] ?? false;
  }
  const [x, y] = [Number(a), Number(c)];
  const binary: Record<string, boolean> = { '=': a === c, '==': a === c, '!=': a !== c, '-eq': x === y, '-ne': x !== y,
    '-lt': x < y, '-le': x <= y, '-gt': x > y, '-ge': x >= y };
  return binary[b] ?? false;
}

const BUILTINS: Record<string, Builtin> = {
  ...FILE_UTILITIES,
  ...NET_UTILITIES,
  true: ok, ':': ok, set: ok, trap: ok, wait: ok,
  false: function* () { return 1; },
  echo: function* (args, _ctx, io) {
    let newline = true, escapes = false;
    for (let flag = args[0]; flag !== undefined && /^-[ne]+$/.test(flag); flag = args[0]) {
      args.shift();
      if (flag.includes('n')) newline = false;
      if (flag.includes('e')) escapes = true;
    }
    const text = args.join(' ');
    io.out((escapes ? unescape(text) : text) + (newline ? '\n' : ''));
    return 0;
  },
  printf: function* ([fmt = '', ...rest], _ctx, io) {
    do {
      io.out(unescape(fmt).replace(/%([sd%])/g, (_, c: string) => (c === '%' ? '%' : c === 'd' ? String(Number.parseInt(rest.shift() ?? '0', 10) || 0) : (rest.shift() ?? ''))));
    } while (rest.length > 0 && /%[sd]/.test(fmt));
    return 0;
  },
  sleep: function* (args, ctx, io) {
    const ms = args.map(sleepMs);
    const bad = args.find((_, i) => ms[i] === undefined);
    if (args.length === 0 || bad !== undefined) {
      io.err(ctx.host.flavor === 'busybox' ? `sleep: invalid number '${bad ?? ''}'\n` : `sleep: invalid time interval '${bad ?? ''}'\n`);
      return 1;
    }
    return yield* sleep(ms.reduce((s: number, v) => s + (v ?? 0), 0), ctx);
  },
  exit: function* ([code], ctx, io) {
    if (code !== undefined && !/^\d+$/.test(code)) {
      io.err(`sh: exit: Illegal number: ${code}\n`);
      throw new ShellExit(2);
    }
    throw new ShellExit(code === undefined ? ctx.status : Number(code) & 255);
  },
  break: function* () { throw new LoopSignal('break'); }, continue: function* () { throw new LoopSignal('continue'); },
  exec: function* (args, ctx, io) {
    throw new ShellExit(args.length ? yield* runBuiltin(args, ctx, io) : 0);
  },
  date: function* (args, ctx, io) {
    return (io.out(`${formatDate(ctx.host.now, args.find((a) => a.startsWith('+'))?.slice(1))}\n`), 0);
  },
  env: function* (_args, ctx, io) { return (ctx.host.env.forEach((v, k) => io.out(`${k}=${v}\n`)), 0); },
  printenv: function* (args, ctx, io) {
    if (args.length === 0) return yield* BUILTINS.env!(args, ctx, io);
    const values = args.map((a) => ctx.host.env.get(a));
    for (const v of values) if (v !== undefined) io.out(`${v}\n`);
    return values.every((v) => v !== undefined) ? 0 : 1;
  },
  export: function* (args, ctx) {
    for (const a of args.filter((x) => x.includes('='))) ctx.host.env.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    return 0;
  },
  seq: function* (args, _ctx, io) {
    const [first, last] = args.length >= 2 ? [Number(args[0]), Number(args[args.length - 1])] : [1, Number(args[0] ?? 0)];
    for (let n = first; n <= last; n++) io.out(`${n}\n`);
    return 0;
  },
  hostname: function* (_args, ctx, io) {
    return (io.out(`${ctx.host.env.get('HOSTNAME') ?? 'localhost'}\n`), 0);
  },
  test: function* (args, ctx) { return testExpr(args, ctx) ? 0 : 1; },
  '[': function* (args, ctx, io) {
    return args[args.length - 1] !== ']' ? (io.err('sh: missing ]\n'), 2) : testExpr(args.slice(0, -1), ctx) ? 0 : 1;
  },
};
