/**
 * The saved snapshots of `kd snapshot`, in their own SQLite file (`snapshots.db` in the data dir)
 * so they survive `kd down`/`kd up` and never weigh on the revision log. A snapshot holds every
 * object row, the clock reading and a JSON blob of runtime state (faults, container logs).
 */
import Database from 'better-sqlite3';

const SNAPSHOT_DDL = [
  `CREATE TABLE IF NOT EXISTS snapshots (
     name TEXT PRIMARY KEY,
     clock_ms INTEGER NOT NULL,
     revision INTEGER NOT NULL,
     extra TEXT NOT NULL
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS snapshot_objects (
     snapshot TEXT NOT NULL,
     key TEXT NOT NULL,
     resource TEXT NOT NULL,
     namespace TEXT NOT NULL,
     name TEXT NOT NULL,
     create_revision INTEGER NOT NULL,
     value BLOB NOT NULL,
     PRIMARY KEY (snapshot, key)
   ) WITHOUT ROWID`,
];

/** One object row as a snapshot keeps it: the stored bytes and the key parts. */
export interface SnapshotRow {
  key: string;
  resource: string;
  namespace: string;
  name: string;
  createRevision: number;
  value: Buffer;
}

/** Snapshot names: DNS-label-like, so they are safe in URLs and on the command line. */
export const SNAPSHOT_NAME_RE = /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/;

/** One saved snapshot. */
export interface Snapshot {
  name: string;
  clockMs: number;
  revision: number;
  rows: SnapshotRow[];
  /** Runtime state beside the objects, as JSON-compatible data (faults, logs). */
  extra: unknown;
}

/** The snapshot file of a data directory. */
export class SnapshotStore {
  private readonly db: Database.Database;
  private readonly stmt;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    for (const d of SNAPSHOT_DDL) this.db.exec(d);
    this.stmt = {
      list: this.db.prepare('SELECT name, clock_ms FROM snapshots ORDER BY name'),
      head: this.db.prepare('SELECT name, clock_ms, revision, extra FROM snapshots WHERE name = ?'),
      rows: this.db.prepare('SELECT key, resource, namespace, name, create_revision, value FROM snapshot_objects WHERE snapshot = ?'),
      putHead: this.db.prepare('INSERT INTO snapshots (name, clock_ms, revision, extra) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET clock_ms = excluded.clock_ms, revision = excluded.revision, extra = excluded.extra'),
      putRow: this.db.prepare('INSERT INTO snapshot_objects (snapshot, key, resource, namespace, name, create_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      dropHead: this.db.prepare('DELETE FROM snapshots WHERE name = ?'),
      dropRows: this.db.prepare('DELETE FROM snapshot_objects WHERE snapshot = ?'),
    };
  }

  /** Saves (or replaces) a snapshot in one transaction. */
  save(s: Snapshot): void {
    this.db.transaction(() => {
      this.stmt.dropRows.run(s.name);
      this.stmt.putHead.run(s.name, Math.round(s.clockMs), s.revision, JSON.stringify(s.extra));
      for (const r of s.rows) this.stmt.putRow.run(s.name, r.key, r.resource, r.namespace, r.name, r.createRevision, r.value);
    })();
  }

  /** The snapshot of that name, or undefined. */
  load(name: string): Snapshot | undefined {
    const head = this.stmt.head.get(name) as { name: string; clock_ms: number; revision: number; extra: string } | undefined;
    if (!head) return undefined;
    const rows = (this.stmt.rows.all(name) as Array<{ key: string; resource: string; namespace: string; name: string; create_revision: number; value: Buffer }>)
      .map((r) => ({ key: r.key, resource: r.resource, namespace: r.namespace, name: r.name, createRevision: r.create_revision, value: r.value }));
    return { name: head.name, clockMs: head.clock_ms, revision: head.revision, rows, extra: JSON.parse(head.extra) as unknown };
  }

  /** Names and clock readings of every snapshot, by name. */
  list(): Array<{ name: string; clockMs: number }> {
    return (this.stmt.list.all() as Array<{ name: string; clock_ms: number }>).map((r) => ({ name: r.name, clockMs: r.clock_ms }));
  }

  /** Deletes a snapshot; false when there is none of that name. */
  delete(name: string): boolean {
    let found = false;
    this.db.transaction(() => {
      found = this.stmt.dropHead.run(name).changes > 0;
      this.stmt.dropRows.run(name);
    })();
    return found;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
