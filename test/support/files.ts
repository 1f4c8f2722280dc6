import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp directory for manifests: write files into it, remove it when done. */
export interface TempFiles {
  dir: string;
  /** Writes `text` to `<dir>/<name>` and returns the path. */
  file(name: string, text: string): string;
  remove(): void;
}

/** Creates a temp directory named `<prefix>XXXXXX` under the system temp dir. */
export function tempFiles(prefix: string): TempFiles {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
