// Who runs, from the election's candidate values; the one manager of a SQLite swarm.
import { describe, expect, test } from 'vitest'
import { ELECTION, EtcdMembership, presences, SoloMembership, type Membership } from '../../../src/lib/manager/membership.js'
import type { EtcdStore, Leadership } from '../../../src/lib/store/index.js'

const v = (NodeID: string, Addr: string) => JSON.stringify({ NodeID, Addr })

describe('presences', () => {
  test('election order is kept', () => {
    expect(presences([v('m3', '10.0.0.3:2377'), v('m1', '10.0.0.1:2377'), v('m2', '10.0.0.2:2377')])).toEqual([
      { NodeID: 'm3', Addr: '10.0.0.3:2377' }, { NodeID: 'm1', Addr: '10.0.0.1:2377' }, { NodeID: 'm2', Addr: '10.0.0.2:2377' },
    ])
  })
  test('a manager listed twice (restarted before its old lease expired) once, where it first ranks', () => {
    expect(presences([v('m1', '10.0.0.1:2377'), v('m2', '10.0.0.2:2377'), v('m1', '10.0.0.1:2400')])).toEqual([
      { NodeID: 'm1', Addr: '10.0.0.1:2377' }, { NodeID: 'm2', Addr: '10.0.0.2:2377' },
    ])
  })
  test('unparsable or incomplete values are skipped', () => {
    const values = [
      'not json', '', '{', '42', '[]', '"m1"', JSON.stringify({ NodeID: 'm4' }), JSON.stringify({ Addr: '10.0.0.5:2377' }),
      JSON.stringify({ NodeID: 7, Addr: '10.0.0.6:2377' }), JSON.stringify({ NodeID: 'm7', Addr: null }),
      v('m2', '10.0.0.2:2377'),
    ]
    expect(presences(values)).toEqual([{ NodeID: 'm2', Addr: '10.0.0.2:2377' }])
  })
  // BUG (src/lib/manager/membership.ts:82): JSON.parse('null') is null, and p.NodeID then throws a
  // TypeError, so managers() fails instead of skipping the value. Turn into test() once fixed.
  test('a value that parses to null is skipped too', () => {
    expect(presences(['null', v('m2', '10.0.0.2:2377')])).toEqual([{ NodeID: 'm2', Addr: '10.0.0.2:2377' }])
  })
  test('an incomplete value does not hide a later complete one of the same node', () => {
    expect(presences([JSON.stringify({ NodeID: 'm1' }), v('m1', '10.0.0.1:2377')])).toEqual([{ NodeID: 'm1', Addr: '10.0.0.1:2377' }])
  })
  test('extra fields are dropped', () => {
    expect(presences([JSON.stringify({ NodeID: 'm1', Addr: 'a:1', Extra: true })])).toEqual([{ NodeID: 'm1', Addr: 'a:1' }])
  })
  test('none', () => expect(presences([])).toEqual([]))
})

describe('SoloMembership', () => {
  test('leads and lists itself', async () => {
    const m: Membership = new SoloMembership({ NodeID: 'm1', Addr: '10.0.0.1:2377' })
    expect(m.isLeader).toBe(true)
    expect(await m.managers()).toEqual([{ NodeID: 'm1', Addr: '10.0.0.1:2377' }])
    let changed = 0
    const off = m.onChange(() => changed++)
    expect(typeof off).toBe('function')
    off()
    await m.leave()
    expect(changed).toBe(0)
    expect(m.isLeader).toBe(true)
  })
})

describe('EtcdMembership', () => {
  test('campaigns with its presence, follows the leadership, lists candidates as presences', async () => {
    const campaigns: unknown[][] = []
    const state = { isLeader: false, resigned: 0 }
    const leadership: Leadership = {
      get isLeader() { return state.isLeader },
      onChange: () => () => undefined,
      resign: async () => { state.resigned++ },
    }
    const store = {
      campaign: (...args: unknown[]) => { campaigns.push(args); return leadership },
      candidates: async (election: string) => (election === ELECTION ? [v('m2', 'b:2'), 'junk', v('m1', 'a:1'), v('m2', 'b:3')] : []),
    } as unknown as EtcdStore
    const m = new EtcdMembership(store, { NodeID: 'm1', Addr: 'a:1' }, 9)
    expect(campaigns).toEqual([[ELECTION, 9, JSON.stringify({ NodeID: 'm1', Addr: 'a:1' })]])
    expect(m.isLeader).toBe(false)
    state.isLeader = true
    expect(m.isLeader).toBe(true)
    expect(await m.managers()).toEqual([{ NodeID: 'm2', Addr: 'b:2' }, { NodeID: 'm1', Addr: 'a:1' }])
    await m.leave()
    expect(state.resigned).toBe(1)
  })
})
