// A manager whose own event loop stalled (CPU starved, a long pass) must not count the
// heartbeat deadlines that passed meanwhile as the nodes' misses: StallWatch says when.
import { describe, expect, it } from 'vitest'
import { Heartbeat } from '../../../src/lib/dispatcher/heartbeat.js'
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

describe('Heartbeat.excuse', () => {
  it('excuses a miss once in a row: a node really gone is down one beat later at most', () => {
    const hb = new Heartbeat()
    expect(hb.excuse()).toBe(true) // stalled: not counted
    expect(hb.excuse()).toBe(false) // stalled again: this one counts
    expect(hb.miss('ready')).toBe(false)
    expect(hb.excuse()).toBe(true)
    expect(hb.excuse()).toBe(false)
    expect(hb.miss('ready')).toBe(true) // two counted misses: down
    hb.ok('down')
    expect(hb.excuse()).toBe(true) // an answer starts over
  })
})
