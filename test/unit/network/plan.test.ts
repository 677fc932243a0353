import { describe, expect, test } from 'vitest'
import { bridgeName, planNode, vxlanName, VXLAN_OVERHEAD } from '../../../src/lib/network/plan.js'
import type { Node } from '../../../src/lib/types/index.js'
import { net, node, port, svc, task } from './overlay-fixtures.js'

const N1 = node('n1', '192.168.1.11')
const N2 = node('n2', '192.168.1.12')
const N3 = node('n3', '192.168.1.13')
const NODES = [N1, N2, N3]
const nodeAddrs = (third: number) => ({ n1: `10.0.${third}.254`, n2: `10.0.${third}.253`, n3: `10.0.${third}.252` })
const ING = net('ing', 'ingress', { ingress: true, subnet: '10.0.0.0/24', vni: 4096, nodeAddresses: nodeAddrs(0) })
const APP = net('app', 'app-net', { subnet: '10.0.1.0/24', vni: 4097, nodeAddresses: nodeAddrs(1) })
const DB = net('db', 'db-net', { subnet: '10.0.2.0/24', vni: 4098, nodeAddresses: nodeAddrs(2), internal: true, options: { 'com.docker.network.driver.mtu': '1400' } })
const NETS = [DB, APP, ING]

const netIds = (p: ReturnType<typeof planNode>) => p?.networks.map((n) => n.id)

