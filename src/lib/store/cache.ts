// An in-memory copy of some kinds of the store, kept current from the store's
// watch, so the control loops read their world from memory on each pass
// instead of listing (and parsing) every service and task again. One cache is
// shared by the loops of a leader term.
//
// Loading: the watch is subscribed first and its events held while the kinds
// are listed; a held event then applies only if it is newer (Version.Index)
// than what the list gave, so nothing committed meanwhile is lost or undone.
// Objects are copied when they enter: what a writer keeps mutating is not the
// cached one. Callers must not mutate what list() returns.
//
// A store watch that missed events (etcd compacted the revisions it had not
// delivered) would leave the cache behind: it lists everything again every
// `resyncMs` (default 60 s), which is what each pass used to cost.
//
// Indexes (`indexes`: a kind and a field, e.g. tasks by ServiceID) group the
// objects of a kind by a field's value, kept with the objects, so a reader of
// one service's or one node's tasks does not go through 150k of them.
import type { StoredObject } from '../types/index.js'
import type { Kind, Store, StoreEvent } from './store.js'

export interface StoreCacheOptions {
  store: Store
  kinds: Kind[]
  /** How often everything is listed again (ms); 0: never. */
  resyncMs?: number
  log?: (msg: string) => void
  /** Fields to group objects by (kept as they change), read with listBy(). */
  indexes?: CacheIndex[]
}

/** An index of a StoreCache: the objects of `kind` grouped by the value of `field`. */
export interface CacheIndex {
  kind: Kind
  field: string
}

const indexName = (kind: Kind, field: string) => `${kind}.${field}`

/** The objects of some kinds, as the store's watch last told them. */
export class StoreCache {
  private objects = new Map<Kind, Map<string, StoredObject>>()
  private loaded?: Promise<void>
  /** Events that arrived while a load was listing, applied once it is done. */
  private held?: StoreEvent[]
  private unwatch?: () => void
  private timer?: NodeJS.Timeout
  private users = 0
  /** index name → field value → ID → object. */
  private groups = new Map<string, Map<string, Map<string, StoredObject>>>()
  /** Each object's place in its kind's order (first seen), for listBy's order. */
  private seq = new Map<string, number>()
  private nextSeq = 0

  constructor(private readonly opts: StoreCacheOptions) {}

  /** Starts following the store (counted: each start needs a stop; the cache follows while anyone uses it). */
  start(): void {
    if (this.users++ > 0) return
    this.unwatch = this.opts.store.watch((e) => this.apply(e))
    const resync = this.opts.resyncMs ?? 60_000
    if (resync > 0) {
      this.timer = setInterval(() => {
        if (this.held) return // still loading: two loads at once would share (and lose) the held events
        this.loaded = undefined
        this.load().catch((err: Error) => this.opts.log?.(`store cache: ${err.message}`))
      }, resync)
      this.timer.unref()
    }
  }

  /** Stops following once every user has stopped; the next start loads again. */
  stop(): void {
    if (this.users === 0 || --this.users > 0) return
    this.unwatch?.()
    clearInterval(this.timer)
    this.loaded = undefined
    this.held = undefined
    this.objects = new Map()
    this.groups = new Map()
    this.seq = new Map()
  }

  /**
   * Waits until the cache holds every change committed before the call (the
   * store's sync: one etcd round trip; nothing on SQLite), for readers that
   * answer clients: a client that wrote through another manager reads its write.
   */
  async fresh(): Promise<this> {
    if (this.users) {
      await this.load()
      await this.opts.store.sync?.()
    }
    return this
  }

  /** The objects of a kind, in creation order (shared: do not mutate them); from the store itself when not started. */
  async list<T extends StoredObject>(kind: Kind): Promise<T[]> {
    if (!this.users) return this.opts.store.list<T>(kind)
    await this.load()
    return [...(this.objects.get(kind)?.values() ?? [])] as T[]
  }

  /** One object, or undefined (shared: do not mutate it); from the store itself when not started. */
  async get<T extends StoredObject>(kind: Kind, id: string): Promise<T | undefined> {
    if (!this.users) return this.opts.store.get<T>(kind, id)
    await this.load()
    return this.objects.get(kind)?.get(id) as T | undefined
  }

