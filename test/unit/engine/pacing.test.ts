// Pacing of per-engine work: each engine at its own stable phase of the period,
// never more than the limit in flight, and sweeps of thousands of engines
// stretched so that at most so many engines are asked a second.
import { describe, expect, it } from 'vitest'
import { phaseOf, runPaced, sweepPeriodMs } from '../../../src/lib/engine/pacing.js'

/** A clock that only moves when the code under test sleeps. */
function fakeClock() {
  let t = 0
  const sleeps: number[] = []
  return { now: () => t, sleep: async (ms: number) => { sleeps.push(ms); t += ms }, sleeps, advance: (ms: number) => { t += ms } }
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `node${i}`)

describe('phaseOf', () => {
  it('gives each key the same offset every time, inside the period', () => {
    for (const id of ids(200)) {
      const p = phaseOf(id, 5000)
      expect(p).toBe(phaseOf(id, 5000))
      expect(p).toBeGreaterThanOrEqual(0)
      expect(p).toBeLessThan(5000)
    }
    expect(phaseOf('x', 0)).toBe(0)
  })

  it('spreads 5,000 node IDs over the period: every tenth of it gets 6-14% of them', () => {
    const buckets = new Array(10).fill(0)
    for (const id of ids(5000)) buckets[Math.floor(phaseOf(id, 5000) / 500)]++
    for (const b of buckets) {
      expect(b).toBeGreaterThan(300)
      expect(b).toBeLessThan(700)
    }
  })
})

describe('runPaced', () => {
  it('starts each item at its phase: the starts span the period instead of one instant', async () => {
    const clock = fakeClock()
    const startedAt = new Map<string, number>()
    const n = await runPaced(ids(100), { periodMs: 5000, limit: 1000, key: (x) => x, now: clock.now, sleep: clock.sleep }, async (id) => {
      startedAt.set(id, clock.now())
    })
    expect(n).toBe(100)
    for (const [id, at] of startedAt) {
      expect(at).toBeGreaterThanOrEqual(phaseOf(id, 5000))
      expect(at).toBeLessThan(phaseOf(id, 5000) + 2)
    }
    const times = [...startedAt.values()]
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThan(4000)
  })

  it('never has more than `limit` calls in flight, and runs every item', async () => {
    let active = 0
    let peak = 0
    const done: string[] = []
    await runPaced(ids(50), { periodMs: 0, limit: 4, key: (x) => x }, async (id) => {
      active++
      peak = Math.max(peak, active)
      await new Promise((r) => setTimeout(r, 2))
      active--
      done.push(id)
    })
    expect(peak).toBe(4)
    expect(done.sort()).toEqual(ids(50).sort())
  })

  it('a failing call does not stop the others', async () => {
    const done: string[] = []
    await runPaced(ids(5), { periodMs: 0, limit: 2, key: (x) => x }, async (id) => {
      if (id === 'node2') throw new Error('engine gone')
      done.push(id)
    })
    expect(done.sort()).toEqual(['node0', 'node1', 'node3', 'node4'])
  })

  it('stops starting calls once stopped() says so', async () => {
    const clock = fakeClock()
    let calls = 0
    const n = await runPaced(ids(100), { periodMs: 1000, limit: 10, key: (x) => x, now: clock.now, sleep: clock.sleep, stopped: () => calls >= 10 }, async () => { calls++ })
    expect(n).toBe(10)
    expect(calls).toBe(10)
  })

  it('refuses a limit below 1', async () => {
    await expect(runPaced([], { periodMs: 0, limit: 0, key: String }, async () => {})).rejects.toThrow('pacing limit must be a positive integer, not 0')
  })
})

describe('sweepPeriodMs', () => {
  it('keeps the base period for a few engines and stretches it for thousands', () => {
    expect(sweepPeriodMs(3, 5000, 250)).toBe(5000)
    expect(sweepPeriodMs(1000, 5000, 250)).toBe(5000)
    expect(sweepPeriodMs(5000, 5000, 250)).toBe(20_000)
    expect(sweepPeriodMs(1000, 5000, 50)).toBe(20_000)
  })
})
