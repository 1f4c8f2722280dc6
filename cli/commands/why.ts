/**
 * `kd why pod NAME` and `kd why drain NODE`: readable explanations from the daemon's why
 * endpoints — which scheduler filter rejects a Pending pod on each node, which kubelet stage a pod
 * is stuck in and what would move it, and what `kubectl drain` would do to each pod of a node.
 */
import type { Command } from 'commander';
import { TabWriter } from '../print/tabwriter.js';
import { admin, withDataDir, type AdminFlags } from './admin-flags.js';

const examples = `
Examples:
  # Why is pod web-x Pending, crash-looping or not ready?
  kd why pod web-x

  # What would 'kubectl drain node01' do, and which pods block it?
  kd why drain node01`;

type Write = (text: string) => void;

function table(write: Write, header: string[], rows: string[][]): void {
  const w = new TabWriter(write);
  w.row(header);
  for (const r of rows) w.row(r);
  w.flush();
}

function hints(write: Write, list: string[]): void {
  if (list.length === 0) return;
  write('\nWhat would move it:\n');
  for (const h of list) write(`  - ${h}\n`);
}

/** Renders the JSON of `GET /kubedojo/why/pods/{ns}/{name}`. */
export function renderPodWhy(e: any, write: Write): void {
  write(`Pod:      ${e.pod.namespace}/${e.pod.name}\n`);
  write(`Phase:    ${e.phase}\n`);
  if (e.node) write(`Node:     ${e.node}\n`);
  write(`Stage:    ${e.stage}\n`);
  write(`Why:      ${e.summary}\n`);
  if (e.scheduling?.nodes?.length > 0) {
    write('\nScheduler filters per node:\n');
    table(write, ['NODE', 'FITS', 'FILTER', 'REASON'], e.scheduling.nodes.map((n: any) => [n.node, n.fits ? 'yes' : 'no', n.plugin ?? '-', n.reasons.join('; ') || '-']));
  }
  if (e.containers?.length > 0) {
    write('\nContainers:\n');
    table(write, ['NAME', 'STATE', 'READY', 'RESTARTS', 'REASON'], e.containers.map((c: any) => [
      c.kind === 'init' ? `${c.name} (init)` : c.name, c.state, String(c.ready), String(c.restartCount),
      [c.reason, c.exitCode !== undefined ? `exit code ${c.exitCode}` : undefined, c.nextRestartAt ? `restarts at ${c.nextRestartAt}` : undefined].filter(Boolean).join(', ') || '-',
    ]));
  }
  hints(write, e.hints ?? []);
}

const ACTION_TEXT: Readonly<Record<string, string>> = { evict: 'evicted', skip: 'skipped', refuse: 'refused', blocked: 'blocked by PDB' };

/** Renders the JSON of `GET /kubedojo/why/nodes/{name}/drain`. */
export function renderDrainWhy(e: any, write: Write): void {
  write(`Node:     ${e.node}${e.cordoned ? ' (cordoned)' : ''}\n`);
  write(`Drain:    ${e.summary}\n`);
  if (e.pods.length > 0) {
    write('\nPods:\n');
    table(write, ['POD', 'DRAIN', 'WHY', 'FLAGS NEEDED'], e.pods.map((p: any) => [`${p.namespace}/${p.name}`, ACTION_TEXT[p.action] ?? p.action, p.message ?? (p.pdb ? `PodDisruptionBudget ${p.pdb} allows it` : '-'), p.flags.join(' ') || '-']));
  }
  if (e.pdbs.length > 0) {
    write('\nPodDisruptionBudgets:\n');
    table(write, ['PDB', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'EXPECTED', 'HEALTHY', 'DESIRED', 'ALLOWED'], e.pdbs.map((b: any) => [
      `${b.namespace}/${b.name}`, String(b.minAvailable ?? 'N/A'), String(b.maxUnavailable ?? 'N/A'), String(b.expectedPods), String(b.currentHealthy), String(b.desiredHealthy), String(b.disruptionsAllowed),
    ]));
    for (const b of e.pdbs) write(`  ${b.name}: ${b.explanation}\n`);
  }
  if (e.errors.length > 0) {
    write(`\nkubectl drain ${e.node} would stop with:\n`);
    for (const err of e.errors) write(`  ${err}\n`);
  }
  hints(write, e.hints ?? []);
}

/** Adds `why pod` and `why drain` to the root program. */
export function registerWhy(program: Command): void {
  const why = program.command('why').description('Explain why a pod is stuck or what a drain would do').addHelpText('after', examples);
  withDataDir(why.command('pod').description('Explain where a pod is stuck and what would move it').argument('<name>').option('-n, --namespace <ns>', 'namespace of the pod', 'default'))
    .action(async (name: string, flags: AdminFlags & { namespace: string }) => {
      renderPodWhy(await admin(flags, 'GET', `/kubedojo/why/pods/${encodeURIComponent(flags.namespace)}/${encodeURIComponent(name)}`), (t) => process.stdout.write(t));
    });
  withDataDir(why.command('drain').description("Explain what 'kubectl drain NODE' would do to each pod").argument('<node>'))
    .action(async (node: string, flags: AdminFlags) => {
      renderDrainWhy(await admin(flags, 'GET', `/kubedojo/why/nodes/${encodeURIComponent(node)}/drain`), (t) => process.stdout.write(t));
    });
}
