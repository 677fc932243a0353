// The scheduler's decisions for one batch: which node each pending task goes
// to, or why none fits. Pure: the caller reads the store and writes results.
import type { GenericResource, Node, Task } from '../types/index.js'
import { requestedGenericResources } from './generic-resources.js'
import { isTerminal } from '../types/index.js'
import { NodeInfo } from './nodeinfo.js'
import { noSuitableNode, Pipeline } from './pipeline.js'
import { taskHostPorts, type HostPort, type SchedTask } from './sched-task.js'
import { SpreadGroups } from './spread.js'
import { groupKey, TaskGroup } from './task-group.js'

/** What scheduleTasks works from. */
export interface ScheduleInput {
  nodes: Node[]
  /** Every non-terminal task in the cluster, assigned ones included: they take counts, resources and ports. */
  tasks: Task[]
  /** Tasks to place, in order; ones with a NodeID (global services) are only checked against that node. */
  pending: SchedTask[]
  /** The host ports an existing task holds; default taskHostPorts (task.HostPorts, else its PortStatus). */
  portsOf?: (task: Task) => HostPort[]
}

/** The decisions: assignments, and the `service ps` ERROR text for tasks left pending. */
export interface ScheduleResult {
  /** genericResources: what the node gives the task of the generic resources it reserves. */
  assigned: Array<{ taskId: string; nodeId: string; genericResources?: GenericResource[] }>
  unassigned: Array<{ taskId: string; reason: string }>
}

/**
 * Places pending tasks swarmkit-style: among nodes passing every filter,
 * spread over placement-preference groups first, then prefer the fewest
 * tasks of the service, then the fewest tasks, then the lowest node ID.
 * Each decision counts for the next.
 */
export function scheduleTasks(input: ScheduleInput): ScheduleResult {
  const infos = [...input.nodes].sort((a, b) => (a.ID < b.ID ? -1 : a.ID > b.ID ? 1 : 0)).map((n) => new NodeInfo(n))
  const byId = new Map(infos.map((info, i) => [info.node.ID, i]))
  const portsOf = input.portsOf ?? taskHostPorts
  const pendingIds = new Set(input.pending.map((p) => p.task.ID))
  for (const t of input.tasks) {
    if (!t.NodeID || pendingIds.has(t.ID) || isTerminal(t.Status.State)) continue
    const i = byId.get(t.NodeID)
    if (i !== undefined) infos[i].addTask(t, portsOf(t))
  }

  const pipeline = new Pipeline()
  const result: ScheduleResult = { assigned: [], unassigned: [] }
  const groups = new Map<string, TaskGroup>()
  const place = (st: SchedTask, i: number): void => {
    const want = requestedGenericResources(st.task)
    // The resource filter passed this node, so the claim succeeds.
    const genericResources = want.size ? infos[i].claimGeneric(want) : undefined
    infos[i].addTask(st.task, st.hostPorts ?? taskHostPorts(st.task), genericResources)
    result.assigned.push({ taskId: st.task.ID, nodeId: infos[i].node.ID, ...(genericResources ? { genericResources } : {}) })
    for (const g of groups.values()) if (g.serviceId === st.task.ServiceID) g.noteTasks(i)
  }

  // Preassigned tasks first, as swarmkit does: they have no other choice.
  for (const st of input.pending) {
    const nodeId = st.task.NodeID
    if (!nodeId) continue
    const i = byId.get(nodeId)
    if (i === undefined) {
      result.unassigned.push({ taskId: st.task.ID, reason: `node ${nodeId} is not in the swarm` })
      continue
    }
    pipeline.setTask(st)
    if (pipeline.process(infos[i])) place(st, i)
    else result.unassigned.push({ taskId: st.task.ID, reason: pipeline.explain() })
  }

  const spreads = new Map<string, SpreadGroups>()
  // The last failure's text stays true until something is placed.
  let lastFailure: { key: string; placed: number; reason: string } | undefined
  for (const st of input.pending) {
    if (st.task.NodeID) continue
    const key = groupKey(st)
    let group = groups.get(key)
    if (!group) groups.set(key, (group = new TaskGroup(infos, pipeline, st.task.ServiceID, st, spreadOf(st, infos, spreads))))
    const i = group.pick(st)
    if (i >= 0) {
      place(st, i)
      continue
    }
    if (lastFailure?.key !== key || lastFailure.placed !== result.assigned.length) {
      // Explain from a full pass, as if this task were scheduled alone.
      pipeline.setTask(st)
      for (const info of infos) pipeline.process(info)
      lastFailure = { key, placed: result.assigned.length, reason: noSuitableNode(pipeline.explain()) }
    }
    result.unassigned.push({ taskId: st.task.ID, reason: lastFailure.reason })
  }
  return result
}

/** The (shared) preference groups of a task, or undefined when it has no preferences. */
function spreadOf(st: SchedTask, infos: NodeInfo[], cache: Map<string, SpreadGroups>): SpreadGroups | undefined {
  const descriptors = SpreadGroups.descriptors(st.task.Spec.Placement?.Preferences)
  if (descriptors.length === 0) return undefined
  const key = descriptors.join('\n')
  let spread = cache.get(key)
  if (!spread) cache.set(key, (spread = new SpreadGroups(infos, descriptors)))
  return spread
}
