// SQLite backend: one file in the manager's state dir. WAL journal, so a
// manager killed with SIGKILL, or a host losing power (synchronous=FULL), loses
// no committed write.
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs'
import { createRequire } from 'node:module'
import type BetterSqlite3 from 'better-sqlite3'
import { ConflictError, NotFoundError, OutOfSequenceError } from '../errors/index.js'
import type { StoredObject } from '../types/index.js'
import type { Kind, Store, StoreEvent } from './store.js'

const require = createRequire(import.meta.url)

/** A Store in one SQLite file (created mode 0600 if absent). */
export class SqliteStore implements Store {
  private readonly db: BetterSqlite3.Database
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

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
    const saved = this.db.transaction(() => objects.map(({ kind, obj }) => {
      if (this.sql('SELECT 1 FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID)) {
        throw new ConflictError(`${kind} ${obj.ID} already exists`)
      }
      const index = this.nextIndex()
      const now = new Date().toISOString()
      const out = { ...obj, Version: { Index: index }, CreatedAt: obj.CreatedAt || now, UpdatedAt: now }
      this.sql('INSERT INTO objects VALUES (?, ?, ?, ?)').run(kind, obj.ID, index, JSON.stringify(out))
      return out
    }))()
    saved.forEach((object, i) => this.emit({ kind: objects[i].kind, action: 'create', id: object.ID, object }))
    return saved
  }

  async update<T extends StoredObject>(kind: Kind, obj: T, expected?: number): Promise<T> {
    const saved = this.db.transaction(() => {
      const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID) as
        | { data: string } | undefined
      if (!row) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      const current = JSON.parse(row.data) as StoredObject
      if (expected !== undefined && current.Version.Index !== expected) throw new OutOfSequenceError()
      const index = this.nextIndex()
      const out = { ...obj, Version: { Index: index }, CreatedAt: current.CreatedAt, UpdatedAt: new Date().toISOString() }
      this.sql('UPDATE objects SET data = ? WHERE kind = ? AND id = ?').run(JSON.stringify(out), kind, obj.ID)
      return out
    })()
    this.emit({ kind, action: 'update', id: obj.ID, object: saved })
    return saved
  }

  async updateAll(objects: Array<{ kind: Kind; obj: StoredObject; expected: number }>): Promise<StoredObject[]> {
    const now = new Date().toISOString()
    const saved = this.db.transaction(() => objects.map(({ kind, obj, expected }) => {
      const row = this.sql('SELECT data FROM objects WHERE kind = ? AND id = ?').get(kind, obj.ID) as
        | { data: string } | undefined
      if (!row) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      const current = JSON.parse(row.data) as StoredObject
      if (current.Version.Index !== expected) throw new OutOfSequenceError()
      const out = { ...obj, Version: { Index: this.nextIndex() }, CreatedAt: current.CreatedAt, UpdatedAt: now }
      this.sql('UPDATE objects SET data = ? WHERE kind = ? AND id = ?').run(JSON.stringify(out), kind, obj.ID)
      return out
    }))()
    saved.forEach((object, i) => this.emit({ kind: objects[i].kind, action: 'update', id: object.ID, object }))
    return saved
  }

  async delete(kind: Kind, id: string): Promise<boolean> {
    const { changes } = this.sql('DELETE FROM objects WHERE kind = ? AND id = ?').run(kind, id)
    if (changes > 0) this.emit({ kind, action: 'delete', id })
    return changes > 0
  }

  watch(fn: (event: StoreEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  async close(): Promise<void> {
    this.db.close()
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
