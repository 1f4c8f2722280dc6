/**
 * A map of bounded size for memos whose keys are mostly few and hot (field names, shapes, shared
 * FieldsV1 subtrees) but may stream in without end (values that name one object, such as pod IPs).
 * Two generations: when the newer one holds `max` entries it becomes the older one and the oldest
 * is dropped; a hit in the older one moves the entry back. So the hot keys outlive any stream of
 * one-off keys, which clearing the whole map at the bound did not do, at the cost of one Map
 * lookup more on a miss and never more than 2 × max entries.
 */
export class GenerationMap<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    let value = this.newer.get(key);
    if (value === undefined && (value = this.older.get(key)) !== undefined) this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.newer.size >= this.max) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }

  /** The value already kept under `key`, else `value`, kept from now on: one object for equal ones. */
  intern(key: K, value: V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    this.set(key, value);
    return value;
  }

  /** The value of `key`, made and remembered on a miss. */
  remember(key: K, make: (key: K) => V): V {
    let value = this.get(key);
    if (value === undefined) this.set(key, (value = make(key)));
    return value;
  }
}

/**
 * One string for texts that many objects repeat (a server's start-up lines, an event's message, a
 * container's field path): ten thousand replicas otherwise keep ten thousand copies of each.
 * Texts that never repeat (access log lines) pass through; the bound keeps them from piling up.
 */
export function internString(text: string): string {
  return internedStrings.intern(text, text);
}

const internedStrings = new GenerationMap<string, string>(4096);
