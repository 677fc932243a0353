// Active tasks of each service per node, by node index: what the node queues
// rank by, read from a typed array instead of a map lookup per node and task.
/** Per service, its active tasks on each node (by the node's index in scheduleTasks' sorted list). */
export class ServiceCounts {
  private readonly byService = new Map<string, Int32Array>()

  constructor(private readonly nodes: number) {}

  /** The service's counts by node index; live: later tasks show in it. */
  of(serviceId: string): Int32Array {
    let counts = this.byService.get(serviceId)
    if (!counts) this.byService.set(serviceId, (counts = new Int32Array(this.nodes)))
    return counts
  }

  /** Counts one more active task of a service on a node. */
  add(serviceId: string, node: number): void {
    this.of(serviceId)[node]++
  }
}
