// The Dispatcher's heartbeats against a real (in-memory) store and fake engines: two missed
// beats in a row turn a node down, one answer turns it ready with its description read afresh.
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import { Dispatcher } from '../../../src/lib/dispatcher/dispatcher.js'
import type { EnginePool } from '../../../src/lib/engine/pool.js'
import { Heartbeat, MISSES_TO_DOWN } from '../../../src/lib/dispatcher/heartbeat.js'
import type { EngineConnection } from '../../../src/lib/engine/index.js'
import { SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node } from '../../../src/lib/types/index.js'
import { node } from '../orchestrator/fixtures.js'
import { until } from '../until.js'

/** An engine that answers /_ping and /info while `up`, and refuses connections otherwise. */
class FakeEngine {
  up = true
  version = '28.0.0'
  pings = 0
  constructor(readonly url: string) {}

  conn(): EngineConnection {
    const refuse = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    return {
      address: { url: this.url },
      close: () => {},
      docker: {
        ping: async () => {
          this.pings++
          if (!this.up) throw refuse()
          return 'OK'
        },
        info: async () => {
          if (!this.up) throw refuse()
          return { ID: 'E1', Name: 'node01', OSType: 'linux', Architecture: 'x86_64', NCPU: 4, MemTotal: 8e9, ServerVersion: this.version, Labels: ['disk=ssd'] }
        },
      },
    } as unknown as EngineConnection
  }
}

/** An EnginePool over fake engines, counting dropped connections. */
function pool(engines: Record<string, FakeEngine>): EnginePool & { dropped: string[] } {
  const dropped: string[] = []
  return { dropped, get: async (id: string) => engines[id].conn(), drop: (id: string) => { dropped.push(id) } } as unknown as EnginePool & { dropped: string[] }
}

const engineRecord = (id: string, left = false): StoredEngine => ({
  ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: { URL: `tcp://${id}:2375` }, EngineID: `E-${id}`, ...(left ? { Left: true } : {}),
})


describe('Heartbeat', () => {
  it(`turns a node down after ${MISSES_TO_DOWN} misses in a row, and ready on the first answer`, () => {
    const hb = new Heartbeat()
    expect(hb.miss('ready')).toBe(false)
    expect(hb.miss('ready')).toBe(true)
    expect(hb.miss('down')).toBe(false) // down already
    expect(hb.ok('down')).toBe(true)
    expect(hb.ok('ready')).toBe(false)
    expect(hb.miss('ready')).toBe(false) // an answer starts the count again
  })
})

describe('Dispatcher on a store', () => {
  let store: Store
  let dispatcher: Dispatcher | undefined
  afterEach(async () => {
    dispatcher?.stop()
    dispatcher = undefined
    await store.close()
  })

  async function setup(ids: string[], periodMs = 1000) {
    store = new SqliteStore(':memory:')
    const engines = Object.fromEntries(ids.map((id) => [id, new FakeEngine(`tcp://${id}:2375`)]))
    for (const id of ids) {
      await store.create('node', node(id))
      await store.create('engine', engineRecord(id))
    }
    const engPool = pool(engines)
    const logs: string[] = []
    dispatcher = new Dispatcher({ store, engines: engPool, periodMs, log: (m) => logs.push(m) })
    const state = async (id: string) => (await store.get<Node>('node', id))!
    return { engines, engPool, logs, state, dispatcher }
  }

  it('a node whose engine stops answering is down after the second missed beat, and ready again on its first answer', async () => {
    const { engines, engPool, logs, state, dispatcher: d } = await setup(['n1', 'n2'])
    await d.round()
    expect((await state('n1')).Status.State).toBe('ready')
    engines.n1.up = false
    await d.round()
    expect((await state('n1')).Status.State).toBe('ready') // one miss is not enough
    await d.round()
    const down = await state('n1')
    expect(down.Status).toEqual({ State: 'down', Message: 'heartbeat failure: cannot reach engine tcp://n1:2375: connect ECONNREFUSED', Addr: '10.0.0.1' })
    expect(engPool.dropped).toEqual(['n1', 'n1']) // a connection that missed is made anew
    expect((await state('n2')).Status.State).toBe('ready')
    expect(logs).toContain('node n1 (n1) is down: heartbeat failure: cannot reach engine tcp://n1:2375: connect ECONNREFUSED')

    engines.n1.up = true
    engines.n1.version = '28.1.0'
    await d.round()
    const back = await state('n1')
    expect(back.Status).toEqual({ State: 'ready', Addr: '10.0.0.1' })
    expect(back.Description.Engine).toEqual({ EngineVersion: '28.1.0', Labels: { disk: 'ssd' } })
    expect(back.Description.Resources).toEqual({ NanoCPUs: 4e9, MemoryBytes: 8e9 })
  })

  it('does not beat the engines of nodes that left', async () => {
    const { engines, dispatcher: d } = await setup(['n1'])
    await store.update('engine', engineRecord('n1', true))
    await d.round()
    expect(engines.n1.pings).toBe(0)
  })

  it('started, it beats every period on its own', async () => {
    const { engines, state, dispatcher: d } = await setup(['n1'], 20)
    engines.n1.up = false
    d.start()
    await until(async () => (await state('n1')).Status.State === 'down', 'n1 down from the periodic beats')
    expect(engines.n1.pings).toBeGreaterThanOrEqual(MISSES_TO_DOWN)
  })

  it('suspect(): a node whose engine went away is down within two quick beats, without waiting a period', async () => {
    const { engines, state, dispatcher: d } = await setup(['n1'], 60_000)
    engines.n1.up = false
    const t0 = Date.now()
    d.suspect('n1')
    await until(async () => (await state('n1')).Status.State === 'down', 'n1 down after suspect()', 2000)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect(engines.n1.pings).toBe(MISSES_TO_DOWN)
  })
})
