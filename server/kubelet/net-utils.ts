/**
 * wget (busybox) and curl (Debian-based images) in the simulated shell: they resolve Service and
 * pod names through the container's cluster network (cluster-network.ts) and fetch over HTTP from
 * the simulated servers. Messages follow busybox wget 1.37 and curl 7.88.
 */
import type { ShellCtx, ShellIo, ShellRun } from './shell.js';

/** What an HTTP GET from inside the cluster gets. */
export type HttpOutcome =
  | { kind: 'refused' }
  | { kind: 'response'; status: number; reason: string; body: string };

/** The cluster network as a container sees it: DNS with the pod's search list, and HTTP. */
export interface ShellNetwork {
  /** The address of a name (Service, `svc.ns`, FQDN) or an IP literal; undefined when unknown. */
  resolve(host: string): string | undefined;
  /** GET http://ip:port/path. */
  get(ip: string, port: number, path: string): HttpOutcome;
}

interface Url {
  host: string;
  port: number;
  path: string;
}

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:http:\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)$/.exec(raw);
  if (!m) return undefined;
  const path = m[3] || '/';
  return { host: m[1]!, port: m[2] ? Number(m[2]) : 80, path: path.startsWith('/') ? path : `/${path}` };
}

/** `wget [-q] [-O FILE|-] [-S] URL` as busybox prints it. */
function* wget(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  let quiet = false;
  let output: string | undefined;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) continue;
    if (a.startsWith('-') && a.length > 1) {
      // Short options bundle; -O takes the rest of the word or the next argument (`-qO-`, `-O file`).
      const o = a.indexOf('O');
      const opts = o >= 0 ? a.slice(1, o) : a.slice(1);
      if (opts.includes('q')) quiet = true;
      if (opts.includes('T') && !/\d/.test(opts)) i++;
      if (o >= 0) output = a.slice(o + 1) || args[++i];
    } else urls.push(a);
  }
  const url = urls[0] ? parseUrl(urls[0]) : undefined;
  if (!url) {
    io.err('BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[-P DIR] [-U AGENT] [-T SEC] URL...\n');
    return 1;
  }
  const ip = ctx.host.network?.resolve(url.host);
  if (!ip) return (io.err(`wget: bad address '${url.host}'\n`), 1);
  if (!quiet) io.err(`Connecting to ${url.host}${url.port === 80 ? '' : `:${url.port}`} (${ip}:${url.port})\n`);
  const res = ctx.host.network!.get(ip, url.port, url.path);
  if (res.kind === 'refused') return (io.err(`wget: can't connect to remote host (${ip}): Connection refused\n`), 1);
  if (res.status >= 400) return (io.err(`wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`), 1);
  const name = output ?? (url.path.replace(/^.*\//, '') || 'index.html');
  const size = String(Buffer.byteLength(res.body)).padStart(5);
  const bar = `${(name === '-' ? '-' : name).padEnd(20)} 100% |********************************| ${size}  0:00:00 ETA\n`;
  if (name === '-') {
    if (!quiet) io.err('writing to stdout\n');
    io.out(res.body);
    if (!quiet) io.err(`${bar}written to stdout\n`);
    return 0;
  }
  if (!quiet) io.err(`saving to '${name}'\n`);
  ctx.host.files.set(name.startsWith('/') ? name : `${ctx.host.cwd === '/' || !ctx.host.cwd ? '' : ctx.host.cwd}/${name}`, res.body);
  if (!quiet) io.err(`${bar}'${name}' saved\n`);
  return 0;
}

/** `curl [-s] [-f] [-o FILE] [-I] URL` (GNU images). */
function* curl(args: string[], ctx: ShellCtx, io: ShellIo): ShellRun {
  const flags = new Set<string>();
  let output: string | undefined;
  const urls: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o') output = args[++i];
    else if (a === '-m' || a === '--max-time' || a === '--connect-timeout') i++;
    else if (a.startsWith('--')) flags.add(a);
    else if (a.startsWith('-')) for (const c of a.slice(1)) flags.add(c);
    else urls.push(a);
  }
  const url = urls[0] ? parseUrl(urls[0]) : undefined;
  if (!url) return (io.err("curl: try 'curl --help' or 'curl --manual' for more information\n"), 2);
  const silent = flags.has('s') || flags.has('--silent');
  const showError = flags.has('S');
  const fail = (code: number, msg: string): number => {
    if (!silent || showError) io.err(`curl: (${code}) ${msg}\n`);
    return code;
  };
  const ip = ctx.host.network?.resolve(url.host);
  if (!ip) return fail(6, `Could not resolve host: ${url.host}`);
  const res = ctx.host.network!.get(ip, url.port, url.path);
  if (res.kind === 'refused') return fail(7, `Failed to connect to ${url.host} port ${url.port} after 0 ms: Couldn't connect to server`);
  if ((flags.has('f') || flags.has('--fail')) && res.status >= 400) return fail(22, `The requested URL returned error: ${res.status}`);
  if (flags.has('I') || flags.has('--head')) {
    io.out(`HTTP/1.1 ${res.status} ${res.reason}\r\nContent-Length: ${Buffer.byteLength(res.body)}\r\n\r\n`);
    return 0;
  }
  if (output) ctx.host.files.set(output.startsWith('/') ? output : `${ctx.host.cwd === '/' || !ctx.host.cwd ? '' : ctx.host.cwd}/${output}`, res.body);
  else io.out(res.body);
  return 0;
}

/** The network utilities by name: wget in busybox images, curl in the others. */
export const NET_UTILITIES: Record<string, (args: string[], ctx: ShellCtx, io: ShellIo) => ShellRun> = {
  wget: (args, ctx, io) => wget(args, ctx, io),
  curl: (args, ctx, io) => curl(args, ctx, io),
};
