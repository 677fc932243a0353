// The StoreCache's indexes (tasks by service, by node) against a real in-memory
// store: each group holds what filtering the store's list gives, in creation
// order, as tasks are created, placed, moved, changed and deleted, and through
// writes made while the cache loads.
import { afterEach, describe, expect, it } from 'vitest'
import { modify, SqliteStore, StoreCache } from '../../../src/lib/store/index.js'
import type { Task } from '../../../src/lib/types/index.js'
import { node, service, task } from './fixtures.js'

describe('StoreCache indexes', () => {
  let store: SqliteStore
  let cache: StoreCache | undefined
  afterEach(async () => {
    cache?.stop()
    await store.close()
  })
  const open = () => {
    cache = new StoreCache({
      store, kinds: ['service', 'task', 'node'], resyncMs: 0,
      indexes: [{ kind: 'task', field: 'ServiceID' }, { kind: 'task', field: 'NodeID' }],
    })
    cache.start()
    return cache
  }
  // What a full list filtered gives: the index must say the same.
  const expectSame = async (c: StoreCache, field: 'ServiceID' | 'NodeID', value: string) => {
    const want = (await store.list<Task>('task')).filter((t) => t[field] === value)
    const got = await c.listBy<Task>('task', field, value)
    expect(got.map((t) => [t.ID, t.Version.Index])).toEqual(want.map((t) => [t.ID, t.Version.Index]))
  }

  it('keeps tasks by service and by node as the store changes', async () => {
    store = new SqliteStore(':memory:')
    const web = service('web', { replicas: 3 })
    const db = service('db')
    await store.createAll([{ kind: 'service', obj: web }, { kind: 'service', obj: db }, { kind: 'node', obj: node('n1') }, { kind: 'node', obj: node('n2') }])
    const first = [task(web, { slot: 1 }), task(db, { slot: 1 })]
    for (const t of first) await store.create('task', t)
    const c = open()
    await expectSame(c, 'ServiceID', 'web')
    const more = [task(web, { slot: 2 }), task(web, { slot: 3 })]
    for (const t of more) await store.create('task', t)
    // Placed out of creation order: the node's group still lists them in creation order.
    for (const [t, n] of [[more[1], 'n1'], [first[0], 'n1'], [more[0], 'n2'], [first[1], 'n1']] as const) {
      await modify<Task>(store, 'task', t.ID, (x) => { x.NodeID = n; x.Status.State = 'assigned' })
    }
    for (const v of ['web', 'db']) await expectSame(c, 'ServiceID', v)
    for (const v of ['n1', 'n2']) await expectSame(c, 'NodeID', v)
    expect((await c.listBy<Task>('task', 'NodeID', 'n1')).map((t) => t.ID)).toEqual([first[0].ID, first[1].ID, more[1].ID])
    // Moved to another node, then deleted: it leaves the old group and the new one.
    await modify<Task>(store, 'task', first[0].ID, (x) => { x.NodeID = 'n2' })
    await expectSame(c, 'NodeID', 'n1')
    await expectSame(c, 'NodeID', 'n2')
    await store.delete('task', first[0].ID)
    await store.delete('task', first[1].ID)
    for (const v of ['n1', 'n2']) await expectSame(c, 'NodeID', v)
    await expectSame(c, 'ServiceID', 'db')
    expect(await c.listBy('task', 'ServiceID', 'db')).toEqual([])
    expect(await c.listBy('task', 'NodeID', 'nowhere')).toEqual([])
  })

  it('holds the writes made while it loads', async () => {
    store = new SqliteStore(':memory:')
    const web = service('web', { replicas: 2 })
    await store.create('service', web)
    const t1 = task(web, { slot: 1 })
    await store.create('task', t1)
    const c = open()
    // Not awaited: the load is under way while these commit.
    const reading = c.listBy<Task>('task', 'ServiceID', 'web')
    const t2 = await store.create('task', task(web, { slot: 2 }))
    await modify<Task>(store, 'task', t1.ID, (x) => { x.NodeID = 'n1' })
    await reading
    await expectSame(c, 'ServiceID', 'web')
    await expectSame(c, 'NodeID', 'n1')
    expect((await c.listBy<Task>('task', 'ServiceID', 'web')).map((t) => t.ID)).toEqual([t1.ID, t2.ID])
  })

  it('filters the store when not started, or for a field it has no index on', async () => {
    store = new SqliteStore(':memory:')
    const web = service('web')
    const t = task(web, { slot: 1 })
    await store.createAll([{ kind: 'service', obj: web }, { kind: 'task', obj: t }])
    const unstarted = new StoreCache({ store, kinds: ['task'], indexes: [{ kind: 'task', field: 'ServiceID' }] })
    expect((await unstarted.listBy<Task>('task', 'ServiceID', 'web')).map((x) => x.ID)).toEqual([t.ID])
    const c = open()
    expect((await c.listBy<Task>('task', 'DesiredState', 'running')).map((x) => x.ID)).toEqual([t.ID])
  })
})
