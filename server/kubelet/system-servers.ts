/**
 * The programs of a kubeadm cluster's own pods: the control-plane static pods (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler) and the addons (kube-proxy, CoreDNS). Each runs until it
 * is stopped and prints the first lines the real binary logs, in its own format: klog for the
 * Kubernetes components, JSON for etcd, CoreDNS's banner.
 */
import { formatDate, type ShellHost, type ShellRun } from './shell.js';

/** What a system server needs to word its start-up lines. */
interface SystemCtx {
  host: ShellHost;
  spec: { now: number; podIP?: string; env?: Record<string, string> | Array<{ name: string; value?: string }> };
}

/** A server as programs.ts registers it: the repository that ships it, how it runs, what it listens on. */
export interface SystemServer {
  repo: string;
  run: (argv: string[], c: SystemCtx) => ShellRun;
  ports: number[];
  http?: boolean;
  listenAfterMs?: number;
  termExitCode?: number;
  /** HTTP paths that answer 200 (health and readiness endpoints). */
  paths?: string[];
}

const KUBE_VERSION = 'v1.35.2';
const GO_VERSION = 'go1.25.7';

/** A klog header: `I1125 21:16:30.123456       1 file.go:123] `. */
function klog(now: number, source: string, msg: string, severity = 'I'): string {
  const micros = String((now % 1000) * 1000).padStart(6, '0');
  return `${severity}${formatDate(now, '%m%d %H:%M:%S')}.${micros}       1 ${source}] ${msg}`;
}

/** Writes every line to stderr (where klog and etcd log), then runs until stopped. */
function* logThenServe(host: ShellHost, lines: string[]): ShellRun {
  for (const line of lines) host.write('stderr', `${line}\n`);
  yield Infinity;
  return 0;
}

/** The value of `--name=value` in argv. */
function flag(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

function envValue(c: SystemCtx, name: string): string | undefined {
  const env = c.spec.env;
  if (Array.isArray(env)) return env.find((e) => e.name === name)?.value;
  return env?.[name];
}

function etcdLines(argv: string[], c: SystemCtx): string[] {
  const ts = new Date(c.spec.now).toISOString().replace('Z', '000Z');
  const line = (caller: string, msg: string, extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ level: 'info', ts, caller, msg, ...extra });
  return [
    line('embed/etcd.go:140', 'configuring socket options', { 'reuse-address': true, 'reuse-port': true }),
    line('embed/etcd.go:148', 'configuring peer listeners', { 'listen-peer-urls': [flag(argv, 'listen-peer-urls') ?? ''] }),
    line('embed/etcd.go:156', 'configuring client listeners', { 'listen-client-urls': (flag(argv, 'listen-client-urls') ?? '').split(',') }),
    line('embed/etcd.go:323', 'starting an etcd server', { 'etcd-version': '3.6.6', 'go-version': GO_VERSION, name: flag(argv, 'name') ?? 'default', 'data-dir': flag(argv, 'data-dir') ?? '/var/lib/etcd' }),
    line('etcdserver/server.go:2152', 'published local member to cluster through raft', { 'local-member-attributes': `{Name:${flag(argv, 'name') ?? 'default'} ClientURLs:[${flag(argv, 'advertise-client-urls') ?? ''}]}` }),
    line('embed/serve.go:275', 'serving client traffic securely', { traffic: 'grpc+http', address: '127.0.0.1:2379' }),
  ];
}

function apiserverLines(argv: string[], c: SystemCtx): string[] {
  const t = c.spec.now;
  return [
    klog(t, 'options.go:249', `external host was not specified, using ${flag(argv, 'advertise-address') ?? c.spec.podIP ?? ''}`),
    klog(t, 'server.go:192', `"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""`),
    klog(t + 2, 'server.go:194', `"Version info" version="${KUBE_VERSION}"`),
    klog(t + 900, 'secure_serving.go:211', `Serving securely on [::]:${flag(argv, 'secure-port') ?? '6443'}`),
    klog(t + 1400, 'controller.go:667', `quota admission added evaluator for: leases.coordination.k8s.io`),
  ];
}

