/**
 * Which kubeconfig files kubectl reads (client-go clientcmd loader rules), kept apart from the
 * kubeconfig merge code so reading a kubeconfig never loads the `yaml` package.
 */
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The kubeconfig files kubectl reads, in order ($KUBECONFIG, else ~/.kube/config). */
export function kubeconfigFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = (env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f !== '');
  return list.length > 0 ? list : [join(env['HOME'] ?? homedir(), '.kube', 'config')];
}
