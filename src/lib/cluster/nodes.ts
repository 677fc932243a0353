// Node operations of the cluster API: find by ID, prefix or hostname; list
// with filters; update with optimistic concurrency; remove.
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../errors/index.js'
import type { Store } from '../store/index.js'
import type { Node, NodeSpec } from '../types/index.js'
import { revokeAdminCertsIssuedBy } from './admin-certs.js'
import { exact, matchLabels, passes, prefix, valuesOf } from '../filters/match.js'
import type { Filters } from '../filters/parse.js'

export const NODE_FILTERS = ['id', 'name', 'role', 'membership', 'label', 'node.label']

/** The node named by full ID, hostname, or unique ID prefix. Throws NotFoundError or an ambiguity error. */
export async function resolveNode(store: Store, ref: string): Promise<Node> {
  const nodes = await store.list<Node>('node')
  const exact = nodes.find((n) => n.ID === ref)
  if (exact) return exact
  const named = nodes.filter((n) => (n.Spec.Name ?? n.Description.Hostname) === ref)
  if (named.length === 1) return named[0]
  const prefixed = nodes.filter((n) => ref.length > 0 && n.ID.startsWith(ref))
  if (prefixed.length === 1) return prefixed[0]
  const matches = Math.max(named.length, prefixed.length)
  if (matches > 1) throw new NotFoundError(`node ${ref} is ambiguous (${matches} matches found)`)
  throw new NotFoundError(`node ${ref} not found`)
}

/** Nodes that pass every filter (values of one filter are alternatives). */
export function filterNodes(nodes: Node[], filters: Filters): Node[] {
  const any = (name: string, test: (v: string) => boolean) => passes(filters, name, test)
  return nodes.filter((n) =>
    prefix(valuesOf(filters, 'id'), n.ID) &&
    any('name', (v) => (n.Spec.Name ?? n.Description.Hostname).startsWith(v) || n.Description.Hostname.startsWith(v)) &&
    exact(valuesOf(filters, 'role'), n.Spec.Role) &&
    any('membership', (v) => v === 'accepted') &&
    matchLabels(valuesOf(filters, 'label'), n.Description.Engine.Labels) &&
    matchLabels(valuesOf(filters, 'node.label'), n.Spec.Labels),
  )
}

/** Checks a NodeSpec sent by a client; returns it normalised. Throws InvalidArgumentError. */
export function validateNodeSpec(spec: unknown): NodeSpec {
  if (!spec || typeof spec !== 'object') throw new InvalidArgumentError('node spec must be a JSON object')
  const s = spec as Partial<NodeSpec>
  const role = s.Role ?? 'worker'
  if (role !== 'worker' && role !== 'manager') throw new InvalidArgumentError(`invalid role "${String(role)}": use worker or manager`)
  const availability = s.Availability ?? 'active'
  if (!['active', 'pause', 'drain'].includes(availability)) {
    throw new InvalidArgumentError(`invalid Availability: "${String(availability)}": use active, pause or drain`)
  }
  const labels = s.Labels ?? {}
  if (typeof labels !== 'object' || Object.values(labels).some((v) => typeof v !== 'string')) {
    throw new InvalidArgumentError('node labels must be an object of strings')
  }
  return { ...(s.Name ? { Name: s.Name } : {}), Labels: { ...labels }, Role: role, Availability: availability }
}

/** Parses the `version` query parameter as dockerd does. */
export function parseVersion(raw: string | null, what: string): number {
  const v = Number(raw ?? '')
  if (raw === null || raw === '' || !Number.isInteger(v) || v < 0) {
    throw new InvalidArgumentError(`invalid ${what} version '${raw ?? ''}': a version number is required (read it from inspect's Version.Index)`)
  }
  return v
}

/**
 * Applies a new spec to a node at `version`. Refuses to demote the last
 * manager, and the leader when no other manager can take over (`handOver`).
 */
export async function updateNode(
  store: Store, id: string, version: number, spec: NodeSpec, managerAddr: (n: Node) => string, handOver: boolean, isLeader: boolean,
): Promise<Node> {
  const node = await store.get<Node>('node', id)
  if (!node) throw new NotFoundError(`node ${id} not found`)
  if (node.Spec.Role === 'manager' && spec.Role === 'worker') {
    const managers = (await store.list<Node>('node')).filter((n) => n.Spec.Role === 'manager')
    if (managers.length <= 1) throw new FailedPreconditionError('attempting to demote the last manager of the swarm')
    if (isLeader && !handOver) {
      throw new FailedPreconditionError(`node ${id} is the leader and no other manager runs to take over: start another manager first (a swarm on etcd: tsw swarm join --token <manager token> on another host)`)
    }
  }
  const next: Node = { ...node, Spec: spec }
  if (spec.Role === 'manager' && !node.ManagerStatus) next.ManagerStatus = { Reachability: 'unreachable', Addr: managerAddr(node) }
  if (spec.Role === 'worker') delete next.ManagerStatus
  return store.update('node', next, version)
}

/** Removes a node: it must be down (or `force`) and not a manager. */
export async function removeNode(store: Store, id: string, force: boolean): Promise<void> {
  const node = await store.get<Node>('node', id)
  if (!node) throw new NotFoundError(`node ${id} not found`)
  if (node.Spec.Role === 'manager') {
    throw new FailedPreconditionError(`node ${id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`)
  }
  if (!force && node.Status.State !== 'down') {
    throw new FailedPreconditionError(`node ${id} is not down and can't be removed`)
  }
  await store.delete('node', id)
  await store.delete('engine', id)
  // The admin bundles its manager issued (its host's) go with it.
  await revokeAdminCertsIssuedBy(store, id)
}
