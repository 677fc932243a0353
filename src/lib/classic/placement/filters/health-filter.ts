import type { EngineState } from '../types.js'
import { groupBy, namesAre, type Filter } from './filter.js'

/** Passes engines whose node is ready and active (classic swarm's health filter; drained and paused nodes take no new work). */
export class HealthFilter implements Filter {
  /** Applies to every container. */
  setTask(): boolean {
    return true
  }

  /** Whether the node is ready and its availability active. */
  check(e: EngineState): boolean {
    return e.node.Status.State === 'ready' && e.node.Spec.Availability === 'active'
  }

  /** "node03 is down", "node04, node05 are drained". */
  explain(excluded: EngineState[]): string {
    return groupBy(excluded, why).map(([reason, engines]) => `${namesAre(engines)} ${reason}`).join('; ')
  }
}

/** Why a node fails the health check, in a word or two. */
function why(e: EngineState): string {
  const state = e.node.Status.State
  if (state === 'down' || state === 'disconnected') return state
  if (state !== 'ready') return 'not ready'
  return e.node.Spec.Availability === 'drain' ? 'drained' : 'paused'
}
