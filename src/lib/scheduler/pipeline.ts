// Runs the filters over nodes for one task and explains failures, as
// swarmkit's manager/scheduler/pipeline.go does.
import { defaultFilters, type Filter } from './filters/index.js'
import type { NodeInfo } from './nodeinfo.js'
import type { SchedTask } from './sched-task.js'

interface Entry {
  filter: Filter
  /** Nodes this filter was the first to reject since setTask. */
  failures: number
}

/** A chain of filters with per-filter failure counts. */
export class Pipeline {
  private readonly entries: Entry[]
  /** The entries whose filter applies to the current task, in order. */
  private enabled: Entry[] = []

  constructor(filters: Filter[] = defaultFilters()) {
    this.entries = filters.map((filter) => ({ filter, failures: 0 }))
  }

  /** Sets the task the next process() calls check, and clears the counts. */
  setTask(task: SchedTask): void {
    for (const e of this.entries) e.failures = 0
    this.enabled = this.entries.filter((e) => e.filter.setTask(task))
  }

  /** Whether the node passes every enabled filter; the first failing filter is charged. */
  process(node: NodeInfo): boolean {
    for (const e of this.enabled) {
      if (!e.filter.check(node)) {
        e.failures++
        return false
      }
    }
    return true
  }

  /**
   * Why nodes were rejected: "insufficient resources on 2 nodes; 1 node not
   * available for new tasks", most failures first (ties in filter order);
   * '' when nothing failed.
   */
  explain(): string {
    return this.entries
      .filter((e) => e.failures > 0)
      .sort((a, b) => b.failures - a.failures)
      .map((e) => e.filter.explain(e.failures))
      .join('; ')
  }
}

/** The `service ps` ERROR text for a task no node fits: "no suitable node (…)". */
export function noSuitableNode(explanation: string): string {
  return explanation ? `no suitable node (${explanation})` : 'no suitable node'
}
