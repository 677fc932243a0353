// At scale: more nodes than a network's subnet holds (swarm's default ingress, a
// /24, holds 253) must not stop the allocation of every other network, nor the
// orchestrator's pass that calls it.
import { describe, expect, test } from 'vitest'
import { NetworkAllocator } from '../../../src/lib/network/allocator.js'
import { net, node } from './overlay-fixtures.js'

describe('NetworkAllocator.nodeAddresses with a full subnet', () => {
  test('1,000 nodes: the /29 gets what it holds, the /16 gets all 1,000, and the full one is named', () => {
    const small = net('small', 'small-net', { subnet: '10.0.9.0/29' })
    const big = net('big', 'big-net', { subnet: '10.1.0.0/16' })
    const a = new NetworkAllocator(() => 0)
    a.refresh([small, big], [], [])
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${i}`))
    const out = a.nodeAddresses(nodes)
    expect(Object.keys(out.get('small')!)).toHaveLength(5) // .2 to .6 of the /29 (the gateway keeps .1)
    expect(new Set(Object.values(out.get('big')!)).size).toBe(1000)
    expect(a.full).toEqual(['small-net (10.0.9.0/29)'])
  })

  test('nothing full: `full` is empty', () => {
    const a = new NetworkAllocator(() => 0)
    a.refresh([net('big', 'big-net', { subnet: '10.1.0.0/16' })], [], [])
    a.nodeAddresses([node('n1')])
    expect(a.full).toEqual([])
  })
})
