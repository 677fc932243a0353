// etcd backend, for several managers sharing one cluster state (DESIGN.md
// "Store"). The etcd3 client is imported lazily, in open():
// the CLI never pays for it (DESIGN.md "CLI", start-up time). How it connects, and
// which failures are UnavailableError, is in etcd-client.ts; leader election
// in etcd-election.ts.
//
// Keys, under the cluster's prefix /tsw/<clusterId>/:
//   objects/<kind>/<id>    the object's JSON, without its Version
//   contended/<kind>/<id>  left by a writer that lost a compare-and-set (update())
//   election/<name>/…      the candidates of campaign(name)
//
// Version.Index is the etcd mod revision of the object's key, the revision of
// the transaction that last wrote it. etcd's revision is one counter for the
// whole etcd cluster, bumped by every committed write, so the index increases
// cluster-wide as SQLite's does (with gaps: deletes, elections and other tsw
// clusters in the same etcd bump it too). A counter key bumped in each write's
// transaction would give gapless numbers, but every write would then be a
// compare-and-set on that one key: two managers writing different objects
// would conflict and retry. The mod revision costs nothing, is made by the
// write itself, and compare-and-set is etcd's own `mod_revision ==` compare.
// List order is creation order: the range is sorted by create revision.
//
// Watch: one prefix watch on objects/, started in open(), so it sees the
// writes of every client (other managers), in revision (commit) order; after a
// reconnect etcd3 resumes from the last revision seen, and events already
// delivered are skipped, so each is delivered once. A write through this store
// resolves after its own event reached the listeners (or after 2 s), so that,
// as with SQLite, a caller's listeners have seen its change when it returns.
// If etcd compacted away revisions the watch missed, those changes are lost to
// listeners (Debian's etcd does not compact unless told to).
import { hostname } from 'node:os'
import type * as Etcd3Module from 'etcd3'
import { ConflictError, InvalidArgumentError, NotFoundError, OutOfSequenceError, UnavailableError } from '../errors/index.js'
import type { StoredObject } from '../types/index.js'
import { clientOptions, type EtcdTls, parseEtcdUrl, unreachableError } from './etcd-client.js'
import { EtcdLeadership, type Leadership } from './etcd-election.js'
import { EtcdHealth } from './etcd-health.js'
import { MAX_BATCH, type Kind, type Store, type StoreEvent } from './store.js'

export interface EtcdStoreOptions {
  /** `etcd://h1:2379,h2:2379` (etcds:// for TLS), or etcd3 hosts (`http(s)://host:port`). */
  endpoints: string | string[]
  /** The cluster's ID: its keys live under /tsw/<clusterId>/. */
  clusterId: string
  tls?: EtcdTls
  /** Deadline of each etcd call (ms); default 5000. */
  timeoutMs?: number
}

const KINDS: readonly Kind[] = ['swarm', 'ca', 'node', 'engine', 'service', 'task', 'network', 'certificate', 'secret', 'config']
/** How long a write waits for its own watch event before returning anyway. */
const SETTLE_MS = 2000

/** A Store in etcd, shared by every manager of a cluster. Open it with EtcdStore.open(). */
export class EtcdStore implements Store {
  /** The key prefix of this cluster, /tsw/<clusterId>/. */
  readonly prefix: string
  private readonly where: string
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private readonly leaderships = new Set<EtcdLeadership>()
  /** Writes waiting for their revision to reach the listeners. */
  private waiters: Array<{ rev: number; done: () => void }> = []
  /** The last revision delivered to listeners, and the keys delivered at it. */
  private delivered = 0
  private deliveredKeys = new Set<string>()
  private watcher?: Etcd3Module.Watcher
  private closed = false

