// The safety-net sweep reads the tasks once and reaches each engine later (paced over
// its period): a task placed after that read, whose container started meanwhile, must
// not be taken for stale and have its container removed.
import { afterEach, describe, expect, it } from 'vitest'
import type { EngineConnection } from '../../../src/lib/engine/index.js'
import type { EnginePool } from '../../../src/lib/engine/pool.js'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import { Executor } from '../../../src/lib/executor/agent.js'
import type { TaskContainer, TaskRunner } from '../../../src/lib/executor/runner.js'
import { modify, SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Task } from '../../../src/lib/types/index.js'
import { node, service, task } from '../orchestrator/fixtures.js'

describe('Executor sweep with a snapshot older than the engine\'s containers', () => {
  let store: Store
  afterEach(() => store.close())

  it('keeps the container of a task placed after the snapshot was read; removes one no task wants', async () => {
    store = new SqliteStore(':memory:')
    await store.create('node', node('n1'))
    await store.create<StoredEngine>('engine', { ID: 'n1', Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: { URL: 'tcp://fake:2375' }, EngineID: 'E-n1' })
    const svc = await store.create('service', service('web', { image: 'busybox:1' }))
    const pending = await store.create('task', task(svc, { slot: 1, state: 'pending' }))
    const containers: TaskContainer[] = []
    const removed: string[] = []
    const conn = { address: { url: 'tcp://fake:2375' }, close: () => {} } as unknown as EngineConnection
    const runner = {
      conn,
      listTaskContainers: async () => containers,
      stop: async () => {},
      remove: async (id: string) => { removed.push(id) },
      watchEvents: () => ({ ready: Promise.resolve(), connected: true, stop: () => {} }),
    } as unknown as TaskRunner
    const executor = new Executor({ store, engines: { get: async () => conn, drop: () => {} } as unknown as EnginePool, clusterId: 'c1', log: () => {}, runnerFor: () => runner })

    // Right after the sweep reads the tasks: the pending task is placed on n1 and its container starts.
    const list = store.list.bind(store)
    let placed = false
    store.list = (async (kind: string) => {
      const out = await list(kind as 'task')
      if (kind === 'task' && !placed) {
        placed = true
        await modify<Task>(store, 'task', pending.ID, (t) => { t.NodeID = 'n1'; t.Status = { ...t.Status, State: 'starting' } })
        containers.push({ containerId: 'c-new', taskId: pending.ID, serviceId: svc.ID, nodeId: 'n1', name: 'web.1.x', state: 'running', labels: {} })
        containers.push({ containerId: 'c-orphan', taskId: 'no-such-task', serviceId: svc.ID, nodeId: 'n1', name: 'web.9.y', state: 'running', labels: {} })
      }
      return out
    }) as Store['list']

    await executor.reconcileAll()
    expect(removed).toEqual(['c-orphan'])
    expect((await store.get<Task>('task', pending.ID))!.Status.State).toBe('running')
  })
})
