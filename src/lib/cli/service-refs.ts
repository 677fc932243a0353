// Looking up services the way `service inspect` and `service logs` do.
import { ApiError } from '../client/client.js'
import { NotFoundError } from '../errors/index.js'
import type { Service } from '../types/index.js'
import type { Getter } from './tasks.js'

/** Whether err is the manager's 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404
}

/** The service a ref (ID, name or ID prefix) names, with defaults filled in. Throws NotFoundError "no such service: x". */
export async function inspectService(client: Getter, ref: string): Promise<Service> {
  try {
    return await client.get<Service>(`/services/${encodeURIComponent(ref)}`, { query: { insertDefaults: true } })
  } catch (err) {
    if (isNotFound(err)) throw new NotFoundError(`no such service: ${ref}`)
    throw err
  }
}

/** Names of the networks the services' tasks attach to, by ID; networks that cannot be read are left out. */
export async function networkNames(client: Getter, services: Service[]): Promise<Record<string, string>> {
  const targets = new Set(services.flatMap((s) => (s.Spec.TaskTemplate.Networks ?? []).map((n) => n.Target)))
  const out: Record<string, string> = {}
  await Promise.all([...targets].map(async (t) => {
    try {
      const nw = await client.get<{ ID: string; Name: string }>(`/networks/${encodeURIComponent(t)}`, { query: { scope: 'swarm' } })
      out[t] = nw.Name
    } catch { /* shown by ID */ }
  }))
  return out
}
