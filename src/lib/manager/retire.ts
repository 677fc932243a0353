// A manager whose node is demoted (or removed) stops being one: it leaves the
// election, stops, and its host keeps only what a worker host has, with its
// context pointing at a manager that still runs.
import { readdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { dataPaths, updateContext } from '../config/index.js'
import type { Store } from '../store/index.js'
import type { Node } from '../types/index.js'

/** Calls `onRetired` once when this manager's node stops being a manager; returns the unsubscribe function. */
export function watchOwnRole(store: Store, nodeId: string, onRetired: () => void): () => void {
  let done = false
  const unwatch = store.watch((e) => {
    if (done || e.kind !== 'node' || e.id !== nodeId) return
    const node = e.object as Node | undefined
    if (e.action === 'delete' || (node && node.Spec.Role !== 'manager')) {
      done = true
      onRetired()
    }
  })
  // Demoted or removed while this manager was down: the watch would never say so.
  void store.get<Node>('node', nodeId).then((node) => {
    if (!done && (!node || node.Spec.Role !== 'manager')) {
      done = true
      onRetired()
    }
  }, () => undefined)
  return () => {
    done = true
    unwatch()
  }
}

/** Removes a manager's own files from a data dir; the context is kept, pointed at `managerAddr` if given. */
export function retire(dataDir: string, managerAddr?: string): void {
  const paths = dataPaths(dataDir)
  // The log stays, for whoever wants to know what happened.
  let entries: string[] = []
  try { entries = readdirSync(paths.manager) } catch { /* none */ }
  // The config first: a retirement cut short leaves no manager that would start.
  rmSync(paths.managerConfig, { force: true })
  for (const f of entries) if (f !== basename(paths.logfile)) rmSync(join(paths.manager, f), { recursive: true, force: true })
  updateContext(dataDir, { Role: 'worker', ...(managerAddr ? { Manager: managerAddr } : {}) })
}
