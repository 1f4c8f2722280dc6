/**
 * `kd drill list|start|check|hint|reset`: graded practice scenarios. `start` puts the cluster into
 * the drill's broken state and prints the task; the user fixes it with kubectl (kd's or the real
 * one); `check` grades the cluster and exits 0 only when every check passes.
 */
import type { Command } from 'commander';
import type { Drill } from '../../schemas/drill.js';

const DATA_DIR_OPTION = '--data-dir <dir>';
const DATA_DIR_HELP = 'state directory of the cluster (default: ~/.kubedojo)';

interface DrillFlags {
  dataDir?: string;
}

/** Adds `drill` and its subcommands to the root program. */
export function registerDrill(program: Command): void {
  const drill = program.command('drill').description('Practice drills: start a broken scenario, fix it with kubectl, get graded');
  drill.command('list').description('List the built-in drills').action(async () => {
    await listDrills();
  });
  drill.command('start').argument('<name>', 'the drill to start').description("Reset the cluster to the drill's starting state and print the task")
    .option(DATA_DIR_OPTION, DATA_DIR_HELP).action(async (name: string, flags: DrillFlags) => {
      await startDrill(name, flags);
    });
  drill.command('check').description('Grade the cluster against the active drill (exit code 0 when every check passes)')
    .option(DATA_DIR_OPTION, DATA_DIR_HELP).action(async (flags: DrillFlags) => {
      process.exitCode = await checkDrill(flags);
    });
  drill.command('hint').description('Show the next hint of the active drill').option(DATA_DIR_OPTION, DATA_DIR_HELP).action(async (flags: DrillFlags) => {
    await showHint(flags);
  });
  drill.command('reset').description('Start the active drill over').option(DATA_DIR_OPTION, DATA_DIR_HELP).action(async (flags: DrillFlags) => {
    const { activeDrill } = await import('../drill/state.js');
    await startDrill(activeDrill(await dataDir(flags)).name, flags);
  });
}

async function dataDir(flags: DrillFlags): Promise<string> {
  return (await import('../daemon-client.js')).dataDirOf(flags.dataDir);
}

/** Opens the drill engine's connection to the running daemon of the flags' data directory. */
async function openCluster(dir: string) {
  const { findDaemon } = await import('../daemon-client.js');
  const info = findDaemon(dir);
  if (!info) throw new Error("kubedojo is not running: start it with 'kd up'");
  const { DrillCluster } = await import('../drill/cluster.js');
  return DrillCluster.open(info);
}

async function listDrills(): Promise<void> {
  const { loadDrills } = await import('../drill/catalog.js');
  const rows = [['NAME', 'DIFFICULTY', 'TIME LIMIT', 'TITLE']];
  for (const d of loadDrills()) rows.push([d.name, d.difficulty, d.timeLimitMinutes ? `${d.timeLimitMinutes}m` : '-', d.title]);
  process.stdout.write(tabulate(rows));
}

/** Rows aligned like kubectl's tables: columns padded to the widest cell plus three spaces. */
function tabulate(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('')).join('\n') + '\n';
}

async function startDrill(name: string, flags: DrillFlags): Promise<void> {
  const { findDrill } = await import('../drill/catalog.js');
  const { restoreBaseline, runSetup } = await import('../drill/engine.js');
  const { writeDrillState } = await import('../drill/state.js');
  const drill = findDrill(name);
  const dir = await dataDir(flags);
  const cluster = await openCluster(dir);
  try {
    const t0 = performance.now();
    await restoreBaseline(cluster);
    const resetMs = Math.round(performance.now() - t0);
    process.stdout.write(`Cluster reset in ${resetMs} ms; setting up drill "${drill.name}"...\n`);
    await runSetup(cluster, drill, (line) => process.stdout.write(`${line}\n`));
  } finally {
    await cluster.close();
  }
  writeDrillState(dir, { name: drill.name, startedAt: new Date().toISOString(), hintsShown: 0 });
  process.stdout.write(taskText(drill));
}

/** The task as `start` prints it. */
function taskText(drill: Drill): string {
  const limit = drill.timeLimitMinutes ? ` · time limit ${drill.timeLimitMinutes}m` : '';
  return [
    '',
    `${drill.title}  (${drill.name} · ${drill.difficulty}${limit})`,
    '',
    drill.goal.trimEnd(),
    '',
    "Fix it with kubectl, then run 'kd drill check'. 'kd drill hint' shows a hint; 'kd drill reset' starts over.",
    '',
  ].join('\n');
}

async function checkDrill(flags: DrillFlags): Promise<number> {
  const { findDrill } = await import('../drill/catalog.js');
  const { formatResults, gradeDrill } = await import('../drill/engine.js');
  const { activeDrill, formatElapsed } = await import('../drill/state.js');
  const dir = await dataDir(flags);
  const state = activeDrill(dir);
  const drill = findDrill(state.name);
  const cluster = await openCluster(dir);
  let results;
  try {
    results = await gradeDrill(cluster, drill);
  } finally {
    await cluster.close();
  }
  const passed = results.filter((r) => r.pass).length;
  const elapsedMs = Date.now() - Date.parse(state.startedAt);
  const limit = drill.timeLimitMinutes ? ` (time limit ${drill.timeLimitMinutes}m${elapsedMs > drill.timeLimitMinutes * 60_000 ? ', exceeded' : ''})` : '';
  const verdict = passed === results.length ? `Drill "${drill.name}" passed` : `Drill "${drill.name}" not passed yet`;
  process.stdout.write(`${formatResults(results)}\n${verdict}: ${passed}/${results.length} checks pass. Elapsed ${formatElapsed(elapsedMs)}${limit}.\n`);
  return passed === results.length ? 0 : 1;
}

async function showHint(flags: DrillFlags): Promise<void> {
  const { findDrill } = await import('../drill/catalog.js');
  const { activeDrill, writeDrillState } = await import('../drill/state.js');
  const dir = await dataDir(flags);
  const state = activeDrill(dir);
  const drill = findDrill(state.name);
  const index = Math.min(state.hintsShown, drill.hints.length - 1);
  process.stdout.write(`Hint ${index + 1}/${drill.hints.length}: ${drill.hints[index]}\n`);
  if (state.hintsShown < drill.hints.length) writeDrillState(dir, { ...state, hintsShown: state.hintsShown + 1 });
}
