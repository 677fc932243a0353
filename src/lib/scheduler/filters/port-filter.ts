import type { NodeInfo } from '../nodeinfo.js'
import { hostPortKey, taskHostPorts, type SchedTask } from '../sched-task.js'
import { nodeCount, type Filter } from './filter.js'

/** Passes nodes where none of the task's host-mode published ports is taken. */
export class PortFilter implements Filter {
  private keys: string[] = []

  /** Applies when the task publishes host-mode ports (SchedTask.hostPorts). */
  setTask(t: SchedTask): boolean {
    this.keys = (t.hostPorts ?? taskHostPorts(t.task)).map(hostPortKey)
    return this.keys.length > 0
  }

  /** Whether every port is free on the node. */
  check(n: NodeInfo): boolean {
    return this.keys.every((k) => !n.usedHostPorts.has(k))
  }

  /** "host-mode port already in use on N nodes". */
  explain(nodes: number): string {
    return `host-mode port already in use on ${nodeCount(nodes)}`
  }
}
