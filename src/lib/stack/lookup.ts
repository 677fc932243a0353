// A stack's objects as the manager lists them, by the namespace label: what
// stack ls/services/ps/rm and deploy read (docker/cli's getStackServices …).
import { ApiError, type ManagerClient } from '../client/client.js'
import type { Labels, Network, Service, Task } from '../types/index.js'
import { LABEL_NAMESPACE, stackFilter } from './names.js'

/** The client calls the stack commands make. */
export type StackClient = Pick<ManagerClient, 'get' | 'post' | 'delete'>

/** A secret or config as GET /secrets and GET /configs list it. */
export interface SwarmObject { ID: string; Version: { Index: number }; Spec: { Name: string; Labels?: Labels } }

/** The stack's services. */
export function stackServices(client: Pick<StackClient, 'get'>, stack: string): Promise<Service[]> {
  return client.get<Service[]>('/services', { query: { filters: stackFilter(stack) } })
}

/** The stack's networks. */
export function stackNetworks(client: Pick<StackClient, 'get'>, stack: string): Promise<Network[]> {
  return client.get<Network[]>('/networks', { query: { filters: stackFilter(stack) } })
}

/** The stack's secrets or configs (none from a manager that has no /secrets or /configs). */
export async function stackObjects(client: Pick<StackClient, 'get'>, kind: 'secret' | 'config', stack: string): Promise<SwarmObject[]> {
  try {
    return await client.get<SwarmObject[]>(`/${kind}s`, { query: { filters: stackFilter(stack) } })
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return []
    throw err
  }
}

/** The stack's tasks (the manager matches the label against each task's service). */
export function stackTasks(client: Pick<StackClient, 'get'>, stack: string, filters: Record<string, Record<string, boolean>> = {}): Promise<Task[]> {
  const f = { ...filters, label: { ...filters.label, [`${LABEL_NAMESPACE}=${stack}`]: true } }
  return client.get<Task[]>('/tasks', { query: { filters: JSON.stringify(f) } })
}

/** Every stack and how many services it has, sorted by name (stack ls). */
export async function listStacks(client: Pick<StackClient, 'get'>): Promise<Array<{ Name: string; Services: number }>> {
  const services = await client.get<Service[]>('/services', { query: { filters: JSON.stringify({ label: { [LABEL_NAMESPACE]: true } }) } })
  const counts = new Map<string, number>()
  for (const s of services) {
    const ns = s.Spec.Labels?.[LABEL_NAMESPACE]
    if (ns !== undefined) counts.set(ns, (counts.get(ns) ?? 0) + 1)
  }
  return [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([Name, Services]) => ({ Name, Services }))
}
