// The dispatcher's rounds at scale: beats spread over the round (each node at its
// phase) instead of all at once, every node beaten once a round, and a suspected
// node beaten at once even while it waits for its turn in a round.
import { afterEach, describe, expect, it } from 'vitest'
import { Dispatcher } from '../../../src/lib/dispatcher/dispatcher.js'
import type { EngineConnection } from '../../../src/lib/engine/index.js'
import type { EnginePool } from '../../../src/lib/engine/pool.js'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node } from '../../../src/lib/types/index.js'
import { node } from '../orchestrator/fixtures.js'
import { until } from '../until.js'

const engineRecord = (id: string): StoredEngine => ({ ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: { URL: `tcp://${id}:2375` }, EngineID: `E-${id}` })

describe('Dispatcher rounds, paced', () => {
  let store: Store
  let dispatcher: Dispatcher | undefined
  afterEach(async () => {
    dispatcher?.stop()
    await store.close()
  })

  async function setup(n: number, periodMs: number) {
    store = new SqliteStore(':memory:')
    const pings = new Map<string, number[]>()
    const down = new Set<string>()
    const ids = Array.from({ length: n }, (_, i) => `n${i}`)
    for (const id of ids) {
      await store.create('node', node(id))
      await store.create('engine', engineRecord(id))
    }
    const conn = (id: string) => ({
      address: { url: `tcp://${id}:2375` }, close: () => {},
      docker: {
        ping: async () => {
          pings.set(id, [...(pings.get(id) ?? []), Date.now()])
          if (down.has(id)) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
          return 'OK'
        },
        info: async () => ({ ID: `E-${id}`, Name: id, OSType: 'linux', Architecture: 'x86_64', NCPU: 1, MemTotal: 1e9, ServerVersion: '28.0.0', Labels: [] }),
      },
    }) as unknown as EngineConnection
    const engines = { get: async (id: string) => conn(id), drop: () => {} } as unknown as EnginePool
    dispatcher = new Dispatcher({ store, engines, periodMs, log: () => {} })
    return { ids, pings, down, d: dispatcher }
  }

  it('a round spread over 600 ms beats each of 40 nodes once, the beats spread over the round', async () => {
    const { ids, pings, d } = await setup(40, 1000)
    const t0 = Date.now()
    await d.round(600)
    expect(ids.every((id) => pings.get(id)?.length === 1)).toBe(true)
    const times = [...pings.values()].map((p) => p[0] - t0)
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(300)
  })

  it('a node suspected while it waits for its turn in a round is beaten at once (and down within two quick beats)', async () => {
    const { pings, down, d } = await setup(1, 60_000)
    down.add('n0')
    const round = d.round(5000)
    const t0 = Date.now()
    d.suspect('n0')
    await until(async () => (await store.get<Node>('node', 'n0'))!.Status.State === 'down', 'n0 down after suspect()', 3000)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(pings.get('n0')!.length).toBeGreaterThanOrEqual(2)
    d.stop()
    await round
  })
})
