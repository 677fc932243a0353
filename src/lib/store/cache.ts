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
import type { StoredObject } from '../types/index.js'
import type { Kind, Store, StoreEvent } from './store.js'

export interface StoreCacheOptions {
  store: Store
  kinds: Kind[]
  /** How often everything is listed again (ms); 0: never. */
  resyncMs?: number
  log?: (msg: string) => void
}

/** The objects of some kinds, as the store's watch last told them. */
export class StoreCache {
  private objects = new Map<Kind, Map<string, StoredObject>>()
  private loaded?: Promise<void>
  /** Events that arrived while a load was listing, applied once it is done. */
  private held?: StoreEvent[]
  private unwatch?: () => void
  private timer?: NodeJS.Timeout
  private users = 0

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
    if (e.action === 'delete') {
      of.delete(e.id)
      return
    }
    if (!e.object) return
    const have = of.get(e.id)
    if (have && have.Version.Index > e.object.Version.Index) return // an event older than the list
    of.set(e.id, structuredClone(e.object))
  }
}
