/**
 * The built-in drills: one YAML file per drill under `drills/` at the repository root, validated
 * against the drill schema when loaded.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateDrill, type Drill } from '../../schemas/drill.js';

/** The directory of the drill files, found from sources (cli/drill) and from dist/cli/drill alike. */
export function drillsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of [['..', '..'], ['..', '..', '..']]) {
    const dir = join(here, ...up, 'drills');
    if (existsSync(dir)) return dir;
  }
  throw new Error(`Cannot find the drills directory from ${here}`);
}

/** Reads and validates one drill file; its name must be the file's name without `.yaml`. */
export function loadDrillFile(path: string): Drill {
  const file = path.slice(path.lastIndexOf('/') + 1);
  const drill = validateDrill(parse(readFileSync(path, 'utf8')), file);
  if (`${drill.name}.yaml` !== file) throw new Error(`Cannot load the drill '${file}' as its name must match the file: current name is ${drill.name}`);
  return drill;
}

/** Every built-in drill, by name. */
export function loadDrills(dir = drillsDir()): Drill[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => loadDrillFile(join(dir, f)))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** One built-in drill; throws naming the known drills when there is none by that name. */
export function findDrill(name: string, dir = drillsDir()): Drill {
  const path = join(dir, `${name}.yaml`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(path)) {
    const known = loadDrills(dir).map((d) => d.name).join(', ');
    throw new Error(`drill "${name}" not found; the drills are: ${known}`);
  }
  return loadDrillFile(path);
}
