// The loops' copy of the store (StoreCache) against a real in-memory store:
// it says what the store says, through creates, updates, deletes and writes
// made while it loads.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { modify, SqliteStore, StoreCache, type Kind, type Store } from '../../../src/lib/store/index.js'
import type { Node, Service, StoredObject, Task } from '../../../src/lib/types/index.js'
import { until } from '../until.js'
import { node, service, task } from './fixtures.js'

const ids = (xs: StoredObject[]) => xs.map((x) => x.ID)

describe('StoreCache', () => {
  let store: SqliteStore
  let cache: StoreCache | undefined
  afterEach(async () => {
    cache?.stop()
    await store.close()
  })
  const open = (kinds: Kind[] = ['service', 'task', 'node'], s: Store = store) => {
    cache = new StoreCache({ store: s, kinds, resyncMs: 0 })
    cache.start()
    return cache
  }

  it('lists what the store lists, in creation order, through creates, updates and deletes', async () => {
    store = new SqliteStore(':memory:')
    const web = service('web', { replicas: 3 })
    await store.create('service', web)
    await store.create('node', node('n1'))
    const c = open()
    expect(ids(await c.list('service'))).toEqual(['web'])
    const tasks = [task(web, { slot: 1 }), task(web, { slot: 2 }), task(web, { slot: 3 })]
    for (const t of tasks) await store.create('task', t)
    await store.create('service', service('db'))
    await modify<Task>(store, 'task', tasks[0].ID, (t) => { t.DesiredState = 'shutdown' })
    await store.delete('task', tasks[1].ID)
    await modify<Node>(store, 'node', 'n1', (n) => { n.Status.State = 'down' })
    for (const kind of ['service', 'task', 'node'] as const) expect(await c.list(kind)).toEqual(await store.list(kind))
    expect((await c.get<Task>('task', tasks[0].ID))?.DesiredState).toBe('shutdown')
    expect(await c.get('task', tasks[1].ID)).toBeUndefined()
  })

  it('keeps the creates, updates and deletes made while it is loading', async () => {
    store = new SqliteStore(':memory:')
    const web = service('web')
    await store.create('service', web)
    const t1 = await store.create('task', task(web, { slot: 1 }))
    // A store whose list() lets writes through between its answer and the cache's use of it.
    let during: (() => Promise<void>) | undefined
    const slow: Store = Object.create(store, {
      list: { value: async (kind: Kind) => {
        const out = await store.list(kind)
        if (kind === 'task' && during) await during()
        return out
      } },
    })
    during = async () => {
      during = undefined
      await store.create('task', task(web, { slot: 2 }))
      await modify<Task>(store, 'task', t1.ID, (t) => { t.Status.State = 'failed' })
      await store.delete('service', 'web')
    }
    const c = open(['service', 'task'], slow)
    expect(await c.list('task')).toEqual(await store.list('task'))
    expect(await c.list('service')).toEqual([])
    expect((await c.get<Task>('task', t1.ID))?.Status.State).toBe('failed')
  })

  it('hands out copies of what writers keep: mutating a stored object afterwards does not reach the cache', async () => {
    store = new SqliteStore(':memory:')
    const c = open(['service'])
    await c.list('service')
    const saved = await store.create<Service>('service', service('web'))
    saved.Spec.Name = 'changed by the writer'
    expect((await c.get<Service>('service', 'web'))?.Spec.Name).toBe('web')
  })

  it('lists everything again every resyncMs, catching up with writes its watch never saw', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsw-cache-'))
    try {
      store = new SqliteStore(join(dir, 'state.db'))
      // A second connection to the same file: its writes do not reach the first one's watch (as missed etcd events).
      const other = new SqliteStore(join(dir, 'state.db'))
      const c = new StoreCache({ store, kinds: ['service'], resyncMs: 50 })
      cache = c
      c.start()
      expect(await c.list('service')).toEqual([])
      await other.create('service', service('web'))
      expect(await c.list('service')).toEqual([])
      await until(async () => (await c.list('service')).length === 1 || undefined, 'the resync')
      await other.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reads the store itself when not started, and again after a stop', async () => {
    store = new SqliteStore(':memory:')
    const c = new StoreCache({ store, kinds: ['service'], resyncMs: 0 })
    await store.create('service', service('web'))
    expect(ids(await c.list('service'))).toEqual(['web'])
    c.start()
    c.start() // a second user
    c.stop()
    await store.create('service', service('db'))
    expect(ids(await c.list('service'))).toEqual(['web', 'db'])
    c.stop()
    await store.create('service', service('api'))
    expect(ids(await c.list('service'))).toEqual(['web', 'db', 'api'])
  })
})
