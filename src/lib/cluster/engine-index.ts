// The nodes' engines by address and by identity (engine ID and hostname), kept
// from the store's watch, so that a join refuses a duplicate with two map
// lookups instead of listing (and parsing) every engine and node: with 5,000
// nodes that listing was most of a join's cost.
//
// Loading, as StoreCache: the watch is subscribed first and its events held
// while engines and nodes are listed; a held event applies only if newer than
// what the list gave. Both backends deliver a write's watch event before the
// write returns (SQLite synchronously, etcd waits for it), so a join sees the
// joins that returned before it.
import type { StoredEngine } from '../engine/record.js'
import type { Store, StoreEvent } from '../store/index.js'
import type { Node } from '../types/index.js'

/** What the index keeps of one node: its engine's address and identity. */
interface Entry {
  url?: string
  engineId?: string
  left?: boolean
  hostname?: string
  engineVersion: number
  nodeVersion: number
  /** The keys it is filed under, to unfile it on change. */
  keys: string[]
}

/** Non-left engines by URL and by engine ID + hostname. */
export class EngineIndex {
  private entries = new Map<string, Entry>()
  private byKey = new Map<string, Set<string>>()
  private loaded?: Promise<void>
  private held?: StoreEvent[]
  private watching = false
  /** Joins under way by engine URL: the same engine joined twice at once waits for the first, then is refused. */
  private readonly joining = new Map<string, Promise<unknown>>()

  constructor(private readonly store: Store) {}

  /**
   * The ID of a node (not left) whose engine is at `url`, or is the engine
   * `engineId` on host `hostname` (engines cloned from one image can share an
   * ID: the hostname must match too); undefined when there is none.
   */
  async find(url: string, engineId: string, hostname: string): Promise<string | undefined> {
    await this.load()
    return first(this.byKey.get(urlKey(url))) ?? first(this.byKey.get(identityKey(engineId, hostname)))
  }

  /** Runs `fn` (a join of the engine at `url`) once no other join of that URL is under way here. */
  async exclusive<T>(url: string, fn: () => Promise<T>): Promise<T> {
    const before = this.joining.get(url)
    const run = (before ?? Promise.resolve()).catch(() => {}).then(fn)
    const mine = run.catch(() => {})
    this.joining.set(url, mine)
    try {
      return await run
    } finally {
      if (this.joining.get(url) === mine) this.joining.delete(url)
    }
  }

  private load(): Promise<void> {
    if (!this.loaded) {
      if (!this.watching) this.store.watch((e) => this.apply(e))
      this.watching = true
      const loading = (this.loaded = this.fill().catch((err: unknown) => {
        if (this.loaded === loading) this.loaded = undefined
        throw err
      }))
    }
    return this.loaded
  }

  private async fill(): Promise<void> {
    this.held = []
    try {
      const [engines, nodes] = await Promise.all([this.store.list<StoredEngine>('engine'), this.store.list<Node>('node')])
      this.entries = new Map()
      this.byKey = new Map()
      for (const e of engines) this.applyEngine(e)
      for (const n of nodes) this.applyNode(n)
    } finally {
      const held = this.held ?? []
      this.held = undefined
      for (const e of held) this.apply(e)
    }
  }

  private apply(e: StoreEvent): void {
    if (e.kind !== 'engine' && e.kind !== 'node') return
    if (this.held) {
      this.held.push(e)
      return
    }
    if (!this.loaded) return
    if (e.action === 'delete') {
      const entry = this.entries.get(e.id)
      if (!entry) return
      if (e.kind === 'engine') Object.assign(entry, { url: undefined, engineId: undefined, engineVersion: Infinity })
      else Object.assign(entry, { hostname: undefined, nodeVersion: Infinity })
      this.refile(e.id, entry)
      return
    }
    if (e.kind === 'engine') this.applyEngine(e.object as StoredEngine)
    else this.applyNode(e.object as Node)
  }

  private entry(id: string): Entry {
    let entry = this.entries.get(id)
    if (!entry) this.entries.set(id, (entry = { engineVersion: -1, nodeVersion: -1, keys: [] }))
    return entry
  }

  private applyEngine(e: StoredEngine | undefined): void {
    if (!e) return
    const entry = this.entry(e.ID)
    if (entry.engineVersion >= e.Version.Index) return // older than what the list gave, or deleted
    Object.assign(entry, { url: e.Ref.URL, engineId: e.EngineID, left: Boolean(e.Left), engineVersion: e.Version.Index })
    this.refile(e.ID, entry)
  }

  private applyNode(n: Node | undefined): void {
    if (!n) return
    const entry = this.entry(n.ID)
    if (entry.nodeVersion >= n.Version.Index) return
    Object.assign(entry, { hostname: n.Description.Hostname, nodeVersion: n.Version.Index })
    this.refile(n.ID, entry)
  }

  private refile(id: string, entry: Entry): void {
    for (const k of entry.keys) {
      const set = this.byKey.get(k)
      set?.delete(id)
      if (set?.size === 0) this.byKey.delete(k)
    }
    entry.keys = []
    if (entry.url === undefined || entry.left) return
    entry.keys.push(urlKey(entry.url))
    if (entry.hostname !== undefined) entry.keys.push(identityKey(entry.engineId ?? '', entry.hostname))
    for (const k of entry.keys) {
      let set = this.byKey.get(k)
      if (!set) this.byKey.set(k, (set = new Set()))
      set.add(id)
    }
  }
}

const urlKey = (url: string) => `url\0${url}`
const identityKey = (engineId: string, hostname: string) => `id\0${engineId}\0${hostname}`
const first = (set: Set<string> | undefined) => (set ? set.values().next().value : undefined)