function controllerManagerLines(_argv: string[], c: SystemCtx): string[] {
  const t = c.spec.now;
  return [
    klog(t, 'serving.go:386', 'Generated self-signed cert in-memory'),
    klog(t + 300, 'controllermanager.go:191', `"Starting" version="${KUBE_VERSION}"`),
    klog(t + 302, 'secure_serving.go:211', 'Serving securely on 127.0.0.1:10257'),
    klog(t + 303, 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-controller-manager...'),
    klog(t + 310, 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-controller-manager'),
  ];
}

function schedulerLines(_argv: string[], c: SystemCtx): string[] {
  const t = c.spec.now;
  return [
    klog(t, 'serving.go:386', 'Generated self-signed cert in-memory'),
    klog(t + 250, 'server.go:175', `"Starting Kubernetes Scheduler" version="${KUBE_VERSION}"`),
    klog(t + 252, 'secure_serving.go:211', 'Serving securely on 127.0.0.1:10259'),
    klog(t + 253, 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-scheduler...'),
    klog(t + 260, 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-scheduler'),
  ];
}

function kubeProxyLines(_argv: string[], c: SystemCtx): string[] {
  const t = c.spec.now;
  const node = envValue(c, 'NODE_NAME') ?? '';
  return [
    klog(t, 'server_linux.go:53', '"Using iptables proxy"'),
    klog(t + 40, 'server.go:256', `"Successfully retrieved NodeIPs" NodeIPs=["${c.spec.podIP ?? ''}"]`),
    klog(t + 60, 'server_linux.go:132', '"Using iptables Proxier"'),
    klog(t + 62, 'server.go:563', `"Version info" version="${KUBE_VERSION}"`),
    klog(t + 70, 'config.go:200', '"Starting service config controller"'),
    klog(t + 70, 'config.go:106', '"Starting endpoint slice config controller"'),
    klog(t + 71, 'config.go:329', `"Starting node config controller" node="${node}"`),
    klog(t + 171, 'shared_informer.go:356', '"Caches are synced" controller="service config"'),
  ];
}

function corednsLines(): string[] {
  return [
    'maxprocs: Leaving GOMAXPROCS=4: CPU quota undefined',
    '.:53',
    '[INFO] plugin/reload: Running configuration SHA512 = 1b226df79860026c6a52e67daa10d7f0d57ec5b023288ec00c5e05f93523c894564e15b91770d3a07ae1cfbe861d15b37d4a0027e69c546ab112970993a3b03b',
    'CoreDNS-1.13.1',
    `linux/amd64, ${GO_VERSION}, 1db4568`,
  ];
}

const serve = (lines: (argv: string[], c: SystemCtx) => string[]) => (argv: string[], c: SystemCtx): ShellRun => logThenServe(c.host, lines(argv, c));

/** System binaries by executable name; each shuts down cleanly on SIGTERM. */
export const SYSTEM_SERVERS: Record<string, SystemServer> = {
  etcd: { repo: 'etcd', run: serve(etcdLines), ports: [2379, 2380, 2381], http: true, listenAfterMs: 50, paths: ['/livez', '/readyz', '/health', '/metrics'] },
  'kube-apiserver': { repo: 'kube-apiserver', run: serve(apiserverLines), ports: [6443], http: true, listenAfterMs: 900, paths: ['/livez', '/readyz', '/healthz', '/version'] },
  'kube-controller-manager': { repo: 'kube-controller-manager', run: serve(controllerManagerLines), ports: [10257], http: true, listenAfterMs: 300, paths: ['/healthz'] },
  'kube-scheduler': { repo: 'kube-scheduler', run: serve(schedulerLines), ports: [10259], http: true, listenAfterMs: 250, paths: ['/livez', '/readyz', '/healthz'] },
  'kube-proxy': { repo: 'kube-proxy', run: serve(kubeProxyLines), ports: [10249, 10256], http: true, listenAfterMs: 70, paths: ['/healthz', '/livez', '/metrics'] },
  coredns: { repo: 'coredns', run: serve(corednsLines), ports: [53, 8080, 8181, 9153], http: true, listenAfterMs: 20, paths: ['/health', '/ready', '/metrics'] },
};
