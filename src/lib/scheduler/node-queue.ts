// The nodes one group of tasks may use, when the tasks have no placement
// preferences: a heap of node indices, fewest tasks of the service first,
// then fewest tasks, then the lowest node ID (the index: nodes come sorted).
import { MinHeap } from './heap.js'
import type { NodeInfo } from './nodeinfo.js'

/**
 * Ranks only grow within one scheduleTasks call (nodes fill up), so the rank
 * a node was queued at is a lower bound: a top whose rank moved is sifted
 * down at its real rank, and a top whose rank is current is the true best.
 * Each node is in the heap once: picking costs O(log nodes) amortised.
 */
export class NodeQueue {
  /** The ranks the heap was ordered by, per node index. */
  private readonly service: Int32Array
  private readonly total: Int32Array
  private readonly heap: MinHeap<number>

  /** `counts`: the service's active tasks per node index (ServiceCounts.of), kept current by the caller. */
  constructor(private readonly infos: NodeInfo[], private readonly counts: Int32Array, members: number[]) {
    const service = (this.service = new Int32Array(infos.length))
    const total = (this.total = new Int32Array(infos.length))
    for (const i of members) {
      service[i] = counts[i]
      total[i] = infos[i].activeTasks
    }
    this.heap = new MinHeap((a, b) => (service[a] !== service[b] ? service[a] < service[b] : total[a] !== total[b] ? total[a] < total[b] : a < b), members)
  }

  /** The best node still queued (it stays queued), or -1 when none is left. */
  next(): number {
    for (;;) {
      const top = this.heap.peek()
      if (top === undefined) return -1
      const service = this.counts[top]
      const total = this.infos[top].activeTasks
      if (service === this.service[top] && total === this.total[top]) return top
      this.service[top] = service
      this.total[top] = total
      this.heap.replaceTop(top)
    }
  }

  /** Drops the node next() returned last: it failed the group's filters, and will keep failing them. */
  drop(node: number): void {
    if (this.heap.peek() === node) this.heap.pop()
  }

  /** The spread counts are not kept here (no preferences). */
  noteTasks(): void {}
}
