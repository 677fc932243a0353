// The orchestrator's decision for a job (replicated-job or global-job), as a
// pure function, as swarmkit's jobs reconcilers: tasks run to completion and a
// task that completed is never replaced; a failed one is retried in its slot
// per the restart policy (on-failure unless the spec says otherwise). Only
// tasks of the current job iteration count: `service update` starts a new
// iteration and stops what is left of the old one.
import { matchConstraints, parseConstraints } from '../scheduler/constraints.js'
import { isTerminal, type Node, type RestartPolicy, type Service, type Task } from '../types/index.js'
import type { Plan } from './reconcile.js'
import { endedByItself, restartAt } from './restart.js'
import { bySlot } from './slots.js'

/** Whether a service is a job (replicated-job or global-job). */
export function isJob(service: Pick<Service, 'Spec'>): boolean {
  return !!(service.Spec.Mode?.ReplicatedJob || service.Spec.Mode?.GlobalJob)
}

/** The job iteration new tasks of a job belong to (0 before any update). */
export function jobIteration(service: Pick<Service, 'JobStatus'>): number {
  return service.JobStatus?.JobIteration.Index ?? 0
}

/** A job's restart policy: the spec's, its condition on-failure when unset (docker's default for jobs). */
export function jobRestartPolicy(service: Service): RestartPolicy {
  const policy = service.Spec.TaskTemplate.RestartPolicy
  return { ...policy, Condition: policy?.Condition ?? 'on-failure' }
}

/** What a slot (or node) of the current iteration holds. */
type SlotState = 'complete' | 'active' | 'given-up' | 'retry'

/** What it takes to move one job's tasks towards completion. */
export function planJob(service: Service, tasks: Task[], nodes: Node[], now: number): Plan {
  const plan: Plan = { create: [], shutdown: [] }
  const nodeById = new Map(nodes.map((n) => [n.ID, n]))
  const iteration = jobIteration(service)
  const current: Task[] = []
  for (const t of tasks) {
    if ((t.JobIteration?.Index ?? 0) === iteration) current.push(t)
    else if (t.DesiredState === 'complete' || t.DesiredState === 'running') {
      if (!isTerminal(t.Status.State)) plan.shutdown.push({ taskId: t.ID, reason: 'job iteration replaced' })
    }
  }
  const states = new Map<string, SlotState>()
  for (const [key, slotTasks] of bySlot(current)) states.set(key, slotState(service, slotTasks, nodeById, now, plan))

  const rj = service.Spec.Mode?.ReplicatedJob
  if (rj) {
    const total = rj.TotalCompletions ?? 1
    const max = rj.MaxConcurrent ?? 1
    const count = (s: SlotState) => [...states.values()].filter((x) => x === s).length
    let active = count('active') + count('retry')
    const completed = count('complete')
    // Failed tasks due for a retry go first (they are counted as active already), then new slots.
    for (const [key, s] of states) if (s === 'retry') plan.create.push({ slot: Number(key) })
    let room = Math.min(max - active, total - completed - active - count('given-up'))
    for (let slot = 0; slot < total && room > 0; slot++) {
      if (states.has(String(slot))) continue
      plan.create.push({ slot })
      room--
      active++
    }
    return plan
  }
  // Global job: one task per eligible node that has none in this iteration.
  const constraints = parseConstraints(service.Spec.TaskTemplate.Placement?.Constraints ?? [])
  for (const [key, s] of states) if (s === 'retry') plan.create.push({ nodeId: key.slice(5) })
  for (const n of nodes) {
    if (states.has(`node:${n.ID}`)) continue
    if (n.Spec.Availability !== 'active' || n.Status.State !== 'ready' || !matchConstraints(constraints, n)) continue
    plan.create.push({ nodeId: n.ID })
  }
  return plan
}

// The newest task of a slot decides: complete (done), still running or
// waiting out its restart delay (active), failed for good (given up), or due
// for a retry now. A task lost with its node is stopped and retried.
function slotState(service: Service, slotTasks: Task[], nodeById: Map<string, Node>, now: number, plan: Plan): SlotState {
  const [newest, ...history] = slotTasks
  if (newest.Status.State === 'complete') return 'complete'
  const node = newest.NodeID ? nodeById.get(newest.NodeID) : undefined
  const nodeLost = !!newest.NodeID && (!node || node.Status.State === 'down' || node.Spec.Availability === 'drain')
  const wanted = newest.DesiredState === 'complete' || newest.DesiredState === 'running'
  if (!isTerminal(newest.Status.State)) {
    if (!wanted) return 'active' // being stopped: holds its slot until it is
    if (!nodeLost) return 'active'
    plan.shutdown.push({ taskId: newest.ID, reason: node ? `node is ${node.Status.State === 'down' ? 'down' : 'drained'}` : 'node removed' })
    return newest.Slot === undefined ? 'given-up' : 'retry' // a global job's task waits for its node
  }
  if (wanted) plan.shutdown.push({ taskId: newest.ID, reason: 'task ended' })
  if (!endedByItself(newest)) return newest.Slot === undefined && nodeLost ? 'given-up' : 'retry'
  const at = restartAt(jobRestartPolicy(service), newest, history, now)
  if (at === undefined) return 'given-up'
  if (at > now) {
    plan.wakeAt = Math.min(plan.wakeAt ?? Infinity, at)
    return 'active'
  }
  return 'retry'
}
