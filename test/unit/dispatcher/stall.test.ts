// A manager whose own event loop stalled (CPU starved, a long pass) must not count the
// heartbeat deadlines that passed meanwhile as the nodes' misses: StallWatch says when.
import { describe, expect, it } from 'vitest'
import { StallWatch } from '../../../src/lib/dispatcher/stall.js'

describe('StallWatch', () => {
  it('a tick on time is no stall; a tick 2 s late is one, seen from any time before it', () => {
    let t = 1000
    const w = new StallWatch(100, 500, () => t)
    w.start()
    w.stop() // ticks are driven by hand below
    t += 100
    w.tick()
    expect(w.stalledSince(0)).toBe(false)
    t += 2100
    w.tick()
    expect(w.stalledSince(1500)).toBe(true)
    expect(w.stalledSince(t + 1)).toBe(false) // a heartbeat asked after the stall is counted
  })

  it('lateness under the threshold is not a stall', () => {
    let t = 0
    const w = new StallWatch(100, 500, () => t)
    w.start()
    w.stop()
    for (let i = 0; i < 50; i++) { t += 400; w.tick() }
    expect(w.stalledSince(0)).toBe(false)
  })
})
