// The orchestrator's decisions for jobs (replicated-job, global-job): pure
// planJob cases, then the orchestrator and scheduler loops on an in-memory
// store with the test playing the executor (tasks complete or fail).
import { afterEach, describe, expect, it } from 'vitest'
import { Orchestrator, planJob } from '../../../src/lib/orchestrator/index.js'
import { SchedulerLoop } from '../../../src/lib/scheduler/loop.js'
import { modify, SqliteStore } from '../../../src/lib/store/index.js'
import type { Service, Task, TaskState } from '../../../src/lib/types/index.js'
import { iso, node, service, T0, task } from './fixtures.js'

function job(id: string, total: number, concurrent: number, opts: { restart?: Service['Spec']['TaskTemplate']['RestartPolicy']; iteration?: number } = {}): Service {
  const s = service(id, { restart: opts.restart })
  s.Spec.Mode = { ReplicatedJob: { TotalCompletions: total, MaxConcurrent: concurrent } }
  s.JobStatus = { JobIteration: { Index: opts.iteration ?? 0 } }
  return s
}

function jobTask(s: Service, slot: number, state: TaskState, opts: { at?: number; iteration?: number; desired?: TaskState; node?: string } = {}): Task {
  const t = task(s, { slot, state, desired: opts.desired ?? 'complete', at: opts.at, node: opts.node ?? 'n1' })
  t.JobIteration = { Index: opts.iteration ?? 0 }
  return t
}

describe('planJob: replicated job', () => {
  const nodes = [node('n1')]

  it('starts MaxConcurrent tasks in slots 0.. when nothing ran yet', () => {
    expect(planJob(job('j', 5, 2), [], nodes, T0).create).toEqual([{ slot: 0 }, { slot: 1 }])
  })

  it('never has more than MaxConcurrent active, and stops creating at TotalCompletions', () => {
    const s = job('j', 5, 2)
    // Two done, one running: one more may start, in the first free slot.
    const tasks = [jobTask(s, 0, 'complete'), jobTask(s, 1, 'complete'), jobTask(s, 2, 'running')]
    expect(planJob(s, tasks, nodes, T0).create).toEqual([{ slot: 3 }])
    const four = [...tasks, jobTask(s, 3, 'complete'), jobTask(s, 4, 'running')]
    expect(planJob(s, four, nodes, T0).create).toEqual([])
    const done = [0, 1, 2, 3, 4].map((i) => jobTask(s, i, 'complete'))
    expect(planJob(s, done, nodes, T0)).toEqual({ create: [], shutdown: [] })
  })

  it('does not restart a task that completed, whatever the restart condition', () => {
    const s = job('j', 1, 1, { restart: { Condition: 'any', Delay: 0 } })
    expect(planJob(s, [jobTask(s, 0, 'complete', { at: T0 - 60_000 })], nodes, T0).create).toEqual([])
  })

  it('retries a failed task in its slot after the restart delay (on-failure by default)', () => {
    const s = job('j', 2, 1)
    const failed = jobTask(s, 0, 'failed', { at: T0 })
    const early = planJob(s, [failed], nodes, T0 + 1000)
    // Waiting out the default 5 s delay, the failed slot holds the one concurrent place.
    expect(early.create).toEqual([])
    expect(early.shutdown).toEqual([{ taskId: failed.ID, reason: 'task ended' }])
    expect(early.wakeAt).toBe(T0 + 5000)
    expect(planJob(s, [failed], nodes, T0 + 5000).create).toEqual([{ slot: 0 }])
  })

  it('gives up on a slot past MaxAttempts, or with condition none', () => {
    const s = job('j', 1, 1, { restart: { Condition: 'on-failure', Delay: 0, MaxAttempts: 1 } })
    const first = jobTask(s, 0, 'failed', { at: T0, desired: 'shutdown' })
    const second = jobTask(s, 0, 'failed', { at: T0 + 10 })
    expect(planJob(s, [first], nodes, T0 + 100).create).toEqual([{ slot: 0 }])
    expect(planJob(s, [second, first], nodes, T0 + 100).create).toEqual([])
    const none = job('k', 1, 1, { restart: { Condition: 'none' } })
    expect(planJob(none, [jobTask(none, 0, 'failed')], nodes, T0 + 60_000).create).toEqual([])
  })

  it('a new iteration stops what is left of the old one and runs every slot again', () => {
    const s = job('j', 2, 2, { iteration: 1 })
    const old = [jobTask(s, 0, 'complete'), jobTask(s, 1, 'running')]
    const plan = planJob(s, old, nodes, T0)
    expect(plan.shutdown).toEqual([{ taskId: old[1].ID, reason: 'job iteration replaced' }])
    expect(plan.create).toEqual([{ slot: 0 }, { slot: 1 }])
  })

  it('replaces a task whose node went down', () => {
    const s = job('j', 1, 1)
    const t = jobTask(s, 0, 'running', { node: 'n2' })
    const plan = planJob(s, [t], [node('n1'), node('n2', { state: 'down' })], T0)
    expect(plan.shutdown).toEqual([{ taskId: t.ID, reason: 'node is down' }])
    expect(plan.create).toEqual([{ slot: 0 }])
  })
})

