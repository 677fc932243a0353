// etcd backend, for several managers sharing one cluster state (DESIGN.md
// "Store", NOTES.md "etcd"). The etcd3 client is imported lazily, in open():
// the CLI never pays for it (NOTES.md "CLI start-up").
//
// Keys: <prefix>objects/<kind>/<id>, the prefix being /tsw/<clusterId>/. The
// value is the object's JSON without its Version, which is read from etcd.
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
//
// Errors: etcd unreachable, without a leader (lost quorum) or too slow (each
// call has a deadline) → UnavailableError "the store (etcd at …) is
// unreachable: …".
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'
import type * as Etcd3Module from 'etcd3'
import { ConflictError, InvalidArgumentError, NotFoundError, OutOfSequenceError, TswError, UnavailableError } from '../errors/index.js'
import type { StoredObject } from '../types/index.js'
import { EtcdLeadership, type Leadership } from './etcd-election.js'
import type { Kind, Store, StoreEvent } from './store.js'

/** TLS material as etcd's own clients take it (--cacert/--cert/--key): file paths. */
export interface EtcdTls {
  cacert?: string
  cert?: string
  key?: string
}

export interface EtcdStoreOptions {
  /** `etcd://h1:2379,h2:2379` (etcds:// for TLS), or hosts as `http(s)://host:port`. */
  endpoints: string | string[]
  /** The cluster's ID: its keys live under /tsw/<clusterId>/. */
  clusterId: string
  tls?: EtcdTls
  /** Deadline of each etcd call (ms); default 5000. */
  timeoutMs?: number
}

const KINDS: readonly Kind[] = ['swarm', 'ca', 'node', 'engine', 'service', 'task', 'network']
/** How long a write waits for its own watch event before returning anyway. */
const SETTLE_MS = 2000

/**
 * The hosts of an `etcd://h1:2379,h2` URL as etcd3 takes them (`http://h1:2379`,
 * `http://h2:2379`; port 2379 by default; etcds:// gives https://).
 * Throws InvalidArgumentError when the URL is not one.
 */
export function parseEtcdUrl(url: string): string[] {
  const m = /^(etcds?):\/\/([^/]+)\/?$/.exec(url.trim())
  if (!m) throw new InvalidArgumentError(`etcd URL ${url}: expected etcd://host:port[,host:port…] (etcds:// for TLS)`)
  const scheme = m[1] === 'etcds' ? 'https' : 'http'
  return m[2].split(',').map((part) => {
    const host = part.trim()
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new InvalidArgumentError(`etcd URL ${url}: ${JSON.stringify(host)} is not host[:port]`)
    }
    return `${scheme}://${/(^[^[]*|\]):\d+$/.test(host) ? host : `${host}:2379`}`
  })
}

/** A Store in etcd, shared by every manager of a cluster. Open it with EtcdStore.open(). */
export class EtcdStore implements Store {
  /** The key prefix of this cluster, /tsw/<clusterId>/. */
  readonly prefix: string
  private readonly where: string
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private readonly leaderships = new Set<EtcdLeadership>()
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
    hosts: string[], clusterId: string,
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
    const client = new mod.Etcd3({
      hosts,
      credentials: credentials(opts.tls),
      dialTimeout: timeoutMs,
      defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
      faultHandling: faultHandling(mod, hosts.length),
    })
    const store = new EtcdStore(mod, client, client.namespace(`/tsw/${opts.clusterId}/`), hosts, opts.clusterId)
    try {
      await store.startWatch()
    } catch (err) {
      client.close()
      throw store.mapError(err)
    }
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

  async update<T extends StoredObject>(kind: Kind, obj: T, expected?: number): Promise<T> {
    const k = key(kind, obj.ID)
    for (;;) {
      const cur = (await this.call(() => this.ns.get(k).exec())).kvs[0]
      if (!cur) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      if (expected !== undefined && Number(cur.mod_revision) !== expected) throw new OutOfSequenceError()
      const current = decode<StoredObject>(cur)
      const out = { ...obj, CreatedAt: current.CreatedAt, UpdatedAt: new Date().toISOString() }
      const res = await this.call(() => this.ns.if(k, 'Mod', '==', cur.mod_revision)
        .then(this.ns.put(k).value(encode(out))).else(this.ns.get(k)).commit())
      if (res.succeeded) return this.written(res.header.revision, { ...out, Version: { Index: Number(res.header.revision) } })
      // Written or deleted in between. Answering at once, without another
      // read, keeps modify() fair: a loser retries as soon as the winner.
      if (res.responses[0]?.response_range?.kvs.length === 0) throw new NotFoundError(`${kind} ${obj.ID} not found`)
      if (expected !== undefined) throw new OutOfSequenceError()
      // Without `expected`, the last writer wins, as with SQLite.
    }
  }

