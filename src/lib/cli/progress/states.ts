// Task states as docker's progress display orders them (cli/command/service/progress).
import type { Service, Task } from '../../types/index.js'

/** Rank of each state: 1..9 up to running; above 9 a task has stopped. Unknown states rank 0 (ignored). */
export const NUMBERED_STATES: Readonly<Record<string, number>> = {
  new: 1, allocated: 2, pending: 3, assigned: 4, accepted: 5, preparing: 6, ready: 7, starting: 8, running: 9,
  complete: 10, shutdown: 11, failed: 12, rejected: 13,
}

/** Width states are padded to ("preparing"). */
export const LONGEST_STATE = 9
/** The rank of running: a progress bar's total. */
export const MAX_PROGRESS = 9
/** Above this many tasks, no per-task lines are drawn. */
export const MAX_PROGRESS_BARS = 20

export function rank(state: string): number {
  return NUMBERED_STATES[state] ?? 0
}

/** Whether a state is past running (complete, shutdown, failed, rejected). */
export function terminalState(state: string): boolean {
  return rank(state) > MAX_PROGRESS
}

/** An error on one line of at most 75 characters. */
export function truncError(msg: string): string {
  const one = msg.replace(/\n/g, ' ')
  return one.length > 75 ? one.slice(0, 74) + '…' : one
}

/** Docker's short ID: the first 12 characters. */
export function truncateId(id: string): string {
  const colon = id.indexOf(':')
  return (colon >= 0 ? id.slice(colon + 1) : id).slice(0, 12)
}

/** A JSON value with empty values (undefined, null, "", 0, false, [], {}) dropped and keys sorted. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(canonical).filter((x) => x !== undefined)
    return items.length ? items : undefined
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v).sort()) {
      const c = canonical((v as Record<string, unknown>)[k])
      if (c !== undefined) out[k] = c
    }
    return Object.keys(out).length ? out : undefined
  }
  return v === null || v === '' || v === 0 || v === false ? undefined : v
}

/**
 * Whether a task runs the service's current task template (what docker asks
 * the daemon for with the `_up-to-date` filter). Placement is left out: as in
 * swarm, changing it does not replace tasks that still fit.
 */
export function isUpToDate(task: Task, service: Service): boolean {
  if (!task.Spec) return true
  const strip = (spec: object) => JSON.stringify(canonical({ ...spec, Placement: undefined }) ?? {})
  return strip(task.Spec) === strip(service.Spec.TaskTemplate)
}
