/**
 * The kubeconfig the daemon writes for its users: one cluster, user and context named `kubedojo`,
 * carrying the CA and the bearer token (kubectl-wire.md §2).
 */
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

/** What goes into a kubeconfig: the server URL and, for https, the CA and the bearer token. */
export interface KubeconfigOptions {
  /** `https://127.0.0.1:6443`, or `http://…` for the debugging mode (no CA, no credentials). */
  server: string;
  /** PEM of the cluster CA; written as `certificate-authority-data` for https servers only. */
  caPem?: string;
  /** Bearer token; kubectl only sends it over TLS (kubectl-wire.md §1.1). */
  token?: string;
  /** Name of the cluster, user and context. @default 'kubedojo' */
  name?: string;
  /** Namespace of the context. @default 'default' */
  namespace?: string;
}

/**
 * Renders a kubeconfig (apiVersion v1, kind Config) whose current context points at the daemon.
 *
 * @example
 * kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem, token });
 */
export function kubeconfigYaml(opts: KubeconfigOptions): string {
  const name = opts.name ?? 'kubedojo';
  const https = opts.server.startsWith('https://');
  const cluster: Record<string, string> = { server: opts.server };
  if (https && opts.caPem) cluster['certificate-authority-data'] = Buffer.from(opts.caPem, 'utf8').toString('base64');
  // Over plain http kubectl drops credentials anyway, so the user stays empty there.
  const user: Record<string, string> = https && opts.token ? { token: opts.token } : {};
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: opts.namespace ?? 'default' } }],
    'current-context': name,
    preferences: {},
  };
  // Laid out as kubectl writes kubeconfigs: the base64 CA on one line, list items not indented.
  return stringify(config, { lineWidth: 0, indentSeq: false });
}

/**
 * Writes the kubeconfig to `path` with mode 0600 (it holds the token), atomically, creating the
 * parent directory if needed.
 */
export function writeKubeconfig(path: string, opts: KubeconfigOptions): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, kubeconfigYaml(opts), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