  async delete(kind: Kind, id: string): Promise<boolean> {
    const res = await this.call(() => this.ns.delete().key(key(kind, id)).exec())
    if (Number(res.deleted) === 0) return false
    return this.written(res.header.revision, true)
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
      (err) => this.mapError(err), () => this.leaderships.delete(l))
    this.leaderships.add(l)
    return l
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const l of this.leaderships) l.abandon()
    this.listeners.clear()
    for (const w of this.waiters) w.done()
    this.waiters = []
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
    const due = this.waiters.filter((w) => w.rev <= this.delivered)
    this.waiters = this.waiters.filter((w) => w.rev > this.delivered)
    for (const w of due) w.done()
  }

  /** Returns `value` once the write at `revision` has reached the listeners (or after SETTLE_MS). */
  private async written<V>(revision: string, value: V): Promise<V> {
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

  /** etcd's "cannot reach / no leader / too slow" as UnavailableError; other errors as they are. */
  private mapError(err: unknown): unknown {
    if (err instanceof TswError || !(err instanceof Error)) return err
    const m = this.mod
    const unreachable = err instanceof m.GRPCUnavailableError || err instanceof m.GRPCDeadlineExceededError ||
      err instanceof m.ClientClosedError || err instanceof m.GRPCCancelledError ||
      /etcdserver: (no leader|request timed out|leader changed|too many requests)/.test(err.message)
    if (!unreachable) return err
    const reason = err.message.replace(/^\w*Error: /, '')
    return new UnavailableError(`the store (etcd at ${this.where}) is unreachable: ${reason}`)
  }
}

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

type FaultHandling = NonNullable<Etcd3Module.IOptions['faultHandling']>

/**
 * etcd3's policies (cockatiel's interfaces, written out here). By default it
 * retries a failed call 3 times on one host, each try with its own deadline,
 * and then refuses calls to that host for 5 s, even once it is back. Instead:
 * a call tries each host once (failing over on network errors, no leader,
 * deadline), and a broken watch reconnects after 0.1 s doubling to 2 s.
 */
function faultHandling(mod: typeof Etcd3Module, hosts: number): FaultHandling {
  const global = {
    async execute<T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn({ signal: signal ?? new AbortController().signal })
        } catch (err) {
          if (attempt >= hosts || !(err instanceof Error) || !mod.isRecoverableError(err)) throw err
        }
      }
    },
  }
  const host = { execute: async <T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T) => fn({ signal: new AbortController().signal }) }
  type Backoff = { duration: number; next(): Backoff }
  const backoff = (ms: number): Backoff => ({ duration: ms, next: () => backoff(Math.min(ms * 2, 2000)) })
  return {
    global: global as unknown as FaultHandling['global'],
    host: () => host as unknown as ReturnType<NonNullable<FaultHandling['host']>>,
    watchBackoff: { next: () => backoff(100) } as unknown as FaultHandling['watchBackoff'],
  }
}

function credentials(tls?: EtcdTls): Etcd3Module.IOptions['credentials'] {
  if (!tls || (!tls.cacert && !tls.cert && !tls.key)) return undefined
  if (!tls.cert !== !tls.key) throw new InvalidArgumentError('etcd TLS: give both the client certificate and its key')
  const read = (what: string, file?: string): Buffer | undefined => {
    if (!file) return undefined
    try {
      return readFileSync(file)
    } catch (err) {
      throw new InvalidArgumentError(`etcd TLS: cannot read the ${what} ${file}: ${(err as Error).message}`)
    }
  }
  return {
    // Without a CA file, gRPC trusts the system's roots (it takes null for that).
    rootCertificate: read('CA certificate', tls.cacert) ?? (null as unknown as Buffer),
    certChain: read('certificate', tls.cert),
    privateKey: read('key', tls.key),
  }
}
