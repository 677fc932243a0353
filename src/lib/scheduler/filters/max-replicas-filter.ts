import type { NodeInfo } from '../nodeinfo.js'
import type { SchedTask } from '../sched-task.js'
import type { Filter } from './filter.js'

/** Passes nodes running fewer than Placement.MaxReplicas tasks of the task's service. */
export class MaxReplicasFilter implements Filter {
  private serviceId = ''
  private max = 0

  /** Applies when the task sets MaxReplicas > 0. */
  setTask({ task }: SchedTask): boolean {
    this.serviceId = task.ServiceID
    this.max = task.Spec.Placement?.MaxReplicas ?? 0
    return this.max > 0
  }

  /** Whether the node's active tasks of the service stay below the limit. */
  check(n: NodeInfo): boolean {
    return n.serviceTasks(this.serviceId) < this.max
  }

  /** "max replicas per node limit exceed" (swarm's wording, without a count). */
  explain(): string {
    return 'max replicas per node limit exceed'
  }
}
