/**
 * `kd snapshot save|restore|list|delete`: named copies of the whole cluster state (every object,
 * faults, container logs, the clock reading) kept in the data directory; a restore puts one back
 * in place, the way `kd reset` replaces the cluster.
 */
import type { Command } from 'commander';
import { TabWriter } from '../print/tabwriter.js';
import { admin, withDataDir, type AdminFlags } from './admin-flags.js';

const examples = `
Examples:
  # Save the cluster as it is now, break things, then go back
  kd snapshot save before-drill
  kd snapshot restore before-drill

  # List and delete snapshots
  kd snapshot list
  kd snapshot delete before-drill`;

const path = (name: string): string => `/kubedojo/snapshots/${encodeURIComponent(name)}`;

/** Adds `snapshot` and its subcommands to the root program. */
export function registerSnapshot(program: Command): void {
  const snapshot = program.command('snapshot').description('Save and restore the whole cluster state').addHelpText('after', examples);
  withDataDir(snapshot.command('save').description('Save the cluster state under a name (replacing a snapshot of that name)').argument('<name>'))
    .action(async (name: string, flags: AdminFlags) => {
      const s = await admin(flags, 'POST', '/kubedojo/snapshots', { name });
      process.stdout.write(`snapshot "${s.name}" saved (cluster time ${s.time})\n`);
    });
  withDataDir(snapshot.command('restore').description('Put a saved cluster state back in place').argument('<name>'))
    .action(async (name: string, flags: AdminFlags) => {
      const t0 = performance.now();
      const s = await admin(flags, 'POST', `${path(name)}/restore`);
      process.stdout.write(`snapshot "${s.name}" restored in ${Math.round(performance.now() - t0)} ms (cluster time ${s.time})\n`);
    });
  withDataDir(snapshot.command('list').description('List the saved snapshots')).action(async (flags: AdminFlags) => {
    const items = ((await admin(flags, 'GET', '/kubedojo/snapshots')) as { items: Array<{ name: string; time: string }> }).items;
    if (items.length === 0) {
      process.stdout.write('No snapshots saved.\n');
      return;
    }
    const w = new TabWriter((t) => process.stdout.write(t));
    w.row(['NAME', 'CLUSTER TIME']);
    for (const s of items) w.row([s.name, s.time]);
    w.flush();
  });
  withDataDir(snapshot.command('delete').description('Delete a saved snapshot').argument('<name>'))
    .action(async (name: string, flags: AdminFlags) => {
      await admin(flags, 'DELETE', path(name));
      process.stdout.write(`snapshot "${name}" deleted\n`);
    });
}
