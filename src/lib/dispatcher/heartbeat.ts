// Counts missed heartbeats of one node and says when its state should change.

/** Misses in a row after which a node is down. */
export const MISSES_TO_DOWN = 2

export class Heartbeat {
  private misses = 0

  private excused = false

  /** A beat answered: true if the node should turn ready (it was not). */
  ok(state: string): boolean {
    this.misses = 0
    this.excused = false
    return state !== 'ready'
  }

  /** A beat missed: true if the node should turn down now. */
  miss(state: string): boolean {
    this.misses++
    this.excused = false
    return this.misses >= MISSES_TO_DOWN && state !== 'down'
  }

  /**
   * A beat missed for a reason that may be the manager's own (it stalled): true
   * if it may go uncounted. Never twice in a row, so a node that is really gone is
   * down at most one period later than otherwise, however loaded the manager.
   */
  excuse(): boolean {
    if (this.excused) return false
    this.excused = true
    return true
  }
}