  private constructor(
    private readonly mod: typeof Etcd3Module,
    private readonly client: Etcd3Module.Etcd3,
    private readonly ns: Etcd3Module.Namespace,
    hosts: string[], clusterId: string, private readonly timeoutMs: number,
    private readonly health: EtcdHealth,
  ) {
    this.prefix = `/tsw/${clusterId}/`
    this.where = hosts.map((h) => h.replace(/^https?:\/\//, '')).join(',')
  }

  /**
   * Connects and starts the watch. Throws UnavailableError when etcd cannot be
   * reached, InvalidArgumentError on bad options.
   */
  static async open(opts: EtcdStoreOptions): Promise<EtcdStore> {
    const hosts = typeof opts.endpoints === 'string' ? parseEtcdUrl(opts.endpoints) : opts.endpoints
    if (hosts.length === 0) throw new InvalidArgumentError('etcd: no endpoints')
    if (!/^[A-Za-z0-9._-]+$/.test(opts.clusterId)) throw new InvalidArgumentError(`etcd: bad cluster ID ${JSON.stringify(opts.clusterId)}`)
    const mod = await import('etcd3')
    const timeoutMs = opts.timeoutMs ?? 5000
    // A member found down: its connections are reset, so that streams on it move elsewhere.
    // clientOptions checks the TLS files (InvalidArgumentError) before the health checks read them.
    const ref: { health?: EtcdHealth } = {}
    const client = new mod.Etcd3(clientOptions(mod, hosts, opts.tls, timeoutMs, (name) => ref.health?.isDown(name) ?? false))
    const health = (ref.health = new EtcdHealth(hosts, opts.tls, (name) => resetHost(client, name)))
    const store = new EtcdStore(mod, client, client.namespace(`/tsw/${opts.clusterId}/`), hosts, opts.clusterId, timeoutMs, health)
    try {
      await store.startWatch()
    } catch (err) {
      client.close()
      throw store.mapError(err)
    }
    health.start()
    return store
  }

  async get<T extends StoredObject>(kind: Kind, id: string): Promise<T | undefined> {
    const res = await this.call(() => this.ns.get(key(kind, id)).exec())
    return res.kvs[0] ? decode<T>(res.kvs[0]) : undefined
  }

  async list<T extends StoredObject>(kind: Kind): Promise<T[]> {
    const res = await this.call(() => this.ns.getAll().prefix(`objects/${kind}/`).sort('Create', 'Ascend').exec())
    return res.kvs.map((kv) => decode<T>(kv))
  }

  async create<T extends StoredObject>(kind: Kind, obj: T): Promise<T> {
    const k = key(kind, obj.ID)
    const now = new Date().toISOString()
    const out = { ...obj, CreatedAt: obj.CreatedAt || now, UpdatedAt: now }
    const res = await this.call(() => this.ns.if(k, 'Create', '==', 0).then(this.ns.put(k).value(encode(out))).commit())
    if (!res.succeeded) throw new ConflictError(`${kind} ${obj.ID} already exists`)
    return this.written(res.header.revision, { ...out, Version: { Index: Number(res.header.revision) } })
  }

  /** create() of several objects in one etcd transaction (every key must be absent). */
  async createAll(objects: Array<{ kind: Kind; obj: StoredObject }>): Promise<StoredObject[]> {
    if (objects.length === 0) return []
    const now = new Date().toISOString()
    const outs = objects.map(({ obj }) => ({ ...obj, CreatedAt: obj.CreatedAt || now, UpdatedAt: now }))
    const res = await this.call(() => {
      const [first, ...rest] = objects
      const txn = this.ns.if(key(first.kind, first.obj.ID), 'Create', '==', 0)
      for (const o of rest) txn.and(key(o.kind, o.obj.ID), 'Create', '==', 0)
      return txn.then(...objects.map((o, i) => this.ns.put(key(o.kind, o.obj.ID)).value(encode(outs[i])))).commit()
    })
    if (!res.succeeded) throw new ConflictError(`${objects.map((o) => `${o.kind} ${o.obj.ID}`).join(' or ')} already exists`)
    const index = Number(res.header.revision)
    return this.written(res.header.revision, outs.map((o) => ({ ...o, Version: { Index: index } })))
  }

  /**
   * update() of several objects in one etcd transaction, each compared on its
   * mod revision; no contended marks and no CreatedAt repair: callers update
   * what they read. A failed compare is OutOfSequenceError (a missing object too).
   */
  async updateAll(objects: Array<{ kind: Kind; obj: StoredObject; expected: number }>): Promise<StoredObject[]> {
    if (objects.length === 0) return []
    if (objects.length > MAX_BATCH) throw new InvalidArgumentError(`at most ${MAX_BATCH} objects in one transaction, not ${objects.length}`)
    const now = new Date().toISOString()
    const outs = objects.map(({ obj }) => ({ ...obj, UpdatedAt: now }))
    const res = await this.call(() => {
      const [first, ...rest] = objects
      const txn = this.ns.if(key(first.kind, first.obj.ID), 'Mod', '==', first.expected)
      for (const o of rest) txn.and(key(o.kind, o.obj.ID), 'Mod', '==', o.expected)
      return txn.then(...objects.map((o, i) => this.ns.put(key(o.kind, o.obj.ID)).value(encode(outs[i])))).commit()
    })
    if (!res.succeeded) throw new OutOfSequenceError()
    const index = Number(res.header.revision)
    return this.written(res.header.revision, outs.map((o) => ({ ...o, Version: { Index: index } })))
  }

  /**
   * One transaction, no read first (one round trip). The stored CreatedAt is
   * only known afterwards: when the caller's copy had another (or none), a
   * second write puts it back (watchers see both). Callers that update what
   * they read never pay for it.
   *
   * Fairness: a writer that lost a compare-and-set hears so one commit after
   * the winner hears it won, so a winner that goes on writing the object wins
   * again and again, past modify()'s 10 tries. So the loser leaves a mark
   * (contended/<kind>/<id>) in the same transaction; a winner that finds it
   * removes it and waits as long as its write took before returning, which
   * lets the loser's retry go first.
   */
  async update<T extends StoredObject>(kind: Kind, obj: T, expected?: number): Promise<T> {
    const first = await this.put(kind, obj, expected)
    if (first.createdAt === obj.CreatedAt) return this.written(first.saved.Version.Index, first.saved)
    try {
      const { saved } = await this.put(kind, { ...first.saved, CreatedAt: first.createdAt }, first.saved.Version.Index)
      return await this.written(saved.Version.Index, saved)
    } catch (err) {
      if (err instanceof OutOfSequenceError) return this.written(first.saved.Version.Index, first.saved) // written again since
      throw err
    }
  }

  /** update()'s transaction; returns what it wrote and the CreatedAt it replaced. */
  private async put<T extends StoredObject>(kind: Kind, obj: T, expected?: number): Promise<{ saved: T; createdAt: string }> {
    const k = key(kind, obj.ID)
    const mark = `contended/${kind}/${obj.ID}`
    const out = { ...obj, UpdatedAt: new Date().toISOString() }
    const t0 = Date.now()
    const res = await this.call(() => {
      const txn = this.ns.if(k, 'Create', '>', 0)
      if (expected !== undefined) txn.and(k, 'Mod', '==', expected)
      return txn
        .then(this.ns.get(k), this.ns.get(mark), this.ns.put(k).value(encode(out)), this.ns.delete().key(mark))
        .else(this.ns.get(k), this.ns.put(mark).value(''))
        .commit()
    })
    const before = res.responses[0]?.response_range?.kvs[0]
    if (!before) {
      void this.ns.delete().key(mark).exec().catch(() => undefined)
      throw new NotFoundError(`${kind} ${obj.ID} not found`)
    }
    if (!res.succeeded) throw new OutOfSequenceError()
    if (res.responses[1]?.response_range?.kvs.length) await sleep(Math.min(Date.now() - t0, 100))
    return { saved: { ...out, Version: { Index: Number(res.header.revision) } }, createdAt: decode(before).CreatedAt }
  }

  async delete(kind: Kind, id: string): Promise<boolean> {
    const k = key(kind, id)
    const res = await this.call(() => this.ns.if(k, 'Create', '>', 0)
      .then(this.ns.delete().key(k), this.ns.delete().key(`contended/${kind}/${id}`)).commit())
    if (!res.succeeded) return false
    return this.written(res.header.revision, true)
  }

  async sync(): Promise<void> {
    // A read's header carries the store's revision now; the watch then catches up to it.
    const res = await this.call(() => this.ns.get('objects/').exec())
    await this.written(res.header.revision, undefined)
  }

  watch(fn: (event: StoreEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /**
   * Campaigns for leadership of `name` with a lease of `ttlSeconds`; `value`
   * (default host and pid) is what observers see as the leader. close() does not
   * resign: the lease then expires, as when a manager dies.
   */
  campaign(name: string, ttlSeconds: number, value = `${hostname()}:${process.pid}`): Leadership {
    if (this.closed) throw this.closedError()
    const l = new EtcdLeadership(this.ns.election(name, ttlSeconds), value, ttlSeconds,
      (err) => this.mapError(err), () => this.leaderships.delete(l),
      () => this.call(() => this.ns.getAll().prefix(`election/${name}/`).sort('Create', 'Ascend').keys()))
    this.leaderships.add(l)
    return l
  }

  /**
   * The values of the candidates of campaign(name) that are alive now (their
   * lease not expired), the leader first. Throws UnavailableError.
   */
  async candidates(name: string): Promise<string[]> {
    const res = await this.call(() => this.ns.getAll().prefix(`election/${name}/`).sort('Create', 'Ascend').exec())
    return res.kvs.map((kv) => kv.value.toString())
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const l of this.leaderships) l.abandon()
    this.listeners.clear()
    for (const w of this.waiters) w.done()
    this.waiters = []
    this.health.stop()
    await this.watcher?.cancel().catch(() => undefined)
    this.client.close()
  }

  /**
   * Watches objects/ from just after the last delivered revision (at open: the
   * revision now, so that no later write is missed).
   */
  private async startWatch(): Promise<void> {
    if (this.delivered === 0) this.delivered = Number((await this.ns.get('objects/').exec()).header.revision)
    const w = await this.ns.watch().prefix('objects/').startRevision(String(this.delivered + 1)).create()
    if (this.closed) return void w.cancel().catch(() => undefined)
    this.watcher = w
    w.on('data', (res) => this.deliver(res.events))
    w.on('error', (err) => {
      // Cancelled by etcd (it does not reconnect by itself). When the revisions
      // missed were compacted away they are lost: go on from now.
      if (this.closed || this.watcher !== w) return
      this.watcher = undefined
      if (/compact/i.test(err.message)) this.delivered = 0
      const retry = (): void => {
        if (!this.closed) this.startWatch().catch(() => setTimeout(retry, 1000).unref())
      }
      retry()
    })
  }

  private deliver(events: Etcd3Module.IEvent[]): void {
    for (const ev of events) {
      const rev = Number(ev.kv.mod_revision)
      const full = ev.kv.key.toString()
      const rel = full.startsWith(this.prefix) ? full.slice(this.prefix.length) : full
      if (rev < this.delivered || (rev === this.delivered && this.deliveredKeys.has(rel))) continue // replayed
      if (rev > this.delivered) this.deliveredKeys = new Set()
      this.delivered = rev
      this.deliveredKeys.add(rel)
      const event = toEvent(rel, ev)
      if (event) for (const fn of this.listeners) fn(event)
    }
    if (this.waiters.length === 0) return
    const done = this.waiters.filter((w) => w.rev <= this.delivered)
    this.waiters = this.waiters.filter((w) => w.rev > this.delivered)
    for (const w of done) w.done()
  }

  /** Returns `value` once the write at `revision` has reached the listeners (or after SETTLE_MS). */
  private async written<V>(revision: string | number, value: V): Promise<V> {
    const rev = Number(revision)
    if (rev <= this.delivered || this.closed) return value
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, SETTLE_MS)
      function done(): void {
        clearTimeout(timer)
        resolve()
      }
      this.waiters.push({ rev, done })
    })
    return value
  }