describe('planJob: global job', () => {
  it('runs one task per eligible node, once, including nodes that join later', () => {
    const s = service('g')
    s.Spec.Mode = { GlobalJob: {} }
    const nodes = [node('n1'), node('n2'), node('n3', { availability: 'drain' })]
    expect(planJob(s, [], nodes, T0).create).toEqual([{ nodeId: 'n1' }, { nodeId: 'n2' }])
    const t1 = task(s, { node: 'n1', state: 'complete', desired: 'complete' })
    const t2 = task(s, { node: 'n2', state: 'running', desired: 'complete' })
    expect(planJob(s, [t1, t2], nodes, T0).create).toEqual([])
    expect(planJob(s, [t1, t2], [...nodes, node('n4')], T0).create).toEqual([{ nodeId: 'n4' }])
  })
})

describe('a replicated job on the orchestrator and scheduler loops', () => {
  let stop: () => Promise<void> = async () => {}
  afterEach(() => stop())

  it('runs 5 completions, at most 2 at once, each task created for the current iteration with desired state complete', async () => {
    const store = new SqliteStore(':memory:')
    await store.create('node', node('n1'))
    const loops = [new Orchestrator({ store, log: () => {} }), new SchedulerLoop({ store, log: () => {} })]
    loops.forEach((l) => l.start())
    stop = async () => {
      loops.forEach((l) => l.stop())
      await store.close()
    }
    const s = job('j', 5, 2)
    delete s.JobStatus
    await store.create('service', s)
    let maxActive = 0
    const end = Date.now() + 10_000
    for (;;) {
      const tasks = await store.list<Task>('task')
      const active = tasks.filter((t) => t.Status.State !== 'complete')
      maxActive = Math.max(maxActive, active.length)
      if (tasks.filter((t) => t.Status.State === 'complete').length === 5) break
      if (Date.now() > end) throw new Error(`job did not complete: ${JSON.stringify(tasks.map((t) => [t.Slot, t.Status.State]))}`)
      // Play the executor: an assigned task runs to completion.
      for (const t of active.filter((x) => x.Status.State === 'assigned')) {
        expect(t.DesiredState).toBe('complete')
        expect(t.JobIteration).toEqual({ Index: 0 })
        await modify<Task>(store, 'task', t.ID, (x) => { x.Status = { ...x.Status, State: 'complete', Timestamp: iso(Date.now()) } })
      }
      await new Promise((r) => setTimeout(r, 10))
    }
    const tasks = await store.list<Task>('task')
    expect(maxActive).toBeLessThanOrEqual(2)
    expect(tasks.map((t) => t.Slot).sort()).toEqual([0, 1, 2, 3, 4])
  })
})
