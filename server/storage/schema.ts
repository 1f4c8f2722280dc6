/**
 * DDL and pragmas of the revision log. `objects` holds the current state, `events` the append-only
 * log that watches resume from, `meta` the current and compacted revisions.
 */
/**
 * `cache_size` puts back SQLite's own default of 2,000 KiB of page cache per connection:
 * better-sqlite3 builds SQLite with 16,000 KiB, which the log's appends and the rows of objects the
 * Store keeps parsed filled with pages that are seldom read again (12–16 MB of the daemon's malloc
 * heap at 10,000 pods, two connections). The cache is given in KiB, so it holds as many bytes with
 * any page size.
 *
 * Pages of 16 KiB instead of 4 KiB: a pod's row (4.5 KB) fits one page instead of spilling into
 * overflow pages, and each page SQLite writes to the WAL (and copies back at a checkpoint) costs a
 * system call or two whatever its size. The storage writer of the 10,000-pod bench's daemon used
 * 2.4–2.6 s of CPU instead of 2.8–3.1 s (both with the rowid objects table below). The size is
 * fixed when a database is created, so a data directory made before keeps 4 KiB pages.
 */
export const PRAGMAS = ['page_size = 16384', 'journal_mode = WAL', 'synchronous = NORMAL', 'busy_timeout = 30000', 'foreign_keys = OFF', 'cache_size = -2000'];

/**
 * `objects` is an ordinary rowid table with an index on its key, not a WITHOUT ROWID one: SQLite
 * advises against WITHOUT ROWID for rows over about a twentieth of a page, and a pod's row (4.5 KB
 * of JSON) was more than a 4 KiB page, which such a table keeps in its key's B-tree, overflow pages
 * and all. The storage writer thread of the 10,000-pod bench's daemon used 2.8–3.1 s of CPU instead
 * of 4.6–4.7 s (4 KiB pages both), leaving more of the second core to the garbage collector's
 * helpers and the clients. A data directory made before keeps its table: every statement reads
 * both alike.
 */
export const DDL = [
  `CREATE TABLE IF NOT EXISTS objects (
     key TEXT PRIMARY KEY,
     resource TEXT NOT NULL,
     namespace TEXT NOT NULL,
     name TEXT NOT NULL,
     create_revision INTEGER NOT NULL,
     mod_revision INTEGER NOT NULL,
     value BLOB NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS events (
     revision INTEGER PRIMARY KEY,
     key TEXT NOT NULL,
     resource TEXT NOT NULL,
     type TEXT NOT NULL,
     value BLOB NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS events_resource ON events (resource, revision)`,
  `CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
];

/** The statements a write batch runs; the Store and the storage writer thread prepare the same ones. */
export const WRITE_SQL = {
  upsert:
    'INSERT INTO objects (key, resource, namespace, name, create_revision, mod_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET create_revision = excluded.create_revision, mod_revision = excluded.mod_revision, value = excluded.value',
  remove: 'DELETE FROM objects WHERE key = ?',
  append: 'INSERT INTO events (revision, key, resource, type, value) VALUES (?, ?, ?, ?, ?)',
  dropRow: 'DELETE FROM events WHERE revision = ?',
  setMeta: 'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
} as const;

/** Compaction's statements; the Store runs them, or the storage writer thread when it has one. */
export const COMPACT_SQL = {
  nthNewest: 'SELECT revision FROM events ORDER BY revision DESC LIMIT 1 OFFSET ?',
  compact: 'DELETE FROM events WHERE revision IN (SELECT revision FROM events WHERE revision <= ? ORDER BY revision LIMIT 1000)',
} as const;

/** Minimal statement shapes, so the Store and the writer thread share compaction code. */
interface Run { run(...args: unknown[]): { changes: number } }

/** Drops the log rows up to `target` a thousand at a time and records the compacted revision. */
export function dropLogRows(stmt: { compact: Run; setMeta: Run }, target: number): void {
  while (stmt.compact.run(target).changes > 0);
  stmt.setMeta.run('compact_revision', target);
}
