// Task listing for GET /tasks: docker's task filters.
import { isDirty } from '../orchestrator/task.js'
import type { Service, Task } from '../types/index.js'
import { matchLabels, passes, prefix, valuesOf } from '../filters/match.js'
import type { Filters } from '../filters/parse.js'

export const TASK_FILTERS = ['id', 'name', 'service', 'node', 'label', 'desired-state', '_up-to-date']

/** Tasks that pass every filter. `service` and `node` take IDs (names are resolved by `resolve`). */
export function filterTasks(tasks: Task[], filters: Filters, services: Service[], nodeIds: (ref: string) => string[]): Task[] {
  // Looked up once, not per task: 150k tasks against 1,000 services.
  const byId = new Map(services.map((s) => [s.ID, s]))
  const serviceIds = new Map(valuesOf(filters, 'service').map((ref) => [ref, new Set(services.filter((s) => s.ID === ref || s.Spec.Name === ref || s.ID.startsWith(ref)).map((s) => s.ID))]))
  const onNodes = new Map(valuesOf(filters, 'node').map((ref) => [ref, new Set(nodeIds(ref))]))
  const nameOf = (t: Task) => `${byId.get(t.ServiceID)?.Spec.Name ?? ''}.${t.Slot ?? t.NodeID}`
  // The docker CLI's progress display asks for tasks that run the service's current spec.
  const upToDate = (t: Task) => {
    const s = byId.get(t.ServiceID)
    return !!s && !isDirty(t, s)
  }
  const any = (name: string, test: (v: string) => boolean) => passes(filters, name, test)
  return tasks.filter((t) =>
    prefix(valuesOf(filters, 'id'), t.ID) &&
    prefix(valuesOf(filters, 'name'), nameOf(t)) &&
    any('service', (v) => serviceIds.get(v)!.has(t.ServiceID)) &&
    any('node', (v) => !!t.NodeID && onNodes.get(v)!.has(t.NodeID)) &&
    any('desired-state', (v) => t.DesiredState === v || (v === 'running' && t.DesiredState === 'ready')) &&
    any('_up-to-date', (v) => (v === 'true' || v === '1') === upToDate(t)) &&
    // swarmkit matches a task's `label` filter against its service's labels (docker stack ps relies on it).
    matchLabels(valuesOf(filters, 'label'), byId.get(t.ServiceID)?.Spec.Labels))
}
