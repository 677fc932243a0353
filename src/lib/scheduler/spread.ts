// Placement preferences (`spread=node.labels.zone`): nodes grouped by the
// value of each descriptor in turn, so tasks spread over groups before nodes.
import type { PlacementPreference } from '../types/index.js'
import { attributeReader } from './constraints.js'
import type { NodeInfo } from './nodeinfo.js'

/** The node groups of a list of spread preferences, level by level. */
export class SpreadGroups {
  /** Per level, the group number of each node (by index in the node list). */
  private readonly groupOf: Int32Array[] = []
  private readonly groupCounts: number[] = []

  /**
   * Groups nodes by descriptor values; level l groups by the first l+1
   * values. A node lacking the label (or an unknown descriptor) gets '' and
   * so forms a group of its own, as in swarmkit.
   */
  constructor(infos: NodeInfo[], descriptors: string[]) {
    let previous = new Int32Array(infos.length)
    for (const descriptor of descriptors) {
      const ids = new Map<string, number>()
      const level = new Int32Array(infos.length)
      const read = attributeReader(descriptor) ?? (() => '')
      infos.forEach((info, i) => {
        const key = `${previous[i]}\0${read(info.node)}`
        let id = ids.get(key)
        if (id === undefined) ids.set(key, (id = ids.size))
        level[i] = id
      })
      this.groupOf.push(level)
      this.groupCounts.push(ids.size)
      previous = level
    }
  }

  /** The descriptors of a task's preferences ([] when it has none). */
  static descriptors(prefs: PlacementPreference[] | undefined): string[] {
    return (prefs ?? []).map((p) => p.Spread?.SpreadDescriptor ?? '').filter((d) => d !== '')
  }

  /** The group number of a node (by index) at a level. */
  group(level: number, node: number): number {
    return this.groupOf[level][node]
  }

  /** Zeroed per-group counters, one array per level. */
  newTotals(): Int32Array[] {
    return this.groupCounts.map((n) => new Int32Array(n))
  }

  /** Number of preference levels. */
  get levels(): number {
    return this.groupOf.length
  }
}
