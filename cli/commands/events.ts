/**
 * `kd events`: kubectl v1.35.2's events command (kubectl pkg/cmd/events/events.go and
 * event_printer.go): the core/v1 Events of a namespace or of all, or of one object with `--for`,
 * sorted by when they last happened, with LAST SEEN as `<age> (xN over <age>)`; `--types`, `-w`
 * and the printers of `-o`.
 */
import type { Command } from 'commander';
import type { KubeFlags } from '../kube/kubeconfig.js';
import { intFlag } from './create-generators.js';
import { withKubeFlags } from './kube-flags.js';
import { withTemplateFlags } from '../print/print-flags.js';

/** The flags of `events`. */
export interface EventsFlags extends KubeFlags {
  watch?: boolean;
  allNamespaces?: boolean;
  for?: string;
  types: string[];
  headers: boolean;
  output?: string;
  showManagedFields?: boolean;
}

/** Adds `events` to the root program. */
export function registerEvents(program: Command): void {
  const cmd = program
    .command('events')
    .description('Display events.')
    // cobra gives the command no argument check: extra arguments are ignored.
    .argument('[args...]')
    .option('-w, --watch', 'After listing the requested events, watch for more events.')
    .option('-A, --all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.')
    .option('--for <resource>', 'Filter events to only those pertaining to the specified resource.')
    .option('--types <types>', 'Output only events of given types.', (value: string, previous: string[]) => [...previous, ...(value === '' ? [] : value.split(','))], [])
    .option('--no-headers', "When using the default output format, don't print headers.")
    .option('-o, --output <format>', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, kyaml).')
    .option('--show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.')
    // Read for its check only: kubectl lists events in pages of 500 whatever it says.
    .option('--chunk-size <n>', 'Return large lists in chunks rather than all at once. Pass 0 to disable.', intFlag('--chunk-size', 'kubectl events'), 500);
  withTemplateFlags(cmd);
  withKubeFlags(cmd).action(async (_args: string[], flags: EventsFlags) => {
    const { runEvents } = await import('../exec/events.js');
    await runEvents(flags);
  });
}
