/**
 * File and text utilities of the simulated shell (shell.ts): paths relative to the working
 * directory, ls, cd/pwd, cat/head/tail, grep, wc, touch/mkdir/rm, whoami/id/uname. Wordings follow
 * busybox for busybox/alpine images and GNU coreutils otherwise. Everything works on the container's
 * in-memory file tree; nothing reaches the host.
 */
import type { ShellCtx, ShellHost, ShellIo, ShellRun } from './shell.js';

/** A utility: arguments (without argv[0]), interpreter state, streams → exit status. */
export type Utility = (args: string[], ctx: ShellCtx, io: ShellIo) => ShellRun;

/** The kernel the simulated nodes report (also in nginx's start-up log). */
const KERNEL_RELEASE = '6.8.0-51-generic';
const TERMINAL_WIDTH = 80;

/**
 * An absolute, normalised path: relative paths start at the working directory; `.` and `..` resolve.
 * @example resolvePath('../etc/./hosts', { cwd: '/tmp' }) // '/etc/hosts'
 */
export function resolvePath(p: string, host: Pick<ShellHost, 'cwd'>): string {
  const full = p.startsWith('/') ? p : `${host.cwd ?? '/'}/${p}`;
  const out: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** Whether `path` is a directory: declared, or the parent of some file. */
export function isDir(host: ShellHost, path: string): boolean {
  if (path === '/' || host.dirs.has(path)) return true;
  for (const f of host.files.keys()) if (f.startsWith(`${path}/`)) return true;
  for (const d of host.dirs) if (d.startsWith(`${path}/`)) return true;
  return false;
}

/** Names directly inside a directory. */
function children(host: ShellHost, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const names = new Set<string>();
  for (const p of [...host.files.keys(), ...host.dirs]) {
    if (!p.startsWith(prefix) || p === dir) continue;
    const name = p.slice(prefix.length).split('/')[0];
    if (name) names.add(name);
  }
  return [...names].sort();
}

const busybox = (ctx: ShellCtx): boolean => ctx.host.flavor === 'busybox';

function flags(args: string[]): { opts: Set<string>; rest: string[] } {
  const opts = new Set<string>();
  const rest: string[] = [];
  for (const a of args) {
    if (/^-[A-Za-z0-9]+$/.test(a) && rest.length === 0) for (const c of a.slice(1)) opts.add(c);
    else rest.push(a);
  }
  return { opts, rest };
}

/** `ls -l` line of one entry; sizes and times are those of the simulated file. */
function longLine(ctx: ShellCtx, name: string, path: string, width: number): string {
  const dir = isDir(ctx.host, path) && !ctx.host.files.has(path);
  const size = dir ? 4096 : Buffer.byteLength(ctx.host.files.get(path) ?? '');
  const mode = dir ? 'drwxr-xr-x' : '-rw-r--r--';
  const when = new Date(ctx.host.now);
  const month = when.toUTCString().slice(8, 11);
  const stamp = `${month} ${String(when.getUTCDate()).padStart(2, ' ')} ${String(when.getUTCHours()).padStart(2, '0')}:${String(when.getUTCMinutes()).padStart(2, '0')}`;
  if (busybox(ctx)) return `${mode}    ${dir ? 2 : 1} root     root    ${String(size).padStart(10, ' ')} ${stamp} ${name}\n`;
  return `${mode} ${dir ? 2 : 1} root root ${String(size).padStart(width, ' ')} ${stamp} ${name}\n`;
}

/** Names in columns as ls prints them to a terminal (column-major). */
function columns(names: string[]): string {
  if (names.length === 0) return '';
  const colWidth = Math.max(...names.map((n) => n.length)) + 2;
  const ncols = Math.max(1, Math.floor(TERMINAL_WIDTH / colWidth));
  const nrows = Math.ceil(names.length / ncols);
  const lines: string[] = [];
  for (let r = 0; r < nrows; r++) {
    const row: string[] = [];
    for (let c = 0; c < ncols; c++) {
      const n = names[c * nrows + r];
      if (n !== undefined) row.push(n);
    }
    lines.push(row.map((n, i) => (i < row.length - 1 ? n.padEnd(colWidth) : n)).join(''));
  }
  return `${lines.join('\n')}\n`;
}

function* ls(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { opts, rest } = flags(args);
  const targets = rest.length ? rest : ['.'];
  let status = 0;
  targets.forEach((t, i) => {
    const path = resolvePath(t, ctx.host);
    const file = ctx.host.files.has(path);
    if (!file && !isDir(ctx.host, path)) {
      io.err(busybox(ctx) ? `ls: ${t}: No such file or directory\n` : `ls: cannot access '${t}': No such file or directory\n`);
      status = busybox(ctx) ? 1 : 2;
      return;
    }
    let entries: Array<[string, string]> = file || opts.has('d') ? [[t, path]] : children(ctx.host, path).map((n) => [n, path === '/' ? `/${n}` : `${path}/${n}`]);
    if (!opts.has('a') && !file) entries = entries.filter(([n]) => !n.startsWith('.') || opts.has('d'));
    if (opts.has('a') && !file && !opts.has('d')) entries = [['.', path], ['..', resolvePath(`${path}/..`, ctx.host)], ...entries];
    if (targets.length > 1 && !file) io.out(`${i > 0 ? '\n' : ''}${t}:\n`);
    if (opts.has('l')) {
      const width = Math.max(1, ...entries.map(([, p]) => String(ctx.host.files.has(p) ? Buffer.byteLength(ctx.host.files.get(p)!) : 4096).length));
      if (!file && !opts.has('d')) io.out(`total ${entries.filter(([n]) => n !== '.' && n !== '..').length * 4}\n`);
      for (const [n, p] of entries) io.out(longLine(ctx, n, p, width));
    } else if (ctx.host.tty && !opts.has('1')) io.out(columns(entries.map(([n]) => n)));
    else for (const [n] of entries) io.out(`${n}\n`);
  });
  return status;
}

function* cd([target]: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const dest = target === undefined || target === '~' ? (ctx.host.env.get('HOME') ?? '/') : target === '-' ? (ctx.host.env.get('OLDPWD') ?? '/') : target;
  const path = resolvePath(dest, ctx.host);
  if (!isDir(ctx.host, path) || ctx.host.files.has(path)) {
    const why = ctx.host.files.has(path) ? 'Not a directory' : 'No such file or directory';
    io.err(busybox(ctx) ? `sh: cd: can't cd to ${dest}: ${why}\n` : ctx.argv0 === 'bash' ? `bash: cd: ${dest}: ${why}\n` : `sh: 1: cd: can't cd to ${dest}\n`);
    return busybox(ctx) || ctx.argv0 !== 'bash' ? 2 : 1;
  }
  ctx.host.env.set('OLDPWD', ctx.host.cwd ?? '/');
  ctx.host.cwd = path;
  ctx.host.env.set('PWD', path);
  return 0;
}

function readInputs(files: string[], ctx: ShellCtx, io: ShellIo, tool: string): { texts: Array<[string, string]>; status: number } {
  if (files.length === 0) return { texts: [['', io.stdin]], status: 0 };
  const texts: Array<[string, string]> = [];
  let status = 0;
  for (const f of files) {
    const content = f === '-' ? io.stdin : ctx.host.files.get(resolvePath(f, ctx.host));
    if (content !== undefined) texts.push([f, content]);
    else if (isDir(ctx.host, resolvePath(f, ctx.host))) (status = 1, io.err(busybox(ctx) ? `${tool}: read error: Is a directory\n` : `${tool}: ${f}: Is a directory\n`));
    else (status = 1, io.err(busybox(ctx) ? `${tool}: can't open '${f}': No such file or directory\n` : `${tool}: ${f}: No such file or directory\n`));
  }
  return { texts, status };
}

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

function lineCount(args: string[]): { n: number; rest: string[] } {
  const rest: string[] = [];
  let n = 10;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-n') n = Number(args[++i] ?? 10);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (!a.startsWith('-') || a === '-') rest.push(a);
  }
  return { n, rest };
}

