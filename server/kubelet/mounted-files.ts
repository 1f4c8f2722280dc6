/**
 * A container's file tree as the shell sees it: one flat map of absolute paths for the container's
 * own writable layer, with volume mounts routed to stores that outlive the container (emptyDir,
 * shared by every container of the pod). The shell only uses Map/Set methods, so the mount table
 * stays invisible to it.
 */

/** Files and directories of one volume, keyed by paths relative to the mount point (`/a/b`). */
export interface VolumeStore {
  files: Map<string, string>;
  dirs: Set<string>;
}

/** Creates an empty volume store. */
export function newVolumeStore(): VolumeStore {
  return { files: new Map(), dirs: new Set() };
}

/** A mount point: absolute path (no trailing slash) and the store behind it. */
export interface Mount {
  path: string;
  store: VolumeStore;
}

type Route = { store: VolumeStore; rel: string } | undefined;

function route(mounts: readonly Mount[], path: string): Route {
  for (const m of mounts) {
    if (path.startsWith(`${m.path}/`)) return { store: m.store, rel: path.slice(m.path.length) };
  }
  return undefined;
}

function sortMounts(mounts: readonly Mount[]): Mount[] {
  // Longest first, so a mount nested in another one wins for its subtree.
  return [...mounts].sort((a, b) => b.path.length - a.path.length);
}

/** What an image ships, shared by every container of it; a container's changes stay its own. */
export interface ImageLayer {
  files: ReadonlyMap<string, string>;
  dirs: ReadonlySet<string>;
}

const EMPTY_LAYER: ImageLayer = { files: new Map(), dirs: new Set() };

/**
 * Regular files: the container's own paths over its image's (copy-on-write: a change or a removal
 * of an image file is recorded here, the image layer is shared), plus every mounted volume's files
 * under its mount point.
 */
export class MountedFiles extends Map<string, string> {
  private readonly mounts: Mount[];
  /** Image files this container removed. */
  private removed: Set<string> | undefined;

  constructor(mounts: readonly Mount[], private readonly image: ReadonlyMap<string, string> = EMPTY_LAYER.files) {
    super();
    this.mounts = sortMounts(mounts);
  }

  override get(path: string): string | undefined {
    const r = route(this.mounts, path);
    if (r) return r.store.files.get(r.rel);
    return super.has(path) ? super.get(path) : this.fromImage(path);
  }

  override has(path: string): boolean {
    const r = route(this.mounts, path);
    if (r) return r.store.files.has(r.rel);
    return super.has(path) || this.fromImage(path) !== undefined;
  }

  override set(path: string, content: string): this {
    const r = route(this.mounts, path);
    if (r) r.store.files.set(r.rel, content);
    else {
      super.set(path, content);
      this.removed?.delete(path);
    }
    return this;
  }

  override delete(path: string): boolean {
    const r = route(this.mounts, path);
    if (r) return r.store.files.delete(r.rel);
    const own = super.delete(path);
    if (this.fromImage(path) === undefined) return own;
    (this.removed ??= new Set()).add(path);
    return true;
  }

  override get size(): number {
    return [...this.keys()].length;
  }

  private fromImage(path: string): string | undefined {
    return this.removed?.has(path) ? undefined : this.image.get(path);
  }

  private paths(): string[] {
    const out: string[] = [];
    for (const k of this.image.keys()) if (!super.has(k) && !this.removed?.has(k) && !route(this.mounts, k)) out.push(k);
    for (const k of super.keys()) if (!route(this.mounts, k)) out.push(k);
    for (const m of this.mounts) for (const rel of m.store.files.keys()) out.push(`${m.path}${rel}`);
    return out;
  }

  override keys(): MapIterator<string> {
    return this.paths()[Symbol.iterator]();
  }

  override entries(): MapIterator<[string, string]> {
    return this.paths().map((k): [string, string] => [k, this.get(k)!])[Symbol.iterator]();
  }

  override values(): MapIterator<string> {
    return this.paths().map((k) => this.get(k)!)[Symbol.iterator]();
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }

  override forEach(fn: (value: string, key: string, map: Map<string, string>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

/** Directories, routed and layered like MountedFiles; every mount point is itself a directory. */
export class MountedDirs extends Set<string> {
  private readonly mounts: Mount[];
  /** Image directories this container removed. */
  private removed: Set<string> | undefined;

  constructor(mounts: readonly Mount[], private readonly image: ReadonlySet<string> = EMPTY_LAYER.dirs) {
    super();
    this.mounts = sortMounts(mounts);
  }

  override has(path: string): boolean {
    if (this.mounts.some((m) => m.path === path)) return true;
    const r = route(this.mounts, path);
    return r ? r.store.dirs.has(r.rel) : super.has(path) || this.inImage(path);
  }

  override add(path: string): this {
    const r = route(this.mounts, path);
    if (r) r.store.dirs.add(r.rel);
    else if (this.removed?.delete(path)) return this;
    else if (!this.image.has(path)) super.add(path);
    return this;
  }

  override delete(path: string): boolean {
    if (this.mounts.some((m) => m.path === path)) return false;
    const r = route(this.mounts, path);
    if (r) return r.store.dirs.delete(r.rel);
    if (!this.inImage(path)) return super.delete(path);
    (this.removed ??= new Set()).add(path);
    return true;
  }

  override get size(): number {
    return [...this.values()].length;
  }

  private inImage(path: string): boolean {
    return this.image.has(path) && !this.removed?.has(path);
  }

  override values(): SetIterator<string> {
    const out: string[] = [];
    for (const d of this.image) if (!this.removed?.has(d) && !route(this.mounts, d)) out.push(d);
    for (const d of super.values()) if (!route(this.mounts, d)) out.push(d);
    for (const m of this.mounts) out.push(m.path, ...[...m.store.dirs].map((rel) => `${m.path}${rel}`));
    return out[Symbol.iterator]();
  }

  override keys(): SetIterator<string> {
    return this.values();
  }

  override [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }

  override forEach(fn: (value: string, key: string, set: Set<string>) => void): void {
    for (const d of this.values()) fn(d, d, this);
  }
}
