import type { Node } from '../../types/index.js'
import { constraintMatcher, parseConstraints } from '../constraints.js'
import type { NodeInfo } from '../nodeinfo.js'
import type { SchedTask } from '../sched-task.js'
import { nodeCount, type Filter } from './filter.js'

/** Passes nodes that satisfy the task's placement constraints. */
export class ConstraintFilter implements Filter {
  private matches: (node: Node) => boolean = () => true
  // Tasks of one service share their constraints: parse each list once.
  private readonly parsed = new Map<string, ((node: Node) => boolean) | null>()

  /** Applies when the task has constraints that parse (the API rejects bad ones; swarmkit skips them here too). */
  setTask({ task }: SchedTask): boolean {
    const exprs = task.Spec.Placement?.Constraints ?? []
    if (exprs.length === 0) return false
    const cacheKey = exprs.join('\n')
    let matches = this.parsed.get(cacheKey)
    if (matches === undefined) {
      try { matches = constraintMatcher(parseConstraints(exprs)) } catch { matches = null }
      this.parsed.set(cacheKey, matches)
    }
    if (matches === null) return false
    this.matches = matches
    return true
  }

  /** Whether the node matches every constraint. */
  check(n: NodeInfo): boolean {
    return this.matches(n.node)
  }

  /** "scheduling constraints not satisfied on N nodes". */
  explain(nodes: number): string {
    return `scheduling constraints not satisfied on ${nodeCount(nodes)}`
  }
}
