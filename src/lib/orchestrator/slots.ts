// A service's tasks grouped by slot: replicated services number their slots
// 1..N, global ones have one slot per node.
import type { Task } from '../types/index.js'

/** The key of a task's slot: "1", "2"… or "node:<id>" for global tasks. */
export function slotKey(task: Task): string {
  return task.Slot !== undefined ? String(task.Slot) : `node:${task.NodeID ?? ''}`
}

/** Whether the manager still wants the task to run. */
export function isLive(task: Task): boolean {
  return task.DesiredState === 'running' || task.DesiredState === 'ready' || task.DesiredState === 'accepted'
}

/** Tasks grouped by slot, newest first within each. */
export function bySlot(tasks: Task[]): Map<string, Task[]> {
  const out = new Map<string, Task[]>()
  for (const t of tasks) {
    const key = slotKey(t)
    const list = out.get(key)
    if (list) list.push(t)
    else out.set(key, [t])
  }
  for (const list of out.values()) list.sort((a, b) => b.CreatedAt.localeCompare(a.CreatedAt) || b.Version.Index - a.Version.Index)
  return out
}
