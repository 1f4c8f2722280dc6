/** Storage's own typed errors; the registry translates them to Status answers. */
export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
  constructor(readonly key: string) {
    super(`key exists: ${key}`);
  }
}

export class KeyNotFoundError extends Error {
  override name = 'KeyNotFoundError';
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

/** The caller's expected revision is not the stored one. */
export class ConflictError extends Error {
  override name = 'ConflictError';
  constructor(
    readonly key: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`revision conflict on ${key}: expected ${expected}, found ${actual}`);
  }
}

/** The requested revision was compacted away. */
export class CompactedError extends Error {
  override name = 'CompactedError';
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compact revision ${compacted})`);
  }
}
