// MANAGER STATUS from who runs now (the election's list, leader first), not from what was stored.
import { describe, expect, test } from 'vitest'
import { withManagerStatus } from '../../../src/lib/cluster/manager-status.js'
import type { Node } from '../../../src/lib/types/index.js'
import { node } from '../orchestrator/fixtures.js'

const manager = (id: string, stored?: Node['ManagerStatus'], addr = '10.0.0.1'): Node => {
  const n = node(id)
  return { ...n, Spec: { ...n.Spec, Role: 'manager' }, Status: { ...n.Status, Addr: addr }, ...(stored ? { ManagerStatus: stored } : {}) }
}
const worker = (id: string, stored?: Node['ManagerStatus']): Node => ({ ...node(id), ...(stored ? { ManagerStatus: stored } : {}) })
const byId = (nodes: Node[]) => Object.fromEntries(nodes.map((n) => [n.ID, n.ManagerStatus]))

describe('withManagerStatus', () => {
  test('workers have no ManagerStatus, even a stale one (a demoted manager)', () => {
    const out = withManagerStatus([worker('w1'), worker('w2', { Leader: true, Reachability: 'reachable', Addr: '10.0.0.9:2377' })], [{ NodeID: 'w2', Addr: '10.0.0.9:2377' }])
    expect(out.map((n) => n.ID)).toEqual(['w1', 'w2'])
    for (const n of out) expect(n).not.toHaveProperty('ManagerStatus')
    // The rest of the node is kept.
    expect(out[1].Spec.Role).toBe('worker')
    expect(out[1].Description.Hostname).toBe('w2')
  })

  test('the first running manager leads; other running ones are reachable; the others unreachable', () => {
    const nodes = [
      manager('m1', { Reachability: 'unreachable', Addr: '10.0.0.1:2377' }, '10.0.0.1'),
      manager('m2', { Leader: true, Reachability: 'reachable', Addr: '10.0.0.2:2377' }, '10.0.0.2'),
      manager('m3', { Reachability: 'reachable', Addr: '10.0.0.3:2377' }, '10.0.0.3'),
      worker('w1'),
    ]
    const out = withManagerStatus(nodes, [{ NodeID: 'm3', Addr: '10.0.0.3:2377' }, { NodeID: 'm1', Addr: '10.0.0.1:2377' }])
    expect(byId(out)).toEqual({
      m1: { Reachability: 'reachable', Addr: '10.0.0.1:2377' },
      m2: { Reachability: 'unreachable', Addr: '10.0.0.2:2377' },
      m3: { Leader: true, Reachability: 'reachable', Addr: '10.0.0.3:2377' },
      w1: undefined,
    })
    expect(out[0].ManagerStatus).not.toHaveProperty('Leader')
    expect(out[1].ManagerStatus).not.toHaveProperty('Leader')
  })

  test('Addr comes from the running list when there; else the stored one; else the node address on 2377', () => {
    const nodes = [
      manager('m1', { Reachability: 'reachable', Addr: '10.0.0.1:2377' }),
      manager('m2', { Reachability: 'reachable', Addr: '10.0.0.2:4000' }),
      manager('m3', undefined, '10.0.0.3'),
    ]
    const out = withManagerStatus(nodes, [{ NodeID: 'm1', Addr: '192.168.1.1:2400' }])
    expect(out.map((n) => n.ManagerStatus?.Addr)).toEqual(['192.168.1.1:2400', '10.0.0.2:4000', '10.0.0.3:2377'])
  })

  test('no manager running: every manager unreachable, none leads', () => {
    const out = withManagerStatus([manager('m1', { Leader: true, Reachability: 'reachable', Addr: '10.0.0.1:2377' })], [])
    expect(out[0].ManagerStatus).toEqual({ Reachability: 'unreachable', Addr: '10.0.0.1:2377' })
  })

  test('a running entry for a node that is not in the list makes no node, and is still the leader slot', () => {
    // m9 leads (first in the election) but its node is not among those listed: m1 is reachable, not leader.
    const out = withManagerStatus([manager('m1')], [{ NodeID: 'm9', Addr: '10.0.0.9:2377' }, { NodeID: 'm1', Addr: '10.0.0.1:2377' }])
    expect(out).toHaveLength(1)
    expect(out[0].ManagerStatus).toEqual({ Reachability: 'reachable', Addr: '10.0.0.1:2377' })
  })

  test('the input nodes are not changed', () => {
    const w = worker('w1', { Reachability: 'reachable', Addr: 'x:1' })
    const m = manager('m1')
    withManagerStatus([w, m], [{ NodeID: 'm1', Addr: '10.0.0.1:2377' }])
    expect(w.ManagerStatus).toEqual({ Reachability: 'reachable', Addr: 'x:1' })
    expect(m).not.toHaveProperty('ManagerStatus')
  })
})
