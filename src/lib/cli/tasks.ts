// What `service ps`, `node ps` and `service ls` fetch: services named by the user, tasks by
// filter, and the names the task table shows (docker's createFilter, idresolver, AppendServiceStatus).
import type { ManagerClient } from '../client/client.js'
import { taskNames, type TaskNames } from '../format/tasks.js'
import type { Node, Service, Task } from '../types/index.js'
import { MultiError } from './errors.js'
import { filtersQuery } from './filters.js'
import { selfNodeId } from './nodes.js'

/** The part of ManagerClient these lookups use (so tests can pass a fake). */
export type Getter = Pick<ManagerClient, 'get'>

/** A Getter that also reads GET /info (for "self"). */
export type InfoGetter = Pick<ManagerClient, 'get' | 'info'>

/** Filters as the API takes them: {"desired-state": {"running": true}, "service": {"<id>": true}}. */
export type Filters = Record<string, Record<string, boolean>>

/** `--filter k=v` flags as Filters. Throws InvalidArgumentError on a value without "=". */
export function parseFilters(values: string[] | undefined): Filters {
  const q = filtersQuery(values)
  return q ? (JSON.parse(q) as Filters) : {}
}

/** The `filters` query parameter for Filters, or undefined when there are none. */
export function filtersParam(filters: Filters): string | undefined {
  return Object.keys(filters).length ? JSON.stringify(filters) : undefined
}

/** A copy of `filters` with key=value added. */
export function withFilter(filters: Filters, key: string, value: string): Filters {
  return { ...filters, [key]: { ...filters[key], [value]: true } }
}

/**
 * The service IDs that refs name, matched as docker does: full ID, then full name, then a unique
 * ID prefix. Refs that match nothing come back as "no such service: x" lines. Throws MultiError
 * when an ID prefix is ambiguous or when nothing matched at all.
 */
export async function resolveServiceRefs(client: Getter, refs: string[]): Promise<{ ids: string[]; notFound: string[] }> {
  const list = (key: string) => client.get<Service[]>('/services', { query: { filters: JSON.stringify({ [key]: Object.fromEntries(refs.map((r) => [r, true])) }) } })
  const [byId, byName] = await Promise.all([list('id'), list('name')])
  const ids: string[] = []
  const notFound: string[] = []
  for (const ref of refs) {
    const exact = byId.find((s) => s.ID === ref) ?? byName.find((s) => s.Spec.Name === ref)
    if (exact) {
      ids.push(exact.ID)
      continue
    }
    const prefixed = byId.filter((s) => s.ID.startsWith(ref))
    if (prefixed.length > 1) throw new MultiError([`multiple services found with provided prefix: ${ref}`])
    if (prefixed.length === 1) ids.push(prefixed[0].ID)
    else notFound.push(`no such service: ${ref}`)
  }
  if (!ids.length) throw new MultiError(notFound)
  return { ids, notFound }
}

/** Filters with `node=self` replaced by this manager's node ID (docker resolves only "self"). */
export async function resolveNodeFilter(client: InfoGetter, filters: Filters): Promise<Filters> {
  if (!filters.node?.self) return filters
  const { self: _self, ...rest } = filters.node
  return { ...filters, node: { ...rest, [await selfNodeId(client)]: true } }
}

/** GET /tasks with filters. */
export function listTasks(client: Getter, filters: Filters): Promise<Task[]> {
  return client.get<Task[]>('/tasks', { query: { filters: filtersParam(filters) } })
}

/** The names the task table shows: from GET /services and GET /nodes, or none at all with noResolve. */
export async function lookupTaskNames(client: Getter, noResolve = false): Promise<TaskNames> {
  if (noResolve) return taskNames([], [], true)
  const [services, nodes] = await Promise.all([client.get<Service[]>('/services'), client.get<Node[]>('/nodes')])
  return taskNames(services, nodes)
}

/**
 * Services with ServiceStatus filled in where the manager left it out (docker's AppendServiceStatus
 * for daemons older than API 1.41): desired = replicas (replicated) or tasks not meant to shut
 * down (global); running = running tasks on nodes that are not down.
 */
export async function appendServiceStatus(client: Getter, services: Service[]): Promise<Service[]> {
  const missing = services.filter((s) => !s.ServiceStatus && (s.Spec.Mode?.Replicated || s.Spec.Mode?.Global))
  if (!missing.length) return services
  const status = new Map(missing.map((s) => [s.ID, { RunningTasks: 0, DesiredTasks: 0, CompletedTasks: 0 }]))
  const filters: Filters = { service: Object.fromEntries(missing.map((s) => [s.ID, true])) }
  const tasks = await listTasks(client, filters)
  const out = services.map((s) => {
    if (!status.has(s.ID)) return s
    const desired = s.Spec.Mode?.Replicated ? s.Spec.Mode.Replicated.Replicas ?? 0 : 0
    return { ...s, ServiceStatus: { RunningTasks: 0, DesiredTasks: desired, CompletedTasks: 0 } }
  })
  if (!tasks.length) return out
  const nodes = await client.get<Node[]>('/nodes')
  const active = new Set(nodes.filter((n) => n.Status.State !== 'down').map((n) => n.ID))
  for (const t of tasks) {
    const st = status.get(t.ServiceID)
    if (!st) continue
    if (t.DesiredState !== 'shutdown') st.DesiredTasks++
    if (t.NodeID && active.has(t.NodeID) && t.Status.State === 'running') st.RunningTasks++
  }
  return out.map((s) => (status.has(s.ID) ? { ...s, ServiceStatus: status.get(s.ID)! } : s))
}
