// The orchestrator's decision for one service, as a pure function: which
// tasks to create and which to stop, so that every slot has one live task
// (respecting the restart policy) and no slot beyond the replica count has any.
import { matchConstraints, parseConstraints } from '../scheduler/constraints.js'
import { isTerminal, type Node, type Service, type Task } from '../types/index.js'
import { endedByItself, restartAt } from './restart.js'
import { bySlot, isLive } from './slots.js'

export interface Plan {
  /** New tasks: by slot (replicated) or by node (global). */
  create: Array<{ slot?: number; nodeId?: string }>
  /** Tasks to stop (desired state shutdown), with why. */
  shutdown: Array<{ taskId: string; reason: string }>
  /** The earliest time (ms) a delayed restart falls due, so the loop wakes then. */
  wakeAt?: number
}

// A pass plans every service against the same node list: index it once, not once per service.
const nodeIndexes = new WeakMap<Node[], Map<string, Node>>()
function indexNodes(nodes: Node[]): Map<string, Node> {
  let index = nodeIndexes.get(nodes)
  if (!index || index.size !== nodes.length) nodeIndexes.set(nodes, (index = new Map(nodes.map((n) => [n.ID, n]))))
  return index
}

/** What it takes to bring one service's tasks in line with its spec (`nodes` is read, never changed). */
export function planService(service: Service, tasks: Task[], nodes: Node[], now: number): Plan {
  const plan: Plan = { create: [], shutdown: [] }
  const nodeById = indexNodes(nodes)
  const updating = service.UpdateStatus?.State === 'updating' || service.UpdateStatus?.State === 'rollback_started'
  const slots = bySlot(tasks)
  const wanted = wantedSlots(service, nodes)

  for (const [key, slotTasks] of slots) {
    const live = slotTasks.filter(isLive)
    if (!wanted.has(key)) {
      for (const t of live) plan.shutdown.push({ taskId: t.ID, reason: wantedReason(service, key) })
      continue
    }
    const gone = (t: Task) => {
      const node = t.NodeID ? nodeById.get(t.NodeID) : undefined
      if (t.NodeID && !node) return 'node removed'
      if (node?.Status.State === 'down') return 'node is down'
      if (node && node.Spec.Availability === 'drain') return 'node is drained'
      return isTerminal(t.Status.State) ? 'task ended' : undefined
    }
    for (const t of live) {
      const why = gone(t)
      if (why) plan.shutdown.push({ taskId: t.ID, reason: why })
    }
    const survivors = live.filter((t) => !gone(t))
    if (survivors.length > 1 && !updating) {
      // Two live tasks in a slot outside an update: keep the one furthest along.
      const [, ...extra] = [...survivors].sort((a, b) => rank(b) - rank(a))
      for (const t of extra) plan.shutdown.push({ taskId: t.ID, reason: 'duplicate in slot' })
    }
    if (survivors.length > 0) continue
    wanted.delete(key)
    decideReplacement(service, key, slotTasks, nodeById, now, plan)
  }
  // Slots with no task at all yet (new service, scale up, new node for a global service).
  for (const key of wanted) {
    if (slots.has(key)) continue
    const node = key.startsWith('node:') ? nodeById.get(key.slice(5)) : undefined
    if (node && (node.Spec.Availability !== 'active' || node.Status.State !== 'ready')) continue // no new global task there
    plan.create.push(where(key))
  }
  return plan
}

// A slot whose tasks are all stopped or stopping: replace now, later, or never.
function decideReplacement(service: Service, key: string, slotTasks: Task[], nodeById: Map<string, Node>, now: number, plan: Plan): void {
  const [newest, ...history] = slotTasks
  const node = newest.NodeID ? nodeById.get(newest.NodeID) : undefined
  const nodeLost = !!newest.NodeID && (!node || node.Status.State === 'down')
  const drained = node?.Spec.Availability === 'drain'
  // A task still stopping holds its slot (stop-first), unless its node is lost or drained.
  if (!isTerminal(newest.Status.State) && !nodeLost && !drained && newest.NodeID) return
  if (endedByItself(newest) && !nodeLost) {
    const at = restartAt(service.Spec.TaskTemplate.RestartPolicy, newest, history, now)
    if (at === undefined) return
    if (at > now) {
      plan.wakeAt = Math.min(plan.wakeAt ?? Infinity, at)
      return
    }
  }
  if (key.startsWith('node:') && nodeLost) return // a global task waits for its node
  plan.create.push(where(key))
}

function rank(t: Task): number {
  return t.Status.State === 'running' ? 2 : isTerminal(t.Status.State) ? 0 : 1
}

function where(key: string): { slot?: number; nodeId?: string } {
  return key.startsWith('node:') ? { nodeId: key.slice(5) } : { slot: Number(key) }
}

function wantedReason(service: Service, key: string): string {
  return key.startsWith('node:') ? 'node no longer eligible for the global service' : `scaled down to ${service.Spec.Mode?.Replicated?.Replicas ?? 1}`
}

/** The slots a service should have: 1..replicas, or one per eligible node. */
export function wantedSlots(service: Service, nodes: Node[]): Set<string> {
  if (service.Spec.Mode?.Global) {
    const constraints = parseConstraints(service.Spec.TaskTemplate.Placement?.Constraints ?? [])
    return new Set(nodes
      .filter((n) => n.Spec.Availability !== 'drain' && matchConstraints(constraints, n))
      .map((n) => `node:${n.ID}`))
  }
  const replicas = service.Spec.Mode?.Replicated?.Replicas ?? 1
  return new Set(Array.from({ length: replicas }, (_, i) => String(i + 1)))
}
