// Counts missed heartbeats of one node and says when its state should change.

/** Misses in a row after which a node is down. */
export const MISSES_TO_DOWN = 2

export class Heartbeat {
  private misses = 0

  /** A beat answered: true if the node should turn ready (it was not). */
  ok(state: string): boolean {
    this.misses = 0
    return state !== 'ready'
  }

  /** A beat missed: true if the node should turn down now. */
  miss(state: string): boolean {
    this.misses++
    return this.misses >= MISSES_TO_DOWN && state !== 'down'
  }
}
