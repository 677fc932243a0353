// Generic resources, swarmkit's accounting (design/generic_resources.md): a
// node advertises named resources (a GPU by its UUID) or a discrete count;
// a task reserves a count of a kind; the scheduler claims named ones by name
// (Task.AssignedGenericResources, which the executor hands to the container
// as DOCKER_RESOURCE_<KIND>). A node advertises them through its engine
// (dockerd --node-generic-resource, read from the engine's /info) or through
// a node label `tsw.generic-resource.<kind>=<count>|<name>,<name>…`, which
// replaces the engine's resources of that kind.
import type { GenericResource, Node, Task } from '../types/index.js'

/** The node label prefix that advertises generic resources. */
export const GENERIC_RESOURCE_LABEL = 'tsw.generic-resource.'

/** What a node has of one kind: a count, or the names of its named resources. */
export type NodeResource = { discrete: number } | { named: string[] }

/** A node's generic resources by kind: its engine's, then its labels' (which win per kind). */
export function nodeGenericResources(node: Node): Map<string, NodeResource> {
  const out = new Map<string, NodeResource>()
  for (const r of node.Description?.Resources?.GenericResources ?? []) {
    if (r.DiscreteResourceSpec) {
      const have = out.get(r.DiscreteResourceSpec.Kind)
      out.set(r.DiscreteResourceSpec.Kind, { discrete: (have && 'discrete' in have ? have.discrete : 0) + r.DiscreteResourceSpec.Value })
    } else if (r.NamedResourceSpec) {
      const have = out.get(r.NamedResourceSpec.Kind)
      out.set(r.NamedResourceSpec.Kind, { named: [...(have && 'named' in have ? have.named : []), r.NamedResourceSpec.Value] })
    }
  }
  for (const [key, value] of Object.entries(node.Spec?.Labels ?? {})) {
    if (!key.startsWith(GENERIC_RESOURCE_LABEL) || key.length === GENERIC_RESOURCE_LABEL.length) continue
    const kind = key.slice(GENERIC_RESOURCE_LABEL.length)
    out.set(kind, /^\d+$/.test(value.trim()) ? { discrete: Number(value) } : { named: value.split(',').map((v) => v.trim()).filter(Boolean) })
  }
  return out
}

/** The discrete counts a task reserves, by kind. */
export function requestedGenericResources(task: Task): Map<string, number> {
  const out = new Map<string, number>()
  for (const r of task.Spec.Resources?.Reservations?.GenericResources ?? []) {
    if (r.DiscreteResourceSpec) out.set(r.DiscreteResourceSpec.Kind, (out.get(r.DiscreteResourceSpec.Kind) ?? 0) + r.DiscreteResourceSpec.Value)
  }
  return out
}

/** What the tasks on a node hold: counts of discrete kinds, names of named ones. */
export class GenericUsage {
  private readonly counts = new Map<string, number>()
  private readonly names = new Map<string, Set<string>>()

  /** Accounts for a task's assigned resources (or, not yet assigned, its request). */
  add(task: Task): void {
    const assigned = task.AssignedGenericResources
    if (assigned?.length) return this.addAssigned(assigned)
    for (const [kind, n] of requestedGenericResources(task)) this.counts.set(kind, (this.counts.get(kind) ?? 0) + n)
  }

  /** Accounts for resources claimed for a task. */
  addAssigned(assigned: GenericResource[]): void {
    for (const r of assigned) {
      if (r.NamedResourceSpec) {
        const set = this.names.get(r.NamedResourceSpec.Kind) ?? new Set<string>()
        set.add(r.NamedResourceSpec.Value)
        this.names.set(r.NamedResourceSpec.Kind, set)
      } else if (r.DiscreteResourceSpec) {
        this.counts.set(r.DiscreteResourceSpec.Kind, (this.counts.get(r.DiscreteResourceSpec.Kind) ?? 0) + r.DiscreteResourceSpec.Value)
      }
    }
  }

  /**
   * The resources to give a task asking for `want` on a node that has
   * `have`, or undefined when the node has not enough of some kind left.
   */
  claim(have: Map<string, NodeResource>, want: Map<string, number>): GenericResource[] | undefined {
    const out: GenericResource[] = []
    for (const [kind, n] of want) {
      const res = have.get(kind)
      if (!res) return undefined
      if ('discrete' in res) {
        if (res.discrete - (this.counts.get(kind) ?? 0) < n) return undefined
        out.push({ DiscreteResourceSpec: { Kind: kind, Value: n } })
      } else {
        const used = this.names.get(kind) ?? new Set<string>()
        // A named kind asked for by count before it was claimed by name (an old task) takes any names.
        const free = res.named.filter((v) => !used.has(v)).slice(this.counts.get(kind) ?? 0)
        if (free.length < n) return undefined
        for (const v of free.slice(0, n)) out.push({ NamedResourceSpec: { Kind: kind, Value: v } })
      }
    }
    return out
  }
}
