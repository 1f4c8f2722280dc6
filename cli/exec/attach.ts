/**
 * Attaching to a running container (kubectl pkg/cmd/attach/attach.go Run after the pod is known):
 * the container to attach to, the TTY the container allows, kubectl's two notices, the session and
 * its `Session ended` hint. `kd run -i` uses attachToPod as kubectl's run does.
 */
import type { KubeClient } from '../kube/client.js';
import { defaultContainer, findContainer } from './pods.js';
import type { StreamResult } from './stream.js';
import { runOnTerminal, setupTty } from './tty.js';

/** What to attach with. */
export interface AttachOptions {
  container?: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  /** The command name in the `Session ended, resume using '<name> …'` hint. */
  commandName?: string;
}

/**
 * Attaches to a pod's container until the server ends the session; resolves with the session's
 * result (an exit code, or the error kubectl would print).
 *
 * @example
 * const r = await attachToPod(client, pod, { stdin: true, tty: false, quiet: false });
 */
export async function attachToPod(client: KubeClient, pod: any, opts: AttachOptions): Promise<StreamResult> {
  let container: any;
  if (opts.container) {
    container = findContainer(pod, opts.container);
    if (!container) return { error: new Error(`cannot attach to the container: container ${opts.container} not found in pod ${pod.metadata.name}`) };
  } else {
    container = defaultContainer(pod, opts.quiet);
  }
  let tty = opts.tty;
  if (tty && !container.tty) {
    tty = false;
    if (!opts.quiet) process.stderr.write(`error: Unable to use a TTY - container ${container.name} did not allocate one\n`);
  } else if (!tty && container.tty) {
    tty = true;
  }
  const t = setupTty(opts.stdin, tty, opts.quiet);
  if (!opts.quiet) {
    process.stderr.write('All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n');
    process.stderr.write("If you don't see a command prompt, try pressing enter.\n");
  }
  const result = await runOnTerminal(client, { subresource: 'attach', namespace: pod.metadata.namespace, pod: pod.metadata.name, container: container.name }, t, opts.stdin);
  if ('exitCode' in result && opts.stdin && t.raw && pod.spec?.restartPolicy === 'Always') {
    process.stdout.write(`Session ended, resume using '${opts.commandName ?? 'kubectl attach'} ${pod.metadata.name} -c ${container.name} -i -t' command when the pod is running\n`);
  }
  return result;
}

/** Ends a command with a session's result: kubectl's exit-code line and code, or the error thrown. */
export function finishSession(result: StreamResult): void {
  if ('error' in result) throw result.error;
  if (result.exitCode !== 0) {
    process.stderr.write(`command terminated with exit code ${result.exitCode}\n`);
    process.exitCode = result.exitCode;
  }
}
