/**
 * The bearer token that guards the API server. It is created once per data directory and written
 * into the kubeconfig, so anyone who can read `<dataDir>/` is an admin of the practice cluster.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[0-9a-f]{16,}$/;

/**
 * Returns the token stored in `<dataDir>/token`, creating a random 32-byte hex token (mode 0600)
 * when the file is missing or does not hold a token.
 *
 * @example
 * const token = ensureToken('/home/me/.kubedojo'); // '3f9c…' (64 hex digits)
 */
export function ensureToken(dataDir: string): string {
  const path = join(dataDir, 'token');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (TOKEN_PATTERN.test(stored)) {
      chmodSync(path, 0o600); // repair permissions loosened by hand; the token is a credential
      return stored;
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(TOKEN_BYTES).toString('hex');
  // Write then rename, so a concurrent reader never sees an empty or partial token.
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  return token;
}