  /**
   * The objects of a kind whose `field` equals `value`, in creation order
   * (shared: do not mutate them). Needs an index on that field (else it
   * filters the whole kind); from the store itself when not started.
   */
  async listBy<T extends StoredObject>(kind: Kind, field: string, value: string): Promise<T[]> {
    const name = indexName(kind, field)
    if (!this.users || !this.opts.indexes?.some((i) => indexName(i.kind, i.field) === name)) {
      return (await this.list<T>(kind)).filter((o) => (o as unknown as Record<string, unknown>)[field] === value)
    }
    await this.load()
    const group = this.groups.get(name)?.get(value)
    if (!group) return []
    // A group holds objects in the order they joined it: sorted back into the kind's (creation) order.
    return ([...group.values()] as T[]).sort((a, b) => (this.seq.get(a.ID) ?? 0) - (this.seq.get(b.ID) ?? 0))
  }

  /** The field values an index has objects for (e.g. the node IDs tasks are on). */
  async keysOf(kind: Kind, field: string): Promise<string[]> {
    if (!this.users) return [...new Set((await this.list(kind)).map((o) => (o as unknown as Record<string, unknown>)[field]).filter((v): v is string => typeof v === 'string'))]
    await this.load()
    return [...(this.groups.get(indexName(kind, field))?.keys() ?? [])]
  }

  private load(): Promise<void> {
    if (!this.loaded) {
      const loading = (this.loaded = this.fill().catch((err: unknown) => {
        // A failed load (the store away a moment) is tried again by the next caller.
        if (this.loaded === loading) this.loaded = undefined
        throw err
      }))
    }
    return this.loaded
  }

  private async fill(): Promise<void> {
    this.held = []
    let lists: StoredObject[][]
    try {
      lists = await Promise.all(this.opts.kinds.map((k) => this.opts.store.list(k)))
    } catch (err) {
      this.held = undefined
      throw err
    }
    const objects = new Map<Kind, Map<string, StoredObject>>()
    this.opts.kinds.forEach((k, i) => objects.set(k, new Map(lists[i].map((o) => [o.ID, o]))))
    const held = this.held ?? []
    this.held = undefined
    this.objects = objects
    this.groups = new Map()
    this.seq = new Map()
    for (const list of lists) for (const o of list) this.seq.set(o.ID, this.nextSeq++)
    for (const idx of this.opts.indexes ?? []) {
      for (const o of objects.get(idx.kind)?.values() ?? []) this.group(idx, undefined, o)
    }
    for (const e of held) this.apply(e)
  }

  private apply(e: StoreEvent): void {
    if (!this.opts.kinds.includes(e.kind)) return
    if (this.held) {
      this.held.push(e)
      return
    }
    let of = this.objects.get(e.kind)
    if (!of) this.objects.set(e.kind, (of = new Map()))
    const have = of.get(e.id)
    if (e.action === 'delete') {
      if (have) this.regroup(e.kind, have, undefined)
      of.delete(e.id)
      this.seq.delete(e.id)
      return
    }
    if (!e.object) return
    if (have && have.Version.Index > e.object.Version.Index) return // an event older than the list
    const next = structuredClone(e.object)
    if (!have) this.seq.set(e.id, this.nextSeq++)
    of.set(e.id, next)
    this.regroup(e.kind, have, next)
  }

  private regroup(kind: Kind, before: StoredObject | undefined, after: StoredObject | undefined): void {
    for (const idx of this.opts.indexes ?? []) if (idx.kind === kind) this.group(idx, before, after)
  }

  // Moves an object from the group of its old field value to that of its new one.
  private group(idx: CacheIndex, before: StoredObject | undefined, after: StoredObject | undefined): void {
    const name = indexName(idx.kind, idx.field)
    let groups = this.groups.get(name)
    if (!groups) this.groups.set(name, (groups = new Map()))
    const valueOf = (o: StoredObject) => (o as unknown as Record<string, unknown>)[idx.field]
    const old = before && valueOf(before)
    if (typeof old === 'string') {
      const g = groups.get(old)
      g?.delete(before!.ID)
      if (g && g.size === 0) groups.delete(old)
    }
    const now = after && valueOf(after)
    if (typeof now !== 'string') return
    let g = groups.get(now)
    if (!g) groups.set(now, (g = new Map()))
    g.set(after!.ID, after!)
  }
}
