// The network agent's passes: a burst of changes gets one pass (after a pause,
// or at the latest maxWaitMs after its first change), passes never overlap, and
// a change during a pass gets one more pass after it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Coalescer } from '../../../src/lib/network/coalesce.js'

describe('Coalescer', () => {
  beforeEach(() => { vi.useFakeTimers() })
  afterEach(() => { vi.useRealTimers() })

  it('a burst of 1,000 changes 1 ms apart gets one pass per maxWaitMs, not one per change', async () => {
    let passes = 0
    const c = new Coalescer({ quietMs: 50, maxWaitMs: 200, pass: async () => { passes++ }, now: () => Date.now() })
    for (let i = 0; i < 1000; i++) {
      c.request()
      await vi.advanceTimersByTimeAsync(1)
    }
    await vi.advanceTimersByTimeAsync(100)
    // 1 s of changes: about 5 passes at the maxWait bound, plus the one after the pause.
    expect(passes).toBeGreaterThanOrEqual(4)
    expect(passes).toBeLessThanOrEqual(7)
  })

  it('one change alone gets its pass after quietMs', async () => {
    let passes = 0
    const c = new Coalescer({ quietMs: 50, maxWaitMs: 1000, pass: async () => { passes++ }, now: () => Date.now() })
    c.request()
    await vi.advanceTimersByTimeAsync(49)
    expect(passes).toBe(0)
    await vi.advanceTimersByTimeAsync(1)
    expect(passes).toBe(1)
    await vi.advanceTimersByTimeAsync(5000)
    expect(passes).toBe(1)
  })

  it('never overlaps a pass; changes during one get exactly one more pass after it', async () => {
    let active = 0
    let peak = 0
    let passes = 0
    let release!: () => void
    const c = new Coalescer({
      quietMs: 10, maxWaitMs: 100, now: () => Date.now(),
      pass: async () => {
        passes++
        active++
        peak = Math.max(peak, active)
        if (passes === 1) await new Promise<void>((r) => (release = r))
        active--
      },
    })
    c.request()
    await vi.advanceTimersByTimeAsync(10)
    expect(passes).toBe(1)
    for (let i = 0; i < 20; i++) c.request()
    await vi.advanceTimersByTimeAsync(500)
    expect(passes).toBe(1) // still in the first
    release()
    await vi.advanceTimersByTimeAsync(500)
    expect(passes).toBe(2)
    expect(peak).toBe(1)
  })

  it('a failing pass is not the end: the next change runs again; after stop() nothing runs', async () => {
    let passes = 0
    const c = new Coalescer({ quietMs: 5, maxWaitMs: 50, now: () => Date.now(), pass: async () => { passes++; throw new Error('engine gone') } })
    c.request()
    await vi.advanceTimersByTimeAsync(5)
    c.request()
    await vi.advanceTimersByTimeAsync(5)
    expect(passes).toBe(2)
    c.stop()
    c.request()
    await vi.advanceTimersByTimeAsync(100)
    expect(passes).toBe(2)
  })
})
