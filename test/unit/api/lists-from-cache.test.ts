// The API's list routes answer from the manager's StoreCache exactly what they
// answer from the store: same tasks (docker's filters: service by name, ID or
// prefix, node, desired-state, name, label), same replica counts, same nodes,
// including right after writes.
import { afterEach, describe, expect, it } from 'vitest'
import { serviceRoutes } from '../../../src/lib/api/routes/services.js'
import { nodeRoutes } from '../../../src/lib/api/routes/nodes.js'
import { Router } from '../../../src/lib/api/router.js'
import type { ApiContext } from '../../../src/lib/api/context.js'
import { modify, SqliteStore, StoreCache } from '../../../src/lib/store/index.js'
import type { StoredObject, Task } from '../../../src/lib/types/index.js'
import { node, service, task } from '../orchestrator/fixtures.js'

describe('list routes from the cache', () => {
  let store: SqliteStore
  let cache: StoreCache
  afterEach(async () => {
    cache.stop()
    await store.close()
  })

  const routerOf = (withCache: boolean) => {
    const ctx = { store, cache: withCache ? cache : undefined, membership: { isLeader: true, managers: async () => [] }, config: {} } as unknown as ApiContext
    const router = new Router()
    serviceRoutes(router, ctx)
    nodeRoutes(router, ctx)
    return async (path: string, query = '') => {
      const m = router.match('GET', path)!
      const res = await m.route.handler({ method: 'GET', path, params: m.params, query: new URLSearchParams(query), body: undefined, raw: { headers: {} } } as never)
      return res.body as StoredObject[]
    }
  }
  const filters = (f: Record<string, string[]>) => `filters=${encodeURIComponent(JSON.stringify(Object.fromEntries(Object.entries(f).map(([k, vs]) => [k, Object.fromEntries(vs.map((v) => [v, true]))]))))}`

  it('gives what the store gives, for every filter, as the store changes', async () => {
    store = new SqliteStore(':memory:')
    const web = { ...service('web1', { replicas: 3 }), Spec: { ...service('web1', { replicas: 3 }).Spec, Name: 'web', Labels: { tier: 'front' } } }
    const db = { ...service('db1', { replicas: 2 }), Spec: { ...service('db1', { replicas: 2 }).Spec, Name: 'db' } }
    await store.createAll([
      { kind: 'swarm', obj: { ID: 'swarm0', Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', TLSInfo: {} } as StoredObject },
      { kind: 'service', obj: web }, { kind: 'service', obj: db }, { kind: 'node', obj: node('n1') }, { kind: 'node', obj: node('n2') },
    ])
    const tasks = [
      task(web, { slot: 1, node: 'n1', state: 'running' }), task(db, { slot: 1, node: 'n2', state: 'running' }),
      task(web, { slot: 2, node: 'n2', state: 'running' }), task(web, { slot: 3, node: 'n1', state: 'running' }),
      task(db, { slot: 2, node: 'n1', state: 'shutdown', desired: 'shutdown' }),
    ]
    for (const t of tasks) await store.create('task', t)
    cache = new StoreCache({
      store, kinds: ['service', 'task', 'node', 'network'], resyncMs: 0,
      indexes: [{ kind: 'task', field: 'ServiceID' }, { kind: 'task', field: 'NodeID' }],
    })
    cache.start()
    const fromStore = routerOf(false)
    const fromCache = routerOf(true)
    const queries: Array<[string, string]> = [
      ['/tasks', ''], ['/tasks', filters({ service: ['web'] })], ['/tasks', filters({ service: ['db1'] })], ['/tasks', filters({ service: ['we'] })],
      ['/tasks', filters({ service: ['web', 'db'] })], ['/tasks', filters({ service: ['web'], 'desired-state': ['running'] })],
      ['/tasks', filters({ node: ['n1'] })], ['/tasks', filters({ name: ['web.2'] })], ['/tasks', filters({ label: ['tier=front'] })],
      ['/tasks', filters({ service: ['nothing'] })], ['/services', ''], ['/services', 'status=true'], ['/services', `status=true&${filters({ name: ['we'] })}`],
      ['/nodes', ''], ['/nodes', filters({ role: ['worker'] })],
    ]
    const compare = async () => {
      for (const [path, query] of queries) expect(await fromCache(path, query), `${path}?${decodeURIComponent(query)}`).toEqual(await fromStore(path, query))
    }
    await compare()
    expect((await fromCache('/tasks', filters({ service: ['web'] }))).map((t) => t.ID)).toEqual([tasks[0].ID, tasks[2].ID, tasks[3].ID])
    // Writes are seen by the next call: a task moved, one stopped, one more made, one deleted.
    await modify<Task>(store, 'task', tasks[0].ID, (t) => { t.NodeID = 'n2' })
    await modify<Task>(store, 'task', tasks[2].ID, (t) => { t.DesiredState = 'shutdown'; t.Status.State = 'shutdown' })
    await store.create('task', task(web, { slot: 2, node: 'n1', state: 'running' }))
    await store.delete('task', tasks[4].ID)
    await compare()
    const counts = (await fromCache('/services', 'status=true')) as unknown as Array<{ Spec: { Name: string }; ServiceStatus: unknown }>
    expect(counts.map((s) => [s.Spec.Name, s.ServiceStatus])).toEqual([
      ['web', { RunningTasks: 3, DesiredTasks: 3, CompletedTasks: 0 }], ['db', { RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 0 }],
    ])
  })
})