  private async call<R>(fn: () => Promise<R>): Promise<R> {
    if (this.closed) throw this.closedError()
    try {
      return await fn()
    } catch (err) {
      throw this.mapError(err)
    }
  }

  private closedError(): UnavailableError {
    return new UnavailableError(`the store (etcd at ${this.where}) is closed`)
  }

  private mapError(err: unknown): unknown {
    return unreachableError(this.mod, err, this.where, this.timeoutMs)
  }

}

/** Closes etcd3's connections to one member (its pool's internals: etcd3 has no call for it). */
function resetHost(client: Etcd3Module.Etcd3, name: string): void {
  const pool = (client as unknown as { pool?: { hosts?: Array<{ host: string; resetAllServices(): void }> } }).pool
  for (const h of pool?.hosts ?? []) if (h.host === name) h.resetAllServices()
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function key(kind: Kind, id: string): string {
  return `objects/${kind}/${id}`
}

function encode(obj: StoredObject): string {
  const { Version: _version, ...rest } = obj
  return JSON.stringify(rest)
}

function decode<T extends StoredObject>(kv: Etcd3Module.IKeyValue): T {
  return { ...JSON.parse(kv.value.toString()), Version: { Index: Number(kv.mod_revision) } } as T
}

/** The StoreEvent of a watch event on objects/<kind>/<id>, if it is one. */
function toEvent(rel: string, ev: Etcd3Module.IEvent): StoreEvent | undefined {
  const m = /^objects\/([^/]+)\/(.+)$/.exec(rel)
  if (!m || !KINDS.includes(m[1] as Kind)) return undefined
  const kind = m[1] as Kind
  if (ev.type === 'Delete') return { kind, action: 'delete', id: m[2] }
  return { kind, action: ev.kv.version === '1' ? 'create' : 'update', id: m[2], object: decode(ev.kv) }
}
