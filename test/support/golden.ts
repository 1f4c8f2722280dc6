import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from './kubectl.js';

/**
 * Compares text with a reviewed golden file under test/<dir>/testdata/. `UPDATE_GOLDEN=1`
 * rewrites the file instead; review the diff before committing it.
 */
export function assertGolden(relPath: string, actual: string): void {
  const file = join(repoRoot(), 'test', relPath);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(file)) {
    if (process.env['UPDATE_GOLDEN'] !== '1') assert.fail(`golden file ${relPath} is missing; run with UPDATE_GOLDEN=1 and review it`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${relPath}`);
}
