import type { NodeInfo } from '../nodeinfo.js'
import type { SchedTask } from '../sched-task.js'
import { nodeCount, type Filter } from './filter.js'

/** Passes nodes with enough unreserved CPU and memory for the task's reservations. */
export class ResourceFilter implements Filter {
  private nanoCPUs = 0
  private memoryBytes = 0

  /** Applies when the task reserves CPU or memory. */
  setTask({ task }: SchedTask): boolean {
    const r = task.Spec.Resources?.Reservations
    this.nanoCPUs = r?.NanoCPUs ?? 0
    this.memoryBytes = r?.MemoryBytes ?? 0
    return this.nanoCPUs > 0 || this.memoryBytes > 0
  }

  /** Whether the node's resources minus what its tasks reserve cover the task's reservations. */
  check(n: NodeInfo): boolean {
    return this.nanoCPUs <= n.availableNanoCPUs && this.memoryBytes <= n.availableMemoryBytes
  }

  /** "insufficient resources on N nodes". */
  explain(nodes: number): string {
    return `insufficient resources on ${nodeCount(nodes)}`
  }
}
