import { describe, expect, test } from 'vitest'
import { NetworkAllocator } from '../../../src/lib/network/allocator.js'
import { net, node, port, svc, task } from './overlay-fixtures.js'

const ING = net('ing', 'ingress', { ingress: true, subnet: '10.0.0.0/24' })
const APP = net('app', 'app-net', { subnet: '10.0.1.0/24' })
const SMALL = net('small', 'small-net', { subnet: '10.0.9.0/29' })

/** An allocator with a clock the test moves. */
function allocator(networks = [ING, APP], services = [] as ReturnType<typeof svc>[], tasks = [] as ReturnType<typeof task>[]) {
  const clock = { now: 1_000_000 }
  const a = new NetworkAllocator(() => clock.now)
  a.refresh(networks, services, tasks)
  return { a, clock }
}
const addrs = (a: NetworkAllocator, s: ReturnType<typeof svc>) => a.attach(s).map((x) => `${x.Network.ID}=${x.Addresses[0]}`)

describe('NetworkAllocator.refresh', () => {
  test('knows the networks it was given, and which is ingress', () => {
    const { a } = allocator()
    expect(a.ingress?.ID).toBe('ing')
    expect(a.network('app')?.Name).toBe('app-net')
    expect(a.network('nope')).toBeUndefined()
    a.refresh([APP], [], [])
    expect(a.ingress).toBeUndefined()
    expect(a.network('ing')).toBeUndefined()
  })
  test('addresses held by nodes, virtual IPs and live tasks are not handed out', () => {
    const withNodes = net('app', 'app-net', { subnet: '10.0.1.0/24', nodeAddresses: { n1: '10.0.1.2' } })
    const s = svc('s1', 's1', { networks: ['app'], vips: [{ NetworkID: 'app', Addr: '10.0.1.3/24' }] })
    const t = task('t1', s, { node: 'n1', addrs: { app: '10.0.1.4/24' } })
    const { a } = allocator([ING, withNodes], [s], [t])
    expect(addrs(a, svc('s2', 's2', { networks: ['app'] }))).toEqual(['app=10.0.1.5/24'])
  })
  test('terminal tasks free their addresses; live ones (any non-terminal state) do not', () => {
    const s = svc('s1', 's1', { networks: ['small'] })
    const live = ['running', 'pending', 'new', 'assigned'].map((state, i) =>
      task(`t${i}`, s, { state: state as 'running', addrs: { small: `10.0.9.${i + 2}/29` } }))
    for (const state of ['failed', 'shutdown', 'complete', 'rejected', 'orphaned', 'remove'] as const) {
      const dead = task('dead', s, { state, desired: 'shutdown', addrs: { small: '10.0.9.6/29' } })
      const { a } = allocator([SMALL], [s], [...live, dead])
      expect(addrs(a, s), state).toEqual(['small=10.0.9.6/29'])
    }
    const stillRunning = task('t5', s, { state: 'running', desired: 'shutdown', addrs: { small: '10.0.9.6/29' } })
    const { a } = allocator([SMALL], [s], [...live, stillRunning])
    expect(() => a.attach(s)).toThrow('no free address left in 10.0.9.0/29')
  })
  test('attachments to networks it does not know do not break it', () => {
    const s = svc('s1', 's1', { networks: ['app'], vips: [{ NetworkID: 'gone', Addr: '10.0.7.2/24' }] })
    const t = task('t1', s, { addrs: { gone: '10.0.7.3/24' } })
    const { a } = allocator([APP], [s], [t])
    expect(addrs(a, s)).toEqual(['app=10.0.1.2/24'])
  })
})

