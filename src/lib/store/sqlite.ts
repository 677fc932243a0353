// SQLite backend: one file in the manager's state dir. WAL journal, so a
// manager killed with SIGKILL, or a host losing power (synchronous=FULL), loses
// no committed write.
//
// Group commit: each commit is an fsync (about 0.8 ms here, and better-sqlite3
// blocks the event loop meanwhile), so the writes issued in one turn of the
// event loop are queued and committed together in one transaction, each in its
// own savepoint (a write that fails, a compare-and-set that lost, undoes only
// itself). Every caller is answered, and watchers told, after the commit that
// holds its write: a write is acknowledged only once durable, as before.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import type BetterSqlite3 from 'better-sqlite3'
import { ConflictError, NotFoundError, OutOfSequenceError } from '../errors/index.js'
import type { StoredObject } from '../types/index.js'
import type { Kind, Store, StoreEvent } from './store.js'

const require = createRequire(import.meta.url)

/** The most writes one group commit holds. */
const MAX_GROUP = 500

/** What a write did: its caller's answer and the events watchers are told once it is committed. */
interface Written<T> {
  value: T
  events: StoreEvent[]
}

/** A write waiting for its group commit. */
interface PendingWrite {
  run: () => Written<unknown>
  resolve: (value: unknown) => void
  reject: (err: unknown) => void
}

/** A Store in one SQLite file (created mode 0600 if absent). */
export class SqliteStore implements Store {
  private readonly db: BetterSqlite3.Database
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()
  /** Writes waiting for the next group commit (setImmediate). */
  private queue: Array<PendingWrite> = []
  private commits = 0

