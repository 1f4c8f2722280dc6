/**
 * Loads the kubeconfig kubectl would use and resolves the one context a command runs in. The file
 * order and merge rule follow client-go's loader (clientcmd/loader.go): `--kubeconfig` alone, else
 * every file of $KUBECONFIG with the first file to set a map entry or a field winning, else
 * ~/.kube/config.
 */
import { existsSync, readFileSync } from 'node:fs';
import { kubeconfigFiles } from './kubeconfig-files.js';
import { parseKubeconfigYaml } from './kubeconfig-yaml.js';
import { ConfigurationError } from './errors.js';

/** The connection settings and default namespace of one context. */
export interface KubeContext {
  server: string;
  /** PEM of the cluster CA, when the kubeconfig has one. */
  caPem?: string;
  insecureSkipTlsVerify: boolean;
  token?: string;
  /** The context's namespace, or `default`. */
  namespace: string;
}

/** The global connection flags kubectl accepts. */
export interface KubeFlags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

type Named = { name?: string; [k: string]: unknown };
interface RawConfig {
  'current-context'?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
}

/** Reads and merges the kubeconfig files; the first file to define a name or the current context wins. */
export function loadKubeconfig(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): RawConfig {
  const files = flags.kubeconfig ? [flags.kubeconfig] : kubeconfigFiles(env);
  const merged: Required<RawConfig> = { 'current-context': '', clusters: [], users: [], contexts: [] };
  for (const file of files) {
    if (!existsSync(file)) {
      // An explicit --kubeconfig must exist; missing $KUBECONFIG entries are skipped as in client-go.
      if (flags.kubeconfig) throw new Error(`stat ${file}: no such file or directory`);
      continue;
    }
    const doc = (parseKubeconfigYaml(readFileSync(file, 'utf8')) ?? {}) as RawConfig;
    if (!merged['current-context'] && doc['current-context']) merged['current-context'] = doc['current-context'];
    for (const section of ['clusters', 'users', 'contexts'] as const) {
      for (const entry of doc[section] ?? []) {
        if (!merged[section].some((e) => e.name === entry.name)) merged[section].push(entry);
      }
    }
  }
  return merged;
}

/** Resolves server, credentials and namespace for `--context` (else the current context). */
export function resolveContext(flags: KubeFlags, env: NodeJS.ProcessEnv = process.env): KubeContext {
  const config = loadKubeconfig(flags, env);
  const name = flags.context ?? config['current-context'];
  const ctxEntry = config.contexts?.find((c) => c.name === name);
  if (flags.context && !ctxEntry) {
    // kubectl resolves an explicit --namespace first, through a loader that words the miss its own way.
    if (flags.namespace) throw new Error(`context "${flags.context}" does not exist`);
    throw new ConfigurationError(`context was not found for specified context: ${flags.context}`);
  }
  const ctx = (ctxEntry?.['context'] ?? {}) as Record<string, string>;
  const cluster = (config.clusters?.find((c) => c.name === ctx['cluster'])?.['cluster'] ?? {}) as Record<string, unknown>;
  const user = (config.users?.find((u) => u.name === ctx['user'])?.['user'] ?? {}) as Record<string, unknown>;
  const server = cluster['server'] as string | undefined;
  if (!server) throw new Error('invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable');
  const caData = cluster['certificate-authority-data'] as string | undefined;
  const caFile = cluster['certificate-authority'] as string | undefined;
  const caPem = caData ? Buffer.from(caData, 'base64').toString('utf8') : caFile ? readFileSync(caFile, 'utf8') : undefined;
  const token = (user['token'] as string | undefined) ?? (user['tokenFile'] ? readFileSync(user['tokenFile'] as string, 'utf8').trim() : undefined);
  return {
    server,
    caPem,
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    token,
    namespace: flags.namespace || ctx['namespace'] || 'default',
  };
}
