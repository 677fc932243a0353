import type { NodeInfo } from '../nodeinfo.js'
import type { Placement } from '../../types/index.js'
import type { SchedTask } from '../sched-task.js'
import { nodeCount, type Filter } from './filter.js'

type Platform = NonNullable<Placement['Platforms']>[number]

// Engines say x86_64/aarch64 where images say amd64/arm64.
const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64' }
const arch = (a: string | undefined): string => (a ? ARCH_ALIASES[a] ?? a : '')

/** Passes nodes whose OS/architecture is among the task's Placement.Platforms. */
export class PlatformFilter implements Filter {
  private platforms: Platform[] = []

  /** Applies when the task lists platforms. */
  setTask({ task }: SchedTask): boolean {
    this.platforms = task.Spec.Placement?.Platforms ?? []
    return this.platforms.length > 0
  }

  /** Whether one listed platform matches the node (an empty OS or architecture matches any). */
  check(n: NodeInfo): boolean {
    const node = n.node.Description?.Platform
    if (!node) return false
    return this.platforms.some((p) =>
      (!p.Architecture || arch(p.Architecture) === arch(node.Architecture)) && (!p.OS || p.OS === node.OS))
  }

  /** "unsupported platform on N nodes". */
  explain(nodes: number): string {
    return `unsupported platform on ${nodeCount(nodes)}`
  }
}
