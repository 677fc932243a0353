// The nodes one group of tasks may use, when the tasks have spread
// preferences: swarmkit's decision tree. Level l of the tree holds the
// preference groups of the first l+1 descriptors; a node's rank is the tasks
// of the service in its group at each level, then (as in NodeQueue) the
// service's tasks on the node, its total tasks, its index. Each branch keeps
// a heap of its children by their best rank, so a pick costs O(levels × log
// nodes) amortised instead of a scan over every node.
import { MinHeap } from './heap.js'
import type { NodeInfo } from './nodeinfo.js'
import type { SpreadGroups } from './spread.js'

/** A rank: tasks per group from the branch's level down, then service tasks, total tasks, node index. */
type Rank = number[]

function less(a: Rank, b: Rank): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i]
  return false
}

function same(a: Rank, b: Rank | undefined): boolean {
  if (!b) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Ranks only grow within one scheduleTasks call (groups and nodes fill up,
 * dropped nodes leave), so a queued rank is a lower bound at every level:
 * a stale top is sifted down at its real rank, a current one is the best.
 */
export class SpreadTree {
  /** Tasks of the service per group, level by level, over the nodes that first passed the filters. */
  private readonly totals: Int32Array[]
  private readonly member: Uint8Array
  private readonly dropped: Uint8Array
  /** Per depth, each branch's heap of children: depth 0 is the root (branch 0), depth d > 0 the groups of level d-1. */
  private readonly heaps: Array<Map<number, MinHeap<number>>> = []
  /** The rank each group of level l was queued at in its parent. */
  private readonly queued: Array<Map<number, Rank>> = []
  /** The ranks leaves were queued at, per node index. */
  private readonly service: Int32Array
  private readonly total: Int32Array

  constructor(
    private readonly infos: NodeInfo[],
    /** The service's active tasks per node index (ServiceCounts.of), kept current by the caller. */
    private readonly counts: Int32Array,
    members: number[],
    private readonly spread: SpreadGroups,
  ) {
    const levels = spread.levels
    this.totals = spread.newTotals()
    this.member = new Uint8Array(infos.length)
    this.dropped = new Uint8Array(infos.length)
    const service = (this.service = new Int32Array(infos.length))
    const total = (this.total = new Int32Array(infos.length))
    // children[d]: branch -> its children (groups of level d, or nodes at the last depth).
    const children = Array.from({ length: levels + 1 }, () => new Map<number, Set<number>>())
    for (const i of members) {
      this.member[i] = 1
      service[i] = counts[i]
      total[i] = infos[i].activeTasks
      this.noteTasks(i, service[i])
      for (let d = 0; d <= levels; d++) {
        const branch = d === 0 ? 0 : spread.group(d - 1, i)
        const child = d === levels ? i : spread.group(d, i)
        let set = children[d].get(branch)
        if (!set) children[d].set(branch, (set = new Set()))
        set.add(child)
      }
    }
    for (let d = 0; d <= levels; d++) {
      this.heaps.push(new Map())
      if (d < levels) this.queued.push(new Map())
    }
    // Bottom-up: a branch's heap needs its children's ranks.
    const leafLess = (a: number, b: number) => (service[a] !== service[b] ? service[a] < service[b] : total[a] !== total[b] ? total[a] < total[b] : a < b)
    for (let d = levels; d >= 0; d--) {
      const queued = this.queued[d]
      const order = d === levels ? leafLess : (a: number, b: number) => less(queued.get(a)!, queued.get(b)!)
      for (const [branch, set] of children[d]) {
        if (d < levels) for (const g of set) queued.set(g, [this.totals[d][g], ...this.best(d + 1, g)!])
        this.heaps[d].set(branch, new MinHeap(order, set))
      }
    }
  }

  /** The best node not dropped (it stays queued), or -1 when none is left. */
  next(): number {
    if (!this.best(0, 0)) return -1
    // best() left every top on the way down current: follow them.
    let branch = 0
    for (let d = 0; d < this.spread.levels; d++) branch = this.heaps[d].get(branch)!.peek()!
    return this.heaps[this.spread.levels].get(branch)!.peek()!
  }

  /** Drops a node: it failed the group's filters, and will keep failing them. */
  drop(node: number): void {
    this.dropped[node] = 1
  }

  /** Counts tasks of the service that went to a node (by any group), for the spread counts. */
  noteTasks(node: number, tasks = 1): void {
    if (!this.member[node] || tasks === 0) return
    for (let l = 0; l < this.totals.length; l++) this.totals[l][this.spread.group(l, node)] += tasks
  }

  // The current best rank under a branch (undefined when it has no node left), its heap's top made current.
  private best(depth: number, branch: number): Rank | undefined {
    const heap = this.heaps[depth].get(branch)
    if (!heap) return undefined
    const leaves = depth === this.spread.levels
    for (;;) {
      const top = heap.peek()
      if (top === undefined) return undefined
      if (leaves) {
        if (this.dropped[top]) {
          heap.pop()
          continue
        }
        const service = this.counts[top]
        const total = this.infos[top].activeTasks
        if (service === this.service[top] && total === this.total[top]) return [service, total, top]
        this.service[top] = service
        this.total[top] = total
        heap.replaceTop(top)
        continue
      }
      const below = this.best(depth + 1, top)
      if (!below) {
        heap.pop()
        continue
      }
      const rank = [this.totals[depth][top], ...below]
      if (same(rank, this.queued[depth].get(top))) return rank
      this.queued[depth].set(top, rank)
      heap.replaceTop(top)
    }
  }
}
