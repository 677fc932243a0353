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

  /**
   * For the given nodes, a function giving, per level, how many active tasks
   * of the service the node's group already runs (over those nodes only).
   */
  counter(infos: NodeInfo[], nodes: number[], serviceId: string): (node: number, level: number) => number {
    const totals = this.groupCounts.map((n) => new Int32Array(n))
    for (const i of nodes) {
      const tasks = infos[i].serviceTasks(serviceId)
      if (tasks === 0) continue
      for (let l = 0; l < totals.length; l++) totals[l][this.groupOf[l][i]] += tasks
    }
    return (node, level) => totals[level][this.groupOf[level][node]]
  }

  /** Number of preference levels. */
  get levels(): number {
    return this.groupOf.length
  }
}
