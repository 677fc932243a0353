// Large legal replica counts must not stall the control loop: a pass over a
// 20,000-replica service (no node to run it) is quick, before and after its
// tasks exist.
import { describe, expect, it } from 'vitest'
import { planService } from '../../../src/lib/orchestrator/reconcile.js'
import { Orchestrator } from '../../../src/lib/orchestrator/index.js'
import { SchedulerLoop } from '../../../src/lib/scheduler/loop.js'
import { SqliteStore } from '../../../src/lib/store/index.js'
import type { Task } from '../../../src/lib/types/index.js'
import { service, task, T0 } from './fixtures.js'

const N = 20_000

describe('a service of 20,000 replicas', () => {
  it('is planned in well under a second, with or without its tasks', () => {
    const svc = service('big', { replicas: N })
    let started = performance.now()
    const first = planService(svc, [], [], T0)
    expect(first.create).toHaveLength(N)
    const firstMs = performance.now() - started
    const tasks: Task[] = Array.from({ length: N }, (_, i) => task(svc, { slot: i + 1, state: 'pending' }))
    started = performance.now()
    const again = planService(svc, tasks, [], T0)
    const againMs = performance.now() - started
    expect(again.create).toHaveLength(0)
    expect(again.shutdown).toHaveLength(0)
    expect(firstMs).toBeLessThan(1000)
    expect(againMs).toBeLessThan(1000)
  })

  it('gets its tasks from the orchestrator, whose next pass is quick', async () => {
    const store = new SqliteStore(':memory:')
    const svc = service('big', { replicas: N })
    await store.create('service', svc)
    const orch = new Orchestrator({ store, log: () => {} })
    const started = performance.now()
    orch.start()
    try {
      const end = Date.now() + 60_000
      while ((await store.list<Task>('task')).length < N && Date.now() < end) await new Promise((r) => setTimeout(r, 200))
      const createdMs = performance.now() - started
      expect((await store.list<Task>('task')).length).toBe(N)
      // A pass with nothing to do: time it directly.
      const pass = (orch as unknown as { reconcileAll(): Promise<void> }).reconcileAll.bind(orch)
      const t0 = performance.now()
      await pass()
      const passMs = performance.now() - t0
      // The scheduler's pass over 20,000 pending tasks and no node.
      const schedule = (new SchedulerLoop({ store, log: () => {} }) as unknown as { scheduleAll(): Promise<void> })
      const t1 = performance.now()
      await schedule.scheduleAll() // writes each task's reason once
      const firstScheduleMs = performance.now() - t1
      const t2 = performance.now()
      await schedule.scheduleAll()
      const scheduleMs = performance.now() - t2
      console.log(`20k replicas: tasks created in ${Math.round(createdMs)} ms, an idle pass ${Math.round(passMs)} ms, scheduler passes ${Math.round(firstScheduleMs)} ms (first), ${Math.round(scheduleMs)} ms (next)`)
      expect(passMs).toBeLessThan(2000)
      expect(scheduleMs).toBeLessThan(2000)
    } finally {
      orch.stop()
      await store.close()
    }
  }, 90_000)
})
