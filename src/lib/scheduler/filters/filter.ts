// The three-method filter of swarmkit's manager/scheduler/filter.go.
import type { NodeInfo } from '../nodeinfo.js'
import type { SchedTask } from '../sched-task.js'

/** One check a node must pass to take a task. */
export interface Filter {
  /** Prepares the filter for a task; false when the filter does not apply to it (then check is not called). */
  setTask(task: SchedTask): boolean
  /** Whether the task set by setTask can go on the node. */
  check(node: NodeInfo): boolean
  /** What failing on `nodes` nodes means, in swarm's words (the `service ps` ERROR text). */
  explain(nodes: number): string
}

/** "1 node" or "N nodes", for explain texts. */
export function nodeCount(nodes: number): string {
  return nodes === 1 ? '1 node' : `${nodes} nodes`
}
