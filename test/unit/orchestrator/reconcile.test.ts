import { describe, expect, it } from 'vitest'
import { planService } from '../../../src/lib/orchestrator/reconcile.js'
import { node, service, T0, task } from './fixtures.js'

const nodes = [node('n1'), node('n2'), node('n3')]

describe('planService (replicated)', () => {
  it('creates a task for every empty slot', () => {
    const plan = planService(service('web', { replicas: 3 }), [], nodes, T0)
    expect(plan.create).toEqual([{ slot: 1 }, { slot: 2 }, { slot: 3 }])
    expect(plan.shutdown).toEqual([])
  })

  it('scales down by stopping the slots above the replica count', () => {
    const svc = service('web', { replicas: 1 })
    const tasks = [1, 2, 3].map((slot) => task(svc, { slot, node: 'n1' }))
    const plan = planService(svc, tasks, nodes, T0)
    expect(plan.create).toEqual([])
    expect(plan.shutdown.map((s) => s.taskId)).toEqual([tasks[1].ID, tasks[2].ID])
    expect(plan.shutdown[0].reason).toBe('scaled down to 1')
  })

  it('replaces a failed task only after the restart delay, waking the loop then', () => {
    const svc = service('web', { restart: { Condition: 'any', Delay: 2e9 } })
    const failed = task(svc, { slot: 1, node: 'n1', state: 'failed', desired: 'shutdown', at: T0 })
    expect(planService(svc, [failed], nodes, T0 + 1000)).toEqual({ create: [], shutdown: [], wakeAt: T0 + 2000 })
    expect(planService(svc, [failed], nodes, T0 + 2000).create).toEqual([{ slot: 1 }])
  })

  it('stops a task that ended but is still wanted, so its replacement can follow', () => {
    const svc = service('web')
    const done = task(svc, { slot: 1, node: 'n1', state: 'failed', desired: 'running' })
    const plan = planService(svc, [done], nodes, T0)
    expect(plan.shutdown).toEqual([{ taskId: done.ID, reason: 'task ended' }])
  })

  it('on-failure does not restart a task that exited 0; none restarts nothing', () => {
    const later = T0 + 60_000
    const onFailure = service('a', { restart: { Condition: 'on-failure', Delay: 0 } })
    expect(planService(onFailure, [task(onFailure, { slot: 1, node: 'n1', state: 'complete', desired: 'shutdown' })], nodes, later).create).toEqual([])
    expect(planService(onFailure, [task(onFailure, { slot: 1, node: 'n1', state: 'failed', desired: 'shutdown' })], nodes, later).create).toEqual([{ slot: 1 }])
    const none = service('b', { restart: { Condition: 'none' } })
    expect(planService(none, [task(none, { slot: 1, node: 'n1', state: 'failed', desired: 'shutdown' })], nodes, later).create).toEqual([])
  })

  it('gives up after MaxAttempts restarts within the window', () => {
    const svc = service('web', { restart: { Condition: 'any', Delay: 0, MaxAttempts: 2 } })
    const failures = [0, 1, 2].map((i) => task(svc, { slot: 1, node: 'n1', state: 'failed', desired: 'shutdown', at: T0 + i * 10 }))
    expect(planService(svc, failures.slice(0, 2), nodes, T0 + 100).create).toEqual([{ slot: 1 }])
    expect(planService(svc, failures, nodes, T0 + 100).create).toEqual([])
  })

  it('replaces tasks of a down node at once, without waiting for them to stop', () => {
    const down = [node('n1', { state: 'down' }), node('n2')]
    const svc = service('web')
    const t = task(svc, { slot: 1, node: 'n1' })
    const first = planService(svc, [t], down, T0)
    expect(first.shutdown).toEqual([{ taskId: t.ID, reason: 'node is down' }])
    expect(first.create).toEqual([{ slot: 1 }])
    // The stopping task (state still running, desired shutdown) does not hold the slot either.
    const stopping = { ...t, DesiredState: 'shutdown' as const }
    expect(planService(svc, [stopping], down, T0).create).toEqual([{ slot: 1 }])
  })

  it('a stop-first update: the slot waits for the old task to stop on a healthy node', () => {
    const svc = service('web')
    const stopping = task(svc, { slot: 1, node: 'n1', state: 'running', desired: 'shutdown' })
    expect(planService(svc, [stopping], nodes, T0).create).toEqual([])
    const stopped = { ...stopping, Status: { ...stopping.Status, State: 'shutdown' as const } }
    expect(planService(svc, [stopped], nodes, T0).create).toEqual([{ slot: 1 }])
  })

  it('keeps two live tasks in a slot during an update (start-first), not otherwise', () => {
    const updating = service('web', { update: { State: 'updating', Message: '' } })
    const two = [task(updating, { slot: 1, node: 'n1' }), task(updating, { slot: 1, node: 'n2', state: 'starting' })]
    expect(planService(updating, two, nodes, T0).shutdown).toEqual([])
    const idle = service('web')
    expect(planService(idle, two, nodes, T0).shutdown).toEqual([{ taskId: two[1].ID, reason: 'duplicate in slot' }])
  })
})

describe('planService (global)', () => {
  it('one task per active node; none new on a paused or down node; stop on a drained one', () => {
    const svc = service('agent', { global: true })
    const ns = [node('n1'), node('n2', { availability: 'pause' }), node('n3', { state: 'down' }), node('n4', { availability: 'drain' })]
    const onDrained = task(svc, { node: 'n4' })
    const plan = planService(svc, [onDrained], ns, T0)
    expect(plan.create).toEqual([{ nodeId: 'n1' }])
    expect(plan.shutdown).toEqual([{ taskId: onDrained.ID, reason: 'node no longer eligible for the global service' }])
  })

  it('a global task on a down node waits for its node', () => {
    const svc = service('agent', { global: true })
    const ns = [node('n1', { state: 'down' })]
    const t = task(svc, { node: 'n1' })
    const plan = planService(svc, [t], ns, T0)
    expect(plan.shutdown).toEqual([{ taskId: t.ID, reason: 'node is down' }])
    expect(plan.create).toEqual([])
  })
})
