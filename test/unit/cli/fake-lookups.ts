// A fake manager for CLI lookups: answers GETs from the captured API data, records every call.
import { ApiError, type RequestOptions } from '../../../src/lib/client/client.js'
import type { InfoGetter } from '../../../src/lib/cli/tasks.js'
import type { Node, Service, SystemInfo, Task } from '../../../src/lib/types/index.js'

export interface FakeData { services?: Service[]; tasks?: Task[]; nodes?: Node[]; selfId?: string }

/** Filters of a request, as sent. */
export const sentFilters = (opts?: RequestOptions): Record<string, Record<string, boolean>> =>
  JSON.parse(String(opts?.query?.filters ?? '{}'))

/**
 * GET /services, /tasks, /nodes (filters: id/name prefixes, service, node, desired-state),
 * /x/{id} by ID, ID prefix or name (services), /info. A miss is ApiError 404 "x y not found".
 */
export function fakeClient(data: FakeData): InfoGetter & { calls: Array<{ path: string; opts?: RequestOptions }> } {
  const calls: Array<{ path: string; opts?: RequestOptions }> = []
  const get = async <T>(path: string, opts?: RequestOptions): Promise<T> => {
    calls.push({ path, opts })
    const f = sentFilters(opts)
    const any = (key: string, match: (v: string) => boolean) => !f[key] || Object.keys(f[key]).some(match)
    const [, kind, id] = path.split('/').map(decodeURIComponent)
    if (kind === 'info') return { Swarm: { NodeID: data.selfId ?? '' } } as T
    const all = (kind === 'services' ? data.services : kind === 'tasks' ? data.tasks : data.nodes) ?? []
    if (id === undefined) {
      if (kind === 'services') {
        return (data.services ?? []).filter((s) => any('id', (v) => s.ID.startsWith(v)) && any('name', (v) => s.Spec.Name.startsWith(v))) as T
      }
      if (kind === 'tasks') {
        return (data.tasks ?? []).filter((t) => any('service', (v) => t.ServiceID === v) && any('node', (v) => t.NodeID === v) &&
          any('desired-state', (v) => t.DesiredState === v)) as T
      }
      return all as T
    }
    const found = all.find((o) => o.ID === id || (kind === 'services' && (o as Service).Spec.Name === id)) ??
      (all.filter((o) => o.ID.startsWith(id)).length === 1 ? all.find((o) => o.ID.startsWith(id)) : undefined)
    if (!found) throw new ApiError(`${kind.slice(0, -1)} ${id} not found`, 404)
    return found as T
  }
  const info = () => get<SystemInfo>('/info')
  return { get, info, calls } as InfoGetter & { calls: typeof calls }
}
