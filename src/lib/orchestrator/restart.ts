// The restart policy: whether a task that ended gets a replacement, and when.
import type { RestartPolicy, Task } from '../types/index.js'

/** Swarm's default restart delay (docker service create --restart-delay). */
export const DEFAULT_RESTART_DELAY_MS = 5000

/** Whether a task ended by itself (exited, failed, was rejected), as opposed to being stopped by the manager. */
export function endedByItself(task: Task): boolean {
  return ['complete', 'failed', 'rejected', 'orphaned'].includes(task.Status.State)
}

/**
 * For the newest task of a slot, which ended by itself: undefined when the
 * policy says no replacement, else the time (ms) from which one may start.
 * `history` holds the slot's earlier tasks, for MaxAttempts within Window.
 */
export function restartAt(policy: RestartPolicy | undefined, task: Task, history: Task[], now: number): number | undefined {
  const condition = policy?.Condition ?? 'any'
  if (condition === 'none') return undefined
  const exitedCleanly = task.Status.State === 'complete'
  if (condition === 'on-failure' && exitedCleanly) return undefined
  if (policy?.MaxAttempts) {
    const windowMs = (policy.Window ?? 0) / 1e6
    const attempts = [task, ...history].filter((t) => endedByItself(t) && (!windowMs || now - Date.parse(t.Status.Timestamp) <= windowMs)).length
    if (attempts > policy.MaxAttempts) return undefined
  }
  const delayMs = policy?.Delay !== undefined ? policy.Delay / 1e6 : DEFAULT_RESTART_DELAY_MS
  return Date.parse(task.Status.Timestamp) + delayMs
}
