// Heartbeats read from the StoreCache, not the store: once the cache is loaded, rounds of
// beats make no store read, and the store is written only when a node's state changes.
import { afterEach, describe, expect, it } from 'vitest'
import { Dispatcher } from '../../../src/lib/dispatcher/dispatcher.js'
import type { EnginePool } from '../../../src/lib/engine/pool.js'
import type { EngineConnection } from '../../../src/lib/engine/index.js'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import { StoreCache } from '../../../src/lib/store/cache.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node } from '../../../src/lib/types/index.js'
import { node } from '../orchestrator/fixtures.js'

/** A store that counts reads and writes. */
function counting(store: Store) {
  const counts = { reads: 0, writes: 0 }
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      if (prop === 'get' || prop === 'list') return (...args: unknown[]) => { counts.reads++; return value.apply(target, args) }
      if (prop === 'update' || prop === 'updateAll' || prop === 'create' || prop === 'modifyInPlace') return (...args: unknown[]) => { counts.writes++; return value.apply(target, args) }
      return value.bind(target)
    },
  })
  return { store: wrapped, counts }
}

describe('Dispatcher on a StoreCache', () => {
  let raw: Store
  let dispatcher: Dispatcher | undefined
  afterEach(async () => {
    dispatcher?.stop()
    await raw.close()
  })

  it('beats without reading the store, and writes only the node whose state changed', async () => {
    raw = new SqliteStore(':memory:')
    const ids = ['n1', 'n2', 'n3']
    for (const id of ids) {
      await raw.create('node', node(id))
      await raw.create<StoredEngine>('engine', { ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: { URL: `tcp://${id}:2375` }, EngineID: id })
    }
    const up: Record<string, boolean> = { n1: true, n2: true, n3: true }
    const conn = (id: string) => ({
      address: { url: `tcp://${id}:2375` }, close: () => {},
      docker: { ping: async () => { if (!up[id]) throw new Error('connect ECONNREFUSED'); return 'OK' } },
    }) as unknown as EngineConnection
    const engines = { get: async (id: string) => conn(id), drop: () => {} } as unknown as EnginePool
    const { store, counts } = counting(raw)
    const cache = new StoreCache({ store, kinds: ['node', 'engine'], resyncMs: 0 })
    dispatcher = new Dispatcher({ store, engines, periodMs: 60_000, log: () => {}, cache })
    cache.start() // as the leader's loops hold it
    await dispatcher.round()
    const loaded = { ...counts }
    let pings = 0
    const ping = engines.get
    engines.get = async (id: string) => { pings++; return ping(id) }
    for (let i = 0; i < 5; i++) await dispatcher.round()
    expect(pings).toBe(15)
    expect(counts).toEqual(loaded) // 15 beats: no read, no write

    up.n2 = false
    await dispatcher.round()
    await dispatcher.round()
    expect((await raw.get<Node>('node', 'n2'))!.Status.State).toBe('down')
    expect(counts.writes - loaded.writes).toBe(1) // n2 turned down: one write
    const after = { ...counts }
    await dispatcher.round()
    expect(counts).toEqual(after) // down and still missing: nothing to write
    cache.stop()
  })
})
