import { describe, it, expect } from 'vitest'
import { MinHeap } from '../../../src/lib/scheduler/heap.js'

describe('MinHeap: peek and replaceTop (the node queues re-rank their top in place)', () => {
  it('peeks without removing, and sifts a grown top down to its place', () => {
    const rank = [5, 1, 4, 2, 3]
    const h = new MinHeap<number>((a, b) => rank[a] < rank[b] || (rank[a] === rank[b] && a < b), [0, 1, 2, 3, 4])
    expect(h.peek()).toBe(1)
    expect(h.size).toBe(5)
    rank[1] = 10 // node 1 filled up
    h.replaceTop(1)
    const order: number[] = []
    while (h.size) order.push(h.pop()!)
    expect(order).toEqual([3, 4, 2, 0, 1])
    expect(h.peek()).toBeUndefined()
    h.replaceTop(7)
    expect(h.pop()).toBe(7)
  })
})
