import { describe, it, expect } from 'vitest'
import { MinHeap } from '../../../src/lib/scheduler/heap.js'

describe('MinHeap', () => {
  it('pops in order, with pushes in between', () => {
    const h = new MinHeap<number>((a, b) => a < b, [5, 3, 9, 1, 7])
    expect([h.pop(), h.pop()]).toEqual([1, 3])
    h.push(2)
    h.push(8)
    const rest: number[] = []
    while (h.size) rest.push(h.pop()!)
    expect(rest).toEqual([2, 5, 7, 8, 9])
    expect(h.pop()).toBeUndefined()
  })
  it('sorts many random numbers', () => {
    const xs = Array.from({ length: 500 }, (_, i) => (i * 7919) % 503)
    const h = new MinHeap<number>((a, b) => a < b, xs)
    const out: number[] = []
    while (h.size) out.push(h.pop()!)
    expect(out).toEqual([...xs].sort((a, b) => a - b))
  })
})
