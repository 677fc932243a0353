// The orchestrator's side of health checks: a task waiting for its check
// (starting) holds its slot, one failed for an unhealthy container is replaced
// per the restart policy, and a rolling update moves on only once the new
// task runs (is healthy), its monitor counted from then. The updater runs on
// a real in-memory store; the test plays the executor.
import { afterEach, describe, expect, it } from 'vitest'
import { Orchestrator } from '../../../src/lib/orchestrator/index.js'
import { planService } from '../../../src/lib/orchestrator/reconcile.js'
import { Updater } from '../../../src/lib/orchestrator/update.js'
import { modify, SqliteStore } from '../../../src/lib/store/index.js'
import { isTerminal, type Service, type Task } from '../../../src/lib/types/index.js'
import { node, service, T0, task } from './fixtures.js'
import { until } from '../until.js'

describe('planService with health checks', () => {
  const nodes = [node('n1')]

  it('a starting task (its check not yet passed) holds its slot: nothing new, nothing stopped', () => {
    const s = service('web', { replicas: 1 })
    expect(planService(s, [task(s, { slot: 1, node: 'n1', state: 'starting' })], nodes, T0)).toEqual({ create: [], shutdown: [] })
  })

  it('a task failed for an unhealthy container is replaced after the restart delay', () => {
    const s = service('web', { replicas: 1, restart: { Condition: 'on-failure', Delay: 2e9 } })
    const sick = task(s, { slot: 1, node: 'n1', state: 'failed', at: T0 })
    sick.Status.Err = 'task: non-zero exit (137): dockerexec: unhealthy container'
    const early = planService(s, [sick], nodes, T0 + 1000)
    expect(early.create).toEqual([])
    expect(early.wakeAt).toBe(T0 + 2000)
    expect(planService(s, [sick], nodes, T0 + 2000).create).toEqual([{ slot: 1 }])
  })
})

describe('a rolling update waits for health', () => {
  let stop: () => Promise<void> = async () => {}
  afterEach(() => stop())

  it('moves to the next slot only once the new task runs, and completes a Monitor after the last one ran', async () => {
    const store = new SqliteStore(':memory:')
    await store.create('node', node('n1'))
    const svc = service('web', { replicas: 2, image: 'v1' })
    svc.Spec.UpdateConfig = { Parallelism: 1, Monitor: 3e8, Order: 'start-first' }
    const loops = [new Orchestrator({ store, log: () => {} }), new Updater({ store, log: () => {} })]
    // The executor's part: new tasks start; image v1 runs at once, v2 waits in `starting` for its check (healthy set).
    const healthy = new Set<string>()
    let stopped = false
    const worker = (async () => {
      while (!stopped) {
        for (const t of await store.list<Task>('task')) {
          const wanted = t.DesiredState === 'running'
          const next = wanted && t.Status.State === 'pending' ? (t.Spec.ContainerSpec.Image === 'v1' ? 'running' : 'starting')
            : wanted && t.Status.State === 'starting' && healthy.has(t.ID) ? 'running'
              : !wanted && !isTerminal(t.Status.State) ? 'shutdown' : undefined
          if (next) await modify<Task>(store, 'task', t.ID, (x) => { x.NodeID = 'n1'; x.Status = { ...x.Status, State: next, Timestamp: new Date().toISOString() } })
        }
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
    loops.forEach((l) => l.start())
    stop = async () => {
      stopped = true
      await worker
      loops.forEach((l) => l.stop())
      await store.close()
    }
    await store.create('service', svc)
    const live = async () => (await store.list<Task>('task')).filter((t) => t.DesiredState === 'running')
    await until(async () => (await live()).filter((t) => t.Status.State === 'running').length === 2, '2 running')
    await modify<Service>(store, 'service', 'web', (s) => {
      s.PreviousSpec = structuredClone(s.Spec)
      s.Spec.TaskTemplate.ContainerSpec.Image = 'v2'
      s.UpdateStatus = { State: 'updating', StartedAt: new Date().toISOString(), Message: 'update in progress' }
    })
    const first = await until(async () => (await live()).find((t) => t.Spec.ContainerSpec.Image === 'v2' && t.Status.State === 'starting'), 'first new task starting')
    // Held: for 300 ms the old tasks run on and no second new task comes.
    const end = Date.now() + 300
    while (Date.now() < end) {
      const ts = await live()
      expect(ts.filter((t) => t.Spec.ContainerSpec.Image === 'v1' && t.Status.State === 'running')).toHaveLength(2)
      expect(ts.filter((t) => t.Spec.ContainerSpec.Image === 'v2').map((t) => t.ID)).toEqual([first.ID])
      await new Promise((r) => setTimeout(r, 20))
    }
    healthy.add(first.ID)
    const second = await until(async () => (await live()).find((t) => t.Spec.ContainerSpec.Image === 'v2' && t.ID !== first.ID), 'second new task')
    healthy.add(second.ID)
    const ranAt = await until(async () => {
      const t = await store.get<Task>('task', second.ID)
      return t?.Status.State === 'running' && Date.parse(t.Status.Timestamp)
    }, 'second running')
    await until(async () => (await store.get<Service>('service', 'web'))?.UpdateStatus?.State === 'completed', 'update completed', 5000)
    const done = Date.parse((await store.get<Service>('service', 'web'))!.UpdateStatus!.CompletedAt!)
    expect(done - ranAt).toBeGreaterThanOrEqual(300)
  })
})
