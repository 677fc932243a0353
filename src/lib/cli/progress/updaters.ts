// What to show for one look at a service and its tasks, per mode, as docker's
// replicatedProgressUpdater and globalProgressUpdater: one line per slot (or
// node) and an overall count; converged when every one of them runs.
import type { Service, Task } from '../../types/index.js'
import { LONGEST_STATE, MAX_PROGRESS, MAX_PROGRESS_BARS, rank, terminalState, truncateId, truncError } from './states.js'

/** One progress line: `id: action`, with a bar when current/total are set; `message` lines are printed once, not redrawn. */
export interface ProgressEvent {
  id: string
  action: string
  current?: number
  total?: number
  message?: boolean
}

export interface UpdateResult {
  events: ProgressEvent[]
  converged: boolean
}

export interface Updater {
  update(service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): UpdateResult
}

function overall(running: number, total: number, rollback: boolean): ProgressEvent {
  return { id: 'overall progress', action: `${rollback ? 'rolling back update: ' : ''}${running} out of ${total} tasks` }
}

/** The progress of one task: its error, or its state with a bar; undefined when it has stopped. */
function taskProgress(task: Task, id: string): ProgressEvent | undefined {
  if (task.Status.Err) return { id, action: truncError(task.Status.Err) }
  if (terminalState(task.DesiredState) || terminalState(task.Status.State)) return undefined
  return { id, action: task.Status.State.padEnd(LONGEST_STATE), current: rank(task.Status.State), total: MAX_PROGRESS }
}

/** Of several tasks in one slot (or on one node), the one that counts: lowest desired state, then lowest state. */
function preferred(existing: Task | undefined, task: Task): boolean {
  if (!existing) return true
  const [ed, td] = [rank(existing.DesiredState), rank(task.DesiredState)]
  if (ed < td) return false
  return !(ed === td && rank(existing.Status.State) <= rank(task.Status.State))
}

/** Tasks by slot for a replicated service; tasks on nodes that are down do not count. */
export function tasksBySlot(tasks: Task[], activeNodes: Set<string>): Map<number, Task> {
  const bySlot = new Map<number, Task>()
  for (const task of tasks) {
    if (!rank(task.DesiredState) || !rank(task.Status.State)) continue
    const slot = task.Slot ?? 0
    if (!preferred(bySlot.get(slot), task)) continue
    if (task.NodeID && !activeNodes.has(task.NodeID)) continue
    bySlot.set(slot, task)
  }
  return bySlot
}

/** Tasks by node for a global service. */
export function tasksByNode(tasks: Task[]): Map<string, Task> {
  const byNode = new Map<string, Task>()
  for (const task of tasks) {
    if (!rank(task.DesiredState) || !rank(task.Status.State)) continue
    const node = task.NodeID ?? ''
    if (preferred(byNode.get(node), task)) byNode.set(node, task)
  }
  return byNode
}

const isRunning = (t: Task) => !terminalState(t.DesiredState) && t.Status.State === 'running'

export class ReplicatedUpdater implements Updater {
  // Slots mapped onto 1..N so that the lines stay in order as tasks are replaced.
  private readonly slotMap = new Map<number, number>()
  private initialized = false
  private done = false

  update(service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): UpdateResult {
    const replicas = service.Spec.Mode?.Replicated?.Replicas ?? 0
    const events: ProgressEvent[] = []
    if (!this.initialized) {
      events.push(overall(0, replicas, rollback))
      if (replicas <= MAX_PROGRESS_BARS) for (let i = 1; i <= replicas; i++) events.push({ id: `${i}/${replicas}`, action: ' ' })
      this.initialized = true
    }
    const bySlot = [...tasksBySlot(tasks, activeNodes)].sort(([a], [b]) => a - b).map(([, t]) => t)
    if (this.done && bySlot.some((t) => t.Status.State !== 'running')) this.done = false
    let running = 0
    for (const task of bySlot) {
      const slot = task.Slot ?? 0
      if (!this.slotMap.has(slot)) this.slotMap.set(slot, this.slotMap.size + 1)
      const mapped = this.slotMap.get(slot)!
      if (isRunning(task)) running++
      if (this.done || replicas > MAX_PROGRESS_BARS || mapped > replicas) continue
      const ev = taskProgress(task, `${mapped}/${replicas}`)
      if (ev) events.push(ev)
    }
    if (!this.done) {
      events.push(overall(running, replicas, rollback))
      if (running === replicas) this.done = true
    }
    return { events, converged: running === replicas }
  }
}

export class GlobalUpdater implements Updater {
  private initialized = false
  private done = false

  update(_service: Service, tasks: Task[], activeNodes: Set<string>, rollback: boolean): UpdateResult {
    const byNode = tasksByNode(tasks)
    // The orchestrator makes the tasks of all eligible nodes at once, so they are all among the current ones.
    const nodeCount = byNode.size
    const events: ProgressEvent[] = []
    if (!this.initialized) {
      if (nodeCount === 0) return { events: [{ id: 'overall progress', action: 'waiting for new tasks' }], converged: false }
      events.push(overall(0, nodeCount, rollback))
      this.initialized = true
    }
    const nodes = [...byNode.values()].sort((a, b) => (a.NodeID ?? '').localeCompare(b.NodeID ?? ''))
    if (this.done && nodes.some((t) => t.Status.State !== 'running')) this.done = false
    let running = 0
    for (const task of nodes) {
      if (!activeNodes.has(task.NodeID ?? '')) continue
      if (isRunning(task)) running++
      if (this.done || nodeCount > MAX_PROGRESS_BARS) continue
      const ev = taskProgress(task, truncateId(task.NodeID ?? ''))
      if (ev) events.push(ev)
    }
    if (!this.done) {
      events.push(overall(running, nodeCount, rollback))
      if (running === nodeCount) this.done = true
    }
    return { events, converged: running === nodeCount }
  }
}

/** The updater for a service's mode. Throws Error for modes tsw does not know. */
export function makeUpdater(service: Service): Updater {
  if (service.Spec.Mode?.Replicated?.Replicas !== undefined) return new ReplicatedUpdater()
  if (service.Spec.Mode?.Global) return new GlobalUpdater()
  throw new Error('unrecognized service mode')
}
