import type { NodeInfo } from '../nodeinfo.js'
import { nodeCount, type Filter } from './filter.js'

/** Passes nodes that are ready and active (not down, paused or drained). */
export class ReadyFilter implements Filter {
  /** Applies to every task. */
  setTask(): boolean {
    return true
  }

  /** Whether the node's status is ready and its availability active. */
  check(n: NodeInfo): boolean {
    return n.node.Status.State === 'ready' && n.node.Spec.Availability === 'active'
  }

  /** "N nodes not available for new tasks". */
  explain(nodes: number): string {
    return `${nodeCount(nodes)} not available for new tasks`
  }
}
