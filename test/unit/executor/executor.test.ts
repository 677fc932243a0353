// The Executor loop on a real (in-memory) store with a fake engine: assigned tasks are pulled,
// created and started; exits move them to complete or failed; unwanted ones are stopped and
// removed; the periodic pass catches what no event said.
import { afterEach, describe, expect, it } from 'vitest'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import type { EnginePool } from '../../../src/lib/engine/pool.js'
import type { EngineConnection } from '../../../src/lib/engine/index.js'
import { NotFoundError } from '../../../src/lib/errors/index.js'
import { Executor } from '../../../src/lib/executor/agent.js'
import type { ContainerConfig } from '../../../src/lib/executor/container-config.js'
import type { ContainerEvent } from '../../../src/lib/executor/events.js'
import { LABEL_TASK_ID } from '../../../src/lib/executor/labels.js'
import type { TaskContainer, TaskRunner } from '../../../src/lib/executor/runner.js'
import { modify, SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { Node, Task } from '../../../src/lib/types/index.js'
import { node, service, task } from '../orchestrator/fixtures.js'
import { until } from '../until.js'

interface FakeContainer { id: string; name: string; taskId: string; state: 'running' | 'exited'; exitCode?: number }

/** An engine's containers, behind the TaskRunner methods the Executor calls. */
class FakeEngine {
  readonly containers = new Map<string, FakeContainer>()
  readonly removed: string[] = []
  private listeners: Array<(e: ContainerEvent) => void> = []
  private seq = 0
  readonly conn = { address: { url: 'tcp://fake:2375' }, close: () => {} } as unknown as EngineConnection

  runner(): TaskRunner {
    return {
      conn: this.conn,
      pullImage: async (image: string) => { if (image === 'missing:1') throw new NotFoundError(`No such image: ${image}`) },
      createAndStart: async (config: ContainerConfig) => {
        const id = `c${++this.seq}`
        this.containers.set(id, { id, name: config.name, taskId: String(config.Labels?.[LABEL_TASK_ID]), state: 'running' })
        return { containerId: id }
      },
      inspect: async (id: string) => ({ containerId: id, pid: 4242 }),
      stop: async (id: string) => { const c = this.containers.get(id); if (c) c.state = 'exited' },
      remove: async (id: string) => { this.containers.delete(id); this.removed.push(id) },
      listTaskContainers: async (): Promise<TaskContainer[]> => [...this.containers.values()].map((c) => ({
        containerId: c.id, taskId: c.taskId, serviceId: 'web', nodeId: 'n1', name: c.name, state: c.state, exitCode: c.exitCode, labels: {},
      })),
      watchEvents: (onEvent: (e: ContainerEvent) => void) => {
        this.listeners.push(onEvent)
        return { ready: Promise.resolve(), connected: true, stop: () => { this.listeners = this.listeners.filter((l) => l !== onEvent) } }
      },
    } as unknown as TaskRunner
  }

  /** The task's container exits with `code` and the engine says so. */
  die(taskId: string, code: number, tell = true): void {
    const c = [...this.containers.values()].find((x) => x.taskId === taskId)!
    c.state = 'exited'
    c.exitCode = code
    if (tell) for (const l of this.listeners) l({ containerId: c.id, taskId, action: 'die', exitCode: code, time: Date.now() })
  }

  of(taskId: string): FakeContainer | undefined {
    return [...this.containers.values()].find((c) => c.taskId === taskId)
  }
}


describe('Executor on a store, with a fake engine', () => {
  let stop: () => Promise<void> = async () => {}
  afterEach(() => stop())

  async function start(nodes: Array<[string, Node['Status']['State']]> = [['n1', 'ready']]) {
    const store: Store = new SqliteStore(':memory:')
    const engine = new FakeEngine()
    for (const [id, st] of nodes) {
      await store.create('node', node(id, { state: st }))
      await store.create<StoredEngine>('engine', { ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Ref: { URL: 'tcp://fake:2375' }, EngineID: `E-${id}` })
    }
    const svc = await store.create('service', service('web', { image: 'busybox:1' }))
    const pool = { get: async () => engine.conn, drop: () => {} } as unknown as EnginePool
    const executor = new Executor({ store, engines: pool, clusterId: 'c1', log: () => {}, reconcileMs: 60_000, runnerFor: () => engine.runner() })
    executor.start()
    stop = async () => {
      executor.stop()
      await store.close()
    }
    /** An assigned task of web (on n1 unless said). */
    const assign = async (image = 'busybox:1', on = 'n1') => {
      const t = task(svc, { slot: 1, node: on, state: 'assigned', image })
      return store.create('task', t)
    }
    const state = (id: string, want: Task['Status']['State']) => until(async () => {
      const t = await store.get<Task>('task', id)
      return t?.Status.State === want && t
    }, `task ${id} ${want}`)
    return { store, engine, executor, assign, state }
  }

  it('starts an assigned task: running, with its container on the engine', async () => {
    const { engine, assign, state } = await start()
    const t = await assign()
    const running = await state(t.ID, 'running')
    const c = engine.of(t.ID)!
    expect(c.state).toBe('running')
    expect(c.name).toBe(`web.1.${t.ID}`)
    expect(running.Status.ContainerStatus).toEqual({ ContainerID: c.id, PID: 4242, ExitCode: 0 })
    expect(running.Status.Message).toBe('started')
  })

  it('an exit reported by the engine: failed with the code, or complete on 0', async () => {
    const { engine, store, assign, state } = await start()
    const a = await assign()
    await state(a.ID, 'running')
    engine.die(a.ID, 3)
    const failed = await state(a.ID, 'failed')
    expect(failed.Status.Err).toBe('task: non-zero exit (3)')
    expect(failed.Status.ContainerStatus?.ExitCode).toBe(3)
    await store.delete('task', a.ID)
    const b = await assign()
    await state(b.ID, 'running')
    engine.die(b.ID, 0)
    expect((await state(b.ID, 'complete')).Status.Message).toBe('finished')
  })

  it('a task no longer wanted is stopped, its container removed, and the task shut down', async () => {
    const { engine, store, assign, state } = await start()
    const t = await assign()
    await state(t.ID, 'running')
    const containerId = engine.of(t.ID)!.id
    await modify<Task>(store, 'task', t.ID, (x) => { x.DesiredState = 'shutdown' })
    await state(t.ID, 'shutdown')
    expect(engine.removed).toEqual([containerId])
    expect(engine.containers.size).toBe(0)
  })

  it('an image the engine cannot get: the task is rejected with its reason, no container made', async () => {
    const { engine, assign, state } = await start()
    const t = await assign('missing:1')
    const rejected = await state(t.ID, 'rejected')
    expect(rejected.Status.Err).toBe('No such image: missing:1')
    expect(engine.containers.size).toBe(0)
  })

  it('the periodic pass: an exit no event told of, a container gone, a container no task wants', async () => {
    const { engine, store, executor, assign, state } = await start()
    const a = await assign()
    await state(a.ID, 'running')
    engine.die(a.ID, 7, false) // the event was missed
    await executor.reconcileAll()
    expect((await state(a.ID, 'failed')).Status.Err).toBe('task: non-zero exit (7)')

    await store.delete('task', a.ID) // its container now belongs to no task
    const b = await assign()
    await state(b.ID, 'running')
    const bContainer = engine.of(b.ID)!.id
    engine.containers.delete(bContainer) // removed behind the manager's back
    await executor.reconcileAll()
    expect((await state(b.ID, 'failed')).Status.Err).toBe('task: container is gone')
    expect(engine.of(a.ID)).toBeUndefined()
  })

  it('leaves the tasks of a node that is not ready alone', async () => {
    const { engine, store, assign, state } = await start([['n1', 'down'], ['n2', 'ready']])
    const t = await assign('busybox:1', 'n1')
    // A pass goes over every task: the one that starts a later task on n2 saw the task on n1 too.
    const later = await assign('busybox:1', 'n2')
    await state(later.ID, 'running')
    expect((await store.get<Task>('task', t.ID))?.Status.State).toBe('assigned')
    expect(engine.of(t.ID)).toBeUndefined()
  })
})