describe('planNode', () => {
  test('undefined for a node without a usable IPv4 address', () => {
    const s = svc('s', 's', { networks: ['app'] })
    const t = [task('t1', s, { node: 'n1', addrs: { app: '10.0.1.2/24' } })]
    for (const addr of [null, '', '127.0.0.1', 'fe80::1', 'node1.example', '0.0.0']) {
      expect(planNode(node('n1', addr), NODES, NETS, [s], t), String(addr)).toBeUndefined()
    }
    expect(planNode(N1, NODES, NETS, [s], t, () => undefined)).toBeUndefined()
  })
  test('an empty plan for a node with nothing to do', () => {
    expect(planNode(N1, NODES, NETS, [], [])).toEqual({ nodeId: 'n1', addr: '192.168.1.11', networks: [], vips: [], ingress: [] })
  })
  test('networks of the node\'s non-terminal tasks only, ordered by VNI', () => {
    const s = svc('s', 's', { networks: ['db', 'app'] })
    const other = svc('o', 'o', { networks: ['db'] })
    const tasks = [
      task('t1', s, { node: 'n1', state: 'starting', addrs: { db: '10.0.2.2/24', app: '10.0.1.2/24' } }),
      task('t2', other, { node: 'n2', addrs: { db: '10.0.2.3/24' } }),
    ]
    expect(netIds(planNode(N1, NODES, NETS, [s, other], tasks))).toEqual(['app', 'db'])
    expect(netIds(planNode(N2, NODES, NETS, [s, other], tasks))).toEqual(['db'])
    expect(netIds(planNode(N3, NODES, NETS, [s, other], tasks))).toEqual([])
    // Terminal tasks, and tasks not (or no longer) placed, hold nothing.
    const dead = [
      task('t3', s, { node: 'n3', state: 'failed', addrs: { app: '10.0.1.4/24' } }),
      task('t4', s, { node: 'n3', state: 'shutdown', desired: 'shutdown', addrs: { app: '10.0.1.5/24' } }),
      task('t5', s, { state: 'pending', addrs: { app: '10.0.1.6/24' } }),
    ]
    expect(netIds(planNode(N3, NODES, NETS, [s], dead))).toEqual([])
    // A task still running but told to stop keeps its network until it stops.
    const stopping = [task('t6', s, { node: 'n3', state: 'running', desired: 'shutdown', addrs: { app: '10.0.1.7/24' } })]
    expect(netIds(planNode(N3, NODES, NETS, [s], stopping))).toEqual(['app'])
  })
  test('a network is described with the node\'s own address, its VNI, subnet, MTU and the peers', () => {
    const s = svc('s', 's', { networks: ['db', 'app'] })
    const t = [task('t1', s, { node: 'n2', addrs: { db: '10.0.2.2/24', app: '10.0.1.2/24' } })]
    const p = planNode(N2, NODES, NETS, [s], t)!
    expect(p.networks).toEqual([
      { id: 'app', name: 'app-net', vni: 4097, subnet: '10.0.1.0/24', address: '10.0.1.253', internal: false, ingress: false, mtu: 1500 - VXLAN_OVERHEAD, peers: ['192.168.1.11', '192.168.1.13'] },
      { id: 'db', name: 'db-net', vni: 4098, subnet: '10.0.2.0/24', address: '10.0.2.253', internal: true, ingress: false, mtu: 1400, peers: ['192.168.1.11', '192.168.1.13'] },
    ])
  })
  test('a network without this node\'s address yet is left out (until the allocator gives it one)', () => {
    const fresh = net('fresh', 'fresh-net', { subnet: '10.0.3.0/24', vni: 4099, nodeAddresses: { n2: '10.0.3.254' } })
    const s = svc('s', 's', { networks: ['fresh'] })
    const t = [task('t1', s, { node: 'n1', addrs: { fresh: '10.0.3.2/24' } })]
    expect(netIds(planNode(N1, NODES, [fresh], [s], t))).toEqual([])
  })
  test('peers are the other nodes\' data-path addresses from addrOf, unusable ones dropped, sorted', () => {
    const s = svc('s', 's', { networks: ['app'] })
    const t = [task('t1', s, { node: 'n1', addrs: { app: '10.0.1.2/24' } })]
    const dataPath: Record<string, string | undefined> = { n1: '172.20.0.1', n2: '172.20.0.9', n3: '172.20.0.10', n4: undefined, n5: '127.0.0.1' }
    const nodes = [...NODES, node('n4', '192.168.1.14'), node('n5', '192.168.1.15')]
    const p = planNode(N1, nodes, NETS, [s], t, (n: Node) => dataPath[n.ID])!
    expect(p.addr).toBe('172.20.0.1')
    expect(p.networks[0].peers).toEqual(['172.20.0.10', '172.20.0.9'])
    // By default: Status.Addr.
    expect(planNode(N1, [...NODES, node('n4', null)], NETS, [s], t)!.networks[0].peers).toEqual(['192.168.1.12', '192.168.1.13'])
  })
  test('ingress is on every node when a service publishes an ingress port', () => {
    const web = svc('web', 'web', { ports: [port(80, 8080)] })
    const t = [task('t1', web, { node: 'n1', addrs: { ing: '10.0.0.2/24' } })]
    for (const n of NODES) expect(netIds(planNode(n, NODES, NETS, [web], t)), n.ID).toEqual(['ing'])
    expect(netIds(planNode(N3, NODES, NETS, [web], []))).toEqual(['ing'])
    expect(planNode(N3, NODES, NETS, [web], [])!.networks[0]).toMatchObject({ ingress: true, vni: 4096, address: '10.0.0.252' })
  })
  test('no ingress for host-mode ports or for ports not yet assigned (no Endpoint.Ports)', () => {
    const host = svc('h', 'h', { ports: [port(80, 8080, 'host')] })
    expect(netIds(planNode(N1, NODES, NETS, [host], []))).toEqual([])
    const unassigned = svc('u', 'u', { ports: [port(80)] })
    expect(unassigned.Endpoint?.Ports).toBeUndefined()
    expect(netIds(planNode(N1, NODES, NETS, [unassigned], []))).toEqual([])
  })
  test('virtual IPs: the targets are the running tasks\' addresses, on any node, sorted', () => {
    const s = svc('s', 's', { networks: ['app'], vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const tasks = [
      task('t1', s, { node: 'n1', addrs: { app: '10.0.1.10/24' } }),
      task('t2', s, { node: 'n2', addrs: { app: '10.0.1.3/24' } }),
      task('t3', s, { node: 'n3', state: 'starting', addrs: { app: '10.0.1.4/24' } }),
      task('t4', s, { node: 'n3', state: 'running', desired: 'shutdown', addrs: { app: '10.0.1.5/24' } }),
      task('t5', s, { node: 'n3', state: 'failed', desired: 'shutdown', addrs: { app: '10.0.1.6/24' } }),
    ]
    expect(planNode(N1, NODES, NETS, [s], tasks)!.vips).toEqual([{ networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.10', '10.0.1.3'] }])
    // A node without the network has no VIP for it.
    const onlyN1 = tasks.slice(0, 1)
    expect(planNode(N2, NODES, NETS, [s], onlyN1)!.vips).toEqual([])
  })
  test('a VIP with no running task has no targets', () => {
    const s = svc('s', 's', { networks: ['app'], vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const t = [task('t1', s, { node: 'n1', state: 'preparing', addrs: { app: '10.0.1.3/24' } })]
    expect(planNode(N1, NODES, NETS, [s], t)!.vips).toEqual([{ networkId: 'app', vip: '10.0.1.2', targets: [] }])
  })
  test('ingress ports: running tasks\' ingress addresses, `local` for those on this node', () => {
    const web = svc('web', 'web', { networks: ['app'], ports: [port(80, 8080), port(443, 8443), port(22, 2222, 'host')] })
    const dns = svc('dns', 'dns', { ports: [port(53, 53, 'ingress', 'udp')] })
    const tasks = [
      task('w1', web, { node: 'n1', addrs: { ing: '10.0.0.5/24', app: '10.0.1.5/24' } }),
      task('w2', web, { node: 'n2', addrs: { ing: '10.0.0.3/24', app: '10.0.1.3/24' } }),
      task('w3', web, { node: 'n2', state: 'starting', addrs: { ing: '10.0.0.4/24', app: '10.0.1.4/24' } }),
      task('d1', dns, { node: 'n3', addrs: { ing: '10.0.0.7/24' } }),
    ]
    const webTargets = (local1: boolean, local2: boolean) => [{ ip: '10.0.0.3', local: local2 }, { ip: '10.0.0.5', local: local1 }]
    expect(planNode(N1, NODES, NETS, [web, dns], tasks)!.ingress).toEqual([
      { protocol: 'udp', published: 53, target: 53, targets: [{ ip: '10.0.0.7', local: false }] },
      { protocol: 'tcp', published: 8080, target: 80, targets: webTargets(true, false) },
      { protocol: 'tcp', published: 8443, target: 443, targets: webTargets(true, false) },
    ])
    expect(planNode(N2, NODES, NETS, [web, dns], tasks)!.ingress[1].targets).toEqual(webTargets(false, true))
    const n3 = planNode(N3, NODES, NETS, [web, dns], tasks)!
    expect(n3.ingress[0].targets).toEqual([{ ip: '10.0.0.7', local: true }])
    expect(n3.ingress[1].targets).toEqual(webTargets(false, false))
  })
  test('no ingress ports on a node lacking its ingress address', () => {
    const ing = net('ing', 'ingress', { ingress: true, subnet: '10.0.0.0/24', vni: 4096, nodeAddresses: { n1: '10.0.0.254' } })
    const web = svc('web', 'web', { ports: [port(80, 8080)] })
    const p = planNode(N2, NODES, [ing], [web], [])!
    expect(p.networks).toEqual([])
    expect(p.ingress).toEqual([])
  })
  test('device names', () => {
    expect(bridgeName(4097)).toBe('tswbr4097')
    expect(vxlanName(4097)).toBe('tswvx4097')
  })
})