  constructor(file: string) {
    if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', 0o600))
    if (file !== ':memory:') chmodSync(file, 0o600)
    const Database = require('better-sqlite3') as typeof BetterSqlite3
    this.db = new Database(file)
    this.db.pragma('journal_mode = WAL')
    // FULL: a committed write survives a power loss too, not only a killed manager (the swarm's state).
    this.db.pragma('synchronous = FULL')
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS objects (
        kind TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (kind, id));
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT OR IGNORE INTO meta VALUES ('index', 0);`)
  }

  async get<T extends StoredObject>(kind: Kind, id: string): Promise<T | undefined> {
    const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, id) as
      | { data: string } | undefined
    return row ? (JSON.parse(row.data) as T) : undefined
  }

  async list<T extends StoredObject>(kind: Kind): Promise<T[]> {
    const rows = this.sql('SELECT data FROM objects WHERE kind = ? ORDER BY seq').all(kind) as
      Array<{ data: string }>
    return rows.map((r) => JSON.parse(r.data) as T)
  }

  async create<T extends StoredObject>(kind: Kind, obj: T): Promise<T> {
    const [saved] = await this.createAll([{ kind, obj }])
    return saved as T
  }

  async createAll(objects: Array<{ kind: Kind; obj: StoredObject }>): Promise<StoredObject[]> {
    // Copied now: what the caller goes on mutating before the commit is not what it wrote.
    const copies = objects.map(({ kind, obj }) => ({ kind, obj: structuredClone(obj) }))
    return this.write(() => this.doCreateAll(copies))
  }

  private doCreateAll(objects: Array<{ kind: Kind; obj: StoredObject }>): Written<StoredObject[]> {
    const saved = objects.map(({ kind, obj }) => {
      if (this.sql('SELECT 1 FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID)) {
        throw new ConflictError(`${kind} ${obj.ID} already exists`)
      }
      const index = this.nextIndex()
      const now = new Date().toISOString()
      const out = { ...obj, Version: { Index: index }, CreatedAt: obj.CreatedAt || now, UpdatedAt: now }
      this.sql('INSERT INTO objects VALUES (?, ?, ?, ?)').run(kind, obj.ID, index, JSON.stringify(out))
      return out
    })
    return { value: saved, events: saved.map((object, i) => ({ kind: objects[i].kind, action: 'create', id: object.ID, object })) }
  }

  async update<T extends StoredObject>(kind: Kind, given: T, expected?: number): Promise<T> {
    const obj = structuredClone(given)
    return this.write(() => {
      const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID) as
        | { data: string } | undefined
      if (!row) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      const current = JSON.parse(row.data) as StoredObject
      if (expected !== undefined && current.Version.Index !== expected) throw new OutOfSequenceError()
      const index = this.nextIndex()
      const out = { ...obj, Version: { Index: index }, CreatedAt: current.CreatedAt, UpdatedAt: new Date().toISOString() }
      this.sql('UPDATE objects SET data = ? WHERE kind = ? AND id = ?').run(JSON.stringify(out), kind, obj.ID)
      return { value: out, events: [{ kind, action: 'update', id: obj.ID, object: out }] }
    })
  }

  // Inside the group's transaction: two modifies of one object in one group both apply, in
  // order, where read-then-compare-and-set would fail the second (and could starve it).
  async modifyInPlace<T extends StoredObject>(kind: Kind, id: string, change: (obj: T) => T | void): Promise<T | undefined> {
    return this.write(() => {
      const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, id) as
        | { data: string } | undefined
      if (!row) return { value: undefined, events: [] }
      const copy = JSON.parse(row.data) as T
      const createdAt = copy.CreatedAt
      const next = change(copy) ?? copy
      const out = { ...next, ID: id, Version: { Index: this.nextIndex() }, CreatedAt: createdAt, UpdatedAt: new Date().toISOString() } as T
      this.sql('UPDATE objects SET data = ? WHERE kind = ? AND id = ?').run(JSON.stringify(out), kind, id)
      return { value: out, events: [{ kind, action: 'update', id, object: out }] }
    })
  }

  async updateAll(objects: Array<{ kind: Kind; obj: StoredObject; expected: number }>): Promise<StoredObject[]> {
    const copies = objects.map(({ kind, obj, expected }) => ({ kind, obj: structuredClone(obj), expected }))
    return this.write(() => this.doUpdateAll(copies))
  }

  private doUpdateAll(objects: Array<{ kind: Kind; obj: StoredObject; expected: number }>): Written<StoredObject[]> {
    const now = new Date().toISOString()
    const saved = objects.map(({ kind, obj, expected }) => {
      const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID) as
        | { data: string } | undefined
      if (!row) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      const current = JSON.parse(row.data) as StoredObject
      if (current.Version.Index !== expected) throw new OutOfSequenceError()
      const out = { ...obj, Version: { Index: this.nextIndex() }, CreatedAt: current.CreatedAt, UpdatedAt: now }
      this.sql('UPDATE objects SET data = ? WHERE kind = ? AND id = ?').run(JSON.stringify(out), kind, obj.ID)
      return out
    })
    return { value: saved, events: saved.map((object, i) => ({ kind: objects[i].kind, action: 'update', id: object.ID, object })) }
  }

  async delete(kind: Kind, id: string): Promise<boolean> {
    return this.write(() => {
      const { changes } = this.sql('DELETE FROM objects WHERE kind = ? AND id = ?').run(kind, id)
      return { value: changes > 0, events: changes > 0 ? [{ kind, action: 'delete', id }] : [] }
    })
  }

  /** How many group commits were made (for benches and tests). */
  get commitCount(): number {
    return this.commits
  }

  watch(fn: (event: StoreEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  async close(): Promise<void> {
    while (this.queue.length > 0) this.flush()
    this.db.close()
  }

  // Queues a write for the next group commit; resolves with its value once that commit is done.
  private write<T>(run: () => Written<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.flush())
      this.queue.push({ run, resolve: resolve as (v: unknown) => void, reject })
    })
  }

  // One transaction for every queued write, each in a savepoint (better-sqlite3 nests transactions so).
  private flush(): void {
    if (this.queue.length === 0) return
    // At most MAX_GROUP writes a commit, so that one commit blocks the event loop for tens of ms at most.
    const batch = this.queue.splice(0, MAX_GROUP)
    if (this.queue.length > 0) setImmediate(() => this.flush())
    let outcomes: Array<{ ok: true; written: Written<unknown> } | { ok: false; err: unknown }>
    try {
      outcomes = this.db.transaction(() => batch.map((w) => {
        try {
          return { ok: true as const, written: this.db.transaction(w.run)() }
        } catch (err) {
          return { ok: false as const, err }
        }
      }))()
      this.commits++
    } catch (err) {
      // The commit itself failed (disk full, I/O error): nothing of the group was written.
      for (const w of batch) w.reject(err)
      return
    }
    outcomes.forEach((o, i) => {
      if (!o.ok) return batch[i].reject(o.err)
      for (const e of o.written.events) this.emit(e)
      batch[i].resolve(o.written.value)
    })
  }

  // Statements prepared once: preparing is most of the cost of a small query.
  private sql(text: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(text)
    if (!stmt) this.statements.set(text, (stmt = this.db.prepare(text)))
    return stmt
  }

  private nextIndex(): number {
    this.sql("UPDATE meta SET value = value + 1 WHERE key = 'index'").run()
    return (this.sql("SELECT value FROM meta WHERE key = 'index'").get() as { value: number }).value
  }

  private emit(event: StoreEvent): void {
    for (const fn of this.listeners) fn(event)
  }
}