describe('NetworkAllocator.nodeAddresses', () => {
  test('nodes without an address get one from the top of each subnet', () => {
    const ing = net('ing', 'ingress', { ingress: true, subnet: '10.0.0.0/24', nodeAddresses: { n1: '10.0.0.254' } })
    const { a } = allocator([ing, APP])
    const out = a.nodeAddresses([node('n1'), node('n2'), node('n3')])
    expect(Object.fromEntries(out)).toEqual({
      ing: { n2: '10.0.0.253', n3: '10.0.0.252' },
      app: { n1: '10.0.1.254', n2: '10.0.1.253', n3: '10.0.1.252' },
    })
  })
  test('an empty map when every node has one', () => {
    const app = net('app', 'app-net', { nodeAddresses: { n1: '10.0.1.254', n2: '10.0.1.200' } })
    const { a } = allocator([app])
    expect(a.nodeAddresses([node('n1'), node('n2')]).size).toBe(0)
  })
  test('node addresses and task addresses never collide', () => {
    const s = svc('s1', 's1', { networks: ['small'] })
    const all = new Set<string>()
    const { a: b } = allocator([SMALL])
    const nodes = b.nodeAddresses([node('n1'), node('n2')]).get('small')!
    expect(nodes).toEqual({ n1: '10.0.9.6', n2: '10.0.9.5' })
    for (const ip of Object.values(nodes)) all.add(ip)
    for (let i = 0; i < 3; i++) all.add(b.attach(s)[0].Addresses[0].split('/')[0])
    expect([...all].sort()).toEqual(['10.0.9.2', '10.0.9.3', '10.0.9.4', '10.0.9.5', '10.0.9.6'])
    expect(() => b.attach(s)).toThrow(/no free address/)
  })
})

describe('NetworkAllocator.virtualIps', () => {
  test('vip mode (the default): one per attached network, from the bottom, with the prefix', () => {
    const other = net('other', 'other-net', { subnet: '10.0.2.0/24', vni: 4098 })
    const { a } = allocator([ING, APP, other])
    expect(a.virtualIps(svc('s1', 's1', { networks: ['app', 'other'] }))).toEqual([
      { NetworkID: 'app', Addr: '10.0.1.2/24' },
      { NetworkID: 'other', Addr: '10.0.2.2/24' },
    ])
    expect(a.virtualIps(svc('s2', 's2', { networks: ['app'], mode: 'vip' }))).toEqual([{ NetworkID: 'app', Addr: '10.0.1.3/24' }])
  })
  test('existing ones are kept; only missing ones are allocated', () => {
    const other = net('other', 'other-net', { subnet: '10.0.2.0/24', vni: 4098 })
    const s = svc('s1', 's1', { networks: ['app', 'other'], vips: [{ NetworkID: 'app', Addr: '10.0.1.77/24' }] })
    const { a } = allocator([ING, APP, other], [s])
    expect(a.virtualIps(s)).toEqual([{ NetworkID: 'app', Addr: '10.0.1.77/24' }, { NetworkID: 'other', Addr: '10.0.2.2/24' }])
    expect(a.virtualIps(s)[0]).toEqual({ NetworkID: 'app', Addr: '10.0.1.77/24' })
  })
  test('a VIP dropped with its network is not kept', () => {
    const s = svc('s1', 's1', { networks: ['app'], vips: [{ NetworkID: 'old', Addr: '10.0.5.2/24' }, { NetworkID: 'app', Addr: '10.0.1.9/24' }] })
    const { a } = allocator([APP], [s])
    expect(a.virtualIps(s)).toEqual([{ NetworkID: 'app', Addr: '10.0.1.9/24' }])
  })
  test('none for ingress, none for unknown networks', () => {
    const { a } = allocator()
    expect(a.virtualIps(svc('s1', 's1', { networks: ['ing', 'app', 'missing'], ports: [port(80, 8080)] }))).toEqual([{ NetworkID: 'app', Addr: '10.0.1.2/24' }])
    expect(a.virtualIps(svc('s2', 's2', { ports: [port(80, 8081)] }))).toEqual([])
  })
  test('none in dnsrr mode', () => {
    const { a } = allocator()
    expect(a.virtualIps(svc('s1', 's1', { networks: ['app'], mode: 'dnsrr' }))).toEqual([])
    // Nothing was taken either.
    expect(addrs(a, svc('s2', 's2', { networks: ['app'] }))).toEqual(['app=10.0.1.2/24'])
  })
  test('VIPs and task addresses never collide', () => {
    const { a } = allocator()
    const s = svc('s1', 's1', { networks: ['app'] })
    const vip = a.virtualIps(s)[0].Addr
    const tasks = [a.attach(s), a.attach(s)].map((x) => x[0].Addresses[0])
    expect(new Set([vip, ...tasks]).size).toBe(3)
  })
})

