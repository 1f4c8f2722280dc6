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

/** Regular files: the container's own paths plus every mounted volume's files under its mount point. */
export class MountedFiles extends Map<string, string> {
  private readonly mounts: Mount[];

  constructor(mounts: readonly Mount[]) {
    super();
    this.mounts = sortMounts(mounts);
  }

  /** Whether a volume is mounted over `path` (the image's own file there is hidden). */
  isMounted(path: string): boolean {
    return route(this.mounts, path) !== undefined;
  }

  override get(path: string): string | undefined {
    const r = route(this.mounts, path);
    return r ? r.store.files.get(r.rel) : super.get(path);
  }

  override has(path: string): boolean {
    const r = route(this.mounts, path);
    return r ? r.store.files.has(r.rel) : super.has(path);
  }

  override set(path: string, content: string): this {
    const r = route(this.mounts, path);
    if (r) r.store.files.set(r.rel, content);
    else super.set(path, content);
    return this;
  }

  override delete(path: string): boolean {
    const r = route(this.mounts, path);
    return r ? r.store.files.delete(r.rel) : super.delete(path);
  }

  override get size(): number {
    return [...this.keys()].length;
  }

  private paths(): string[] {
    const out = [...super.keys()].filter((k) => !route(this.mounts, k));
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

/** Directories, routed like MountedFiles; every mount point is itself a directory. */
export class MountedDirs extends Set<string> {
  private readonly mounts: Mount[];

  constructor(mounts: readonly Mount[], own: Iterable<string> = []) {
    super();
    this.mounts = sortMounts(mounts);
    for (const d of own) super.add(d);
  }

  override has(path: string): boolean {
    if (this.mounts.some((m) => m.path === path)) return true;
    const r = route(this.mounts, path);
    return r ? r.store.dirs.has(r.rel) : super.has(path);
  }

  override add(path: string): this {
    const r = route(this.mounts, path);
    if (r) r.store.dirs.add(r.rel);
    else super.add(path);
    return this;
  }

  override delete(path: string): boolean {
    if (this.mounts.some((m) => m.path === path)) return false;
    const r = route(this.mounts, path);
    return r ? r.store.dirs.delete(r.rel) : super.delete(path);
  }

  override get size(): number {
    return [...this.values()].length;
  }

  override values(): SetIterator<string> {
    const out = [...super.values()].filter((d) => !route(this.mounts, d));
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
