// Pending tasks that schedule alike (same service, placement, reservations
// and host ports) form a group, as swarmkit groups tasks by service and spec.
// A group runs the filters over every node once, for its first task; within
// one scheduleTasks call a node that fails them later keeps failing them
// (nodes only fill up), so the group drops it for good. The nodes left wait
// in a queue by rank (NodeQueue, or SpreadTree with spread preferences): a
// batch costs O(groups × nodes × log nodes), not O(tasks × nodes).
import { NodeQueue } from './node-queue.js'
import type { NodeInfo } from './nodeinfo.js'
import type { Pipeline } from './pipeline.js'
import { taskHostPorts, type SchedTask } from './sched-task.js'
import type { ServiceCounts } from './service-counts.js'
import type { SpreadGroups } from './spread.js'
import { SpreadTree } from './spread-tree.js'

/** What makes two pending tasks interchangeable for the scheduler. */
export function groupKey(st: SchedTask): string {
  const { ServiceID, Spec } = st.task
  return JSON.stringify([ServiceID, Spec.Placement, Spec.Resources?.Reservations, st.hostPorts ?? taskHostPorts(st.task)])
}

/** The nodes one group of tasks may still use, best first. */
export class TaskGroup {
  private readonly queue: NodeQueue | SpreadTree

  /** Runs the pipeline over every node for the group's first task. */
  constructor(
    private readonly infos: NodeInfo[],
    private readonly pipeline: Pipeline,
    readonly serviceId: string,
    first: SchedTask,
    counts: ServiceCounts,
    spread?: SpreadGroups,
  ) {
    pipeline.setTask(first)
    const members: number[] = []
    for (let i = 0; i < infos.length; i++) if (pipeline.process(infos[i])) members.push(i)
    const ofService = counts.of(serviceId)
    this.queue = spread ? new SpreadTree(infos, ofService, members, spread) : new NodeQueue(infos, ofService, members)
  }

  /** The best node that takes this task now (it is checked again), or -1 when none does. */
  pick(st: SchedTask): number {
    this.pipeline.setTask(st)
    for (;;) {
      const node = this.queue.next()
      if (node < 0) return -1
      if (this.pipeline.process(this.infos[node])) return node
      this.queue.drop(node)
    }
  }

  /** Tells the group a task of its service went to a node (by any group), for the spread counts. */
  noteTasks(node: number): void {
    this.queue.noteTasks(node)
  }
}