describe('NetworkAllocator.attach', () => {
  test('a service publishing an ingress port joins ingress first, then its networks', () => {
    const other = net('other', 'other-net', { subnet: '10.0.2.0/24', vni: 4098 })
    const { a } = allocator([APP, ING, other])
    const att = a.attach(svc('s1', 's1', { networks: ['other', 'app'], ports: [port(80, 8080)] }))
    expect(att).toEqual([
      { Network: { ID: 'ing', Spec: { Name: 'ingress', Ingress: true } }, Addresses: ['10.0.0.2/24'] },
      { Network: { ID: 'other', Spec: { Name: 'other-net' } }, Addresses: ['10.0.2.2/24'] },
      { Network: { ID: 'app', Spec: { Name: 'app-net' } }, Addresses: ['10.0.1.2/24'] },
    ])
  })
  test('a published port without a PublishMode is an ingress port', () => {
    const { a } = allocator()
    const s = svc('s1', 's1', { ports: [{ TargetPort: 80, PublishedPort: 8080 }] })
    expect(addrs(a, s)).toEqual(['ing=10.0.0.2/24'])
  })
  test('host-mode ports only, or no ports: no ingress', () => {
    const { a } = allocator()
    expect(addrs(a, svc('s1', 's1', { networks: ['app'], ports: [port(80, 8080, 'host')] }))).toEqual(['app=10.0.1.2/24'])
    expect(addrs(a, svc('s2', 's2', { networks: ['app'] }))).toEqual(['app=10.0.1.3/24'])
    expect(a.attach(svc('s3'))).toEqual([])
  })
  test('no ingress network known: only its own networks', () => {
    const { a } = allocator([APP])
    expect(addrs(a, svc('s1', 's1', { networks: ['app'], ports: [port(80, 8080)] }))).toEqual(['app=10.0.1.2/24'])
  })
  test('distinct addresses for many tasks', () => {
    const { a } = allocator()
    const s = svc('s1', 's1', { networks: ['app'], ports: [port(80, 8080)] })
    const ing = new Set<string>()
    const app = new Set<string>()
    for (let i = 0; i < 100; i++) {
      const [x, y] = a.attach(s)
      ing.add(x.Addresses[0])
      app.add(y.Addresses[0])
    }
    expect(ing.size).toBe(100)
    expect(app.size).toBe(100)
    expect(ing.has('10.0.0.1/24')).toBe(false)
  })
  test('two allocations between refreshes never collide, for different services too', () => {
    const { a } = allocator()
    const x = addrs(a, svc('s1', 's1', { networks: ['app'] }))
    const y = addrs(a, svc('s2', 's2', { networks: ['app'] }))
    expect(x).toEqual(['app=10.0.1.2/24'])
    expect(y).toEqual(['app=10.0.1.3/24'])
  })
  test('a refresh that does not yet see a just-made task keeps its address reserved', () => {
    const { a, clock } = allocator()
    const s = svc('s1', 's1', { networks: ['app'] })
    expect(addrs(a, s)).toEqual(['app=10.0.1.2/24'])
    clock.now += 30_000
    a.refresh([ING, APP], [s], [])
    expect(addrs(a, s)).toEqual(['app=10.0.1.3/24'])
    // Once stored the task holds it; a refresh seeing it changes nothing.
    a.refresh([ING, APP], [s], [task('t1', s, { addrs: { app: '10.0.1.2/24' } })])
    expect(addrs(a, s)).toEqual(['app=10.0.1.4/24'])
  })
  test('reservations lapse after a minute', () => {
    const { a, clock } = allocator()
    const s = svc('s1', 's1', { networks: ['app'] })
    expect(addrs(a, s)).toEqual(['app=10.0.1.2/24'])
    clock.now += 60_001
    a.refresh([ING, APP], [s], [])
    expect(addrs(a, s)).toEqual(['app=10.0.1.2/24'])
  })
  test('a network the service names but the allocator does not know is skipped', () => {
    const { a } = allocator()
    expect(addrs(a, svc('s1', 's1', { networks: ['nope', 'app'] }))).toEqual(['app=10.0.1.2/24'])
  })
})