function* headTail(which: 'head' | 'tail', args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  if (which === 'tail' && (args.includes('-f') || args.includes('-F'))) {
    ctx.sleeps++;
    yield Infinity;
    return 0;
  }
  const { n, rest } = lineCount(args);
  const { texts, status } = readInputs(rest, ctx, io, which);
  texts.forEach(([name, text], i) => {
    if (texts.length > 1) io.out(`${i > 0 ? '\n' : ''}==> ${name} <==\n`);
    const lines = splitLines(text);
    const pick = which === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n));
    if (pick.length) io.out(`${pick.join('\n')}\n`);
  });
  return status;
}

function* grep(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { opts, rest } = flags(args);
  const [pattern, ...files] = rest;
  if (pattern === undefined) {
    io.err(busybox(ctx) ? 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n' : "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  const source = opts.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : opts.has('E') ? pattern : pattern.replace(/\\([|+?(){}])/g, '$1');
  const re = new RegExp(source, opts.has('i') ? 'i' : '');
  const { texts, status } = readInputs(files, ctx, io, 'grep');
  let matched = 0;
  for (const [name, text] of texts) {
    let count = 0;
    splitLines(text).forEach((line, i) => {
      if (re.test(line) === opts.has('v')) return;
      count++;
      if (opts.has('q') || opts.has('c') || opts.has('l')) return;
      io.out(`${texts.length > 1 ? `${name}:` : ''}${opts.has('n') ? `${i + 1}:` : ''}${line}\n`);
    });
    matched += count;
    if (opts.has('c')) io.out(`${texts.length > 1 ? `${name}:` : ''}${count}\n`);
    if (opts.has('l') && count > 0) io.out(`${name || '(standard input)'}\n`);
  }
  return status !== 0 && !opts.has('s') ? 2 : matched > 0 ? 0 : 1;
}

function* wc(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { opts, rest } = flags(args);
  const which = opts.size ? ['l', 'w', 'c'].filter((o) => opts.has(o)) : ['l', 'w', 'c'];
  const { texts, status } = readInputs(rest, ctx, io, 'wc');
  for (const [name, text] of texts) {
    const counts: Record<string, number> = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: Buffer.byteLength(text) };
    const nums = which.map((k) => counts[k]!);
    const body = nums.length === 1 ? String(nums[0]) : nums.map((v) => String(v).padStart(7)).join(' ');
    io.out(`${body}${name ? ` ${name}` : ''}\n`);
  }
  return status;
}

function* touch(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  let status = 0;
  for (const f of args.filter((a) => !a.startsWith('-'))) {
    const path = resolvePath(f, ctx.host);
    const parent = resolvePath(`${path}/..`, ctx.host);
    if (!isDir(ctx.host, parent)) {
      io.err(busybox(ctx) ? `touch: ${f}: No such file or directory\n` : `touch: cannot touch '${f}': No such file or directory\n`);
      status = 1;
    } else if (!ctx.host.files.has(path) && !isDir(ctx.host, path)) ctx.host.files.set(path, '');
  }
  return status;
}

function* mkdir(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { opts, rest } = flags(args);
  let status = 0;
  for (const d of rest) {
    const path = resolvePath(d, ctx.host);
    if (isDir(ctx.host, path) || ctx.host.files.has(path)) {
      if (opts.has('p') && !ctx.host.files.has(path)) continue;
      io.err(busybox(ctx) ? `mkdir: can't create directory '${d}': File exists\n` : `mkdir: cannot create directory '${d}': File exists\n`);
      status = 1;
      continue;
    }
    const parent = resolvePath(`${path}/..`, ctx.host);
    if (!opts.has('p') && !isDir(ctx.host, parent)) {
      io.err(busybox(ctx) ? `mkdir: can't create directory '${d}': No such file or directory\n` : `mkdir: cannot create directory '${d}': No such file or directory\n`);
      status = 1;
      continue;
    }
    const parts = path.split('/').slice(1);
    for (let i = 1; i <= parts.length; i++) ctx.host.dirs.add(`/${parts.slice(0, i).join('/')}`);
  }
  return status;
}

function* rm(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { opts, rest } = flags(args);
  let status = 0;
  for (const f of rest) {
    const path = resolvePath(f, ctx.host);
    if (ctx.host.files.delete(path)) continue;
    if (isDir(ctx.host, path)) {
      if (!opts.has('r') && !opts.has('R')) {
        io.err(busybox(ctx) ? `rm: '${f}' is a directory\n` : `rm: cannot remove '${f}': Is a directory\n`);
        status = 1;
        continue;
      }
      for (const k of [...ctx.host.files.keys()]) if (k.startsWith(`${path}/`)) ctx.host.files.delete(k);
      for (const d of [...ctx.host.dirs]) if (d === path || d.startsWith(`${path}/`)) ctx.host.dirs.delete(d);
      continue;
    }
    if (opts.has('f')) continue;
    io.err(busybox(ctx) ? `rm: can't remove '${f}': No such file or directory\n` : `rm: cannot remove '${f}': No such file or directory\n`);
    status = 1;
  }
  return status;
}

function* cat(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const { texts, status } = readInputs(args, ctx, io, 'cat');
  for (const [, text] of texts) io.out(text);
  return status;
}

function* uname(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const host = ctx.host.env.get('HOSTNAME') ?? 'localhost';
  const { opts } = flags(args);
  if (opts.has('a')) io.out(`Linux ${host} ${KERNEL_RELEASE} #52-Ubuntu SMP PREEMPT_DYNAMIC Thu Dec  5 13:09:44 UTC 2024 x86_64${busybox(ctx) ? '' : ' GNU/Linux'}\n`);
  else io.out(`${[opts.has('n') ? host : '', opts.has('r') ? KERNEL_RELEASE : '', opts.has('m') ? 'x86_64' : '', opts.size === 0 || opts.has('s') ? 'Linux' : ''].filter(Boolean).join(' ')}\n`);
  return 0;
}

/** The utilities this file provides, by name. */
export const FILE_UTILITIES: Record<string, Utility> = {
  ls, cd, cat, grep, wc, touch, mkdir, rm, uname,
  head: (args, ctx, io) => headTail('head', args, ctx, io),
  tail: (args, ctx, io) => headTail('tail', args, ctx, io),
  pwd: function* (_args, ctx, io) { return (io.out(`${ctx.host.cwd ?? '/'}\n`), 0); },
  whoami: function* (_args, _ctx, io) { return (io.out('root\n'), 0); },
  id: function* (_args, ctx, io) { return (io.out(`uid=0(root) gid=0(root) groups=0(root)${busybox(ctx) ? ',10(wheel)' : ''}\n`), 0); },
};
