import { requestedGenericResources } from '../generic-resources.js'
import type { NodeInfo } from '../nodeinfo.js'
import type { SchedTask } from '../sched-task.js'
import { nodeCount, type Filter } from './filter.js'

/** Passes nodes with enough unreserved CPU, memory and generic resources for the task's reservations. */
export class ResourceFilter implements Filter {
  private nanoCPUs = 0
  private memoryBytes = 0
  private generic = new Map<string, number>()

  /** Applies when the task reserves CPU, memory or generic resources. */
  setTask({ task }: SchedTask): boolean {
    const r = task.Spec.Resources?.Reservations
    this.nanoCPUs = r?.NanoCPUs ?? 0
    this.memoryBytes = r?.MemoryBytes ?? 0
    this.generic = requestedGenericResources(task)
    return this.nanoCPUs > 0 || this.memoryBytes > 0 || this.generic.size > 0
  }

  /** Whether the node's resources minus what its tasks reserve cover the task's reservations. */
  check(n: NodeInfo): boolean {
    return this.nanoCPUs <= n.availableNanoCPUs && this.memoryBytes <= n.availableMemoryBytes &&
      (this.generic.size === 0 || n.claimGeneric(this.generic) !== undefined)
  }

  /** "insufficient resources on N nodes". */
  explain(nodes: number): string {
    return `insufficient resources on ${nodeCount(nodes)}`
  }
}
