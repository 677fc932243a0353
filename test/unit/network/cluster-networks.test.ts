import { describe, expect, test } from 'vitest'
import { buildNetwork, findNetwork, INGRESS_VNI } from '../../../src/lib/cluster/networks.js'
import { ConflictError, FailedPreconditionError, ForbiddenError, InvalidArgumentError, NotFoundError } from '../../../src/lib/errors/index.js'
import type { NetworkCreateRequest } from '../../../src/lib/types/index.js'
import { net, node } from './overlay-fixtures.js'

const build = (req: Partial<NetworkCreateRequest>, existing = [net('a1', 'existing', { subnet: '10.0.1.0/24', vni: 4200 })], nodes = [node('n1', '192.168.1.10')]) =>
  buildNetwork({ Name: 'mynet', ...req } as NetworkCreateRequest, existing, nodes)
const subnetOf = (req: Partial<NetworkCreateRequest>) => build(req).IPAM.Config[0]

describe('buildNetwork', () => {
  test('a plain create: an overlay, swarm-scoped network with a default /24, its .1 gateway and VNI 4097', () => {
    const n = build({ Labels: { a: 'b' }, Attachable: true })
    expect(n.ID).toMatch(/^[a-z0-9]{25}$/)
    expect(n.Id).toBe(n.ID)
    expect(n).toMatchObject({
      Name: 'mynet', Driver: 'overlay', Scope: 'swarm', EnableIPv6: false, Internal: false, Attachable: true, Ingress: false,
      IPAM: { Driver: 'default', Config: [{ Subnet: '10.0.0.0/24', Gateway: '10.0.0.1' }] },
      Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097' },
      Labels: { a: 'b' },
      Tsw: { Vni: 4097, NodeAddresses: {} },
    })
    expect(n.IPAM.Config[0]).not.toHaveProperty('IPRange')
  })
  test('the default subnet skips taken subnets and /24s holding a node address', () => {
    const existing = [net('a0', 'a', { subnet: '10.0.0.0/24' }), net('a1', 'b', { subnet: '10.0.1.0/24', vni: 4098 })]
    expect(build({}, existing, [node('n1', '10.0.2.11'), node('n2', '192.168.1.10'), node('n3', null)]).IPAM.Config[0])
      .toEqual({ Subnet: '10.0.3.0/24', Gateway: '10.0.3.1' })
    expect(build({}, [], [node('n1', '10.0.0.11')]).IPAM.Config[0].Subnet).toBe('10.0.1.0/24')
  })
  test('an empty or missing driver means overlay', () => {
    expect(build({ Driver: '' }).Driver).toBe('overlay')
    expect(build({ Driver: 'overlay' }).Driver).toBe('overlay')
    expect(build({ Driver: 'overlay', Scope: 'swarm' }).Scope).toBe('swarm')
  })
  test('any other driver is refused with a clear message', () => {
    for (const d of ['bridge', 'macvlan', 'host']) {
      expect(() => build({ Driver: d })).toThrow(InvalidArgumentError)
      expect(() => build({ Driver: d })).toThrow(`network driver "${d}" is not supported by a swarm manager: only "overlay" networks span the swarm (use --driver overlay)`)
    }
  })
  test('a duplicate name is a ConflictError', () => {
    expect(() => build({ Name: 'existing' })).toThrow(ConflictError)
    expect(() => build({ Name: 'existing' })).toThrow('network with name existing already exists')
  })
  test('bad names, scopes, IPv6, IPAM drivers and several subnets are refused', () => {
    expect(() => build({ Name: '' })).toThrow('network name must be provided')
    expect(() => build({ Name: '-bad' })).toThrow(InvalidArgumentError)
    expect(() => build({ Name: 'a b' })).toThrow(/invalid network name "a b"/)
    expect(() => build({ Name: 'x'.repeat(64) })).toThrow(InvalidArgumentError)
    expect(build({ Name: 'x'.repeat(63) }).Name).toHaveLength(63)
    expect(() => build({ Scope: 'local' })).toThrow(/scope "local" is not supported/)
    expect(() => build({ EnableIPv6: true })).toThrow(/IPv6/)
    expect(() => build({ IPAM: { Driver: 'other' } })).toThrow(/IPAM driver "other" is not supported/)
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0/24' }, { Subnet: '10.6.0.0/24' }] } })).toThrow('only one IPv4 subnet per network is supported')
    expect(() => buildNetwork(null as never, [], [])).toThrow(InvalidArgumentError)
  })
  test('the engines\' predefined network names are refused with docker\'s 403', () => {
    for (const name of ['bridge', 'host', 'none', 'default']) {
      expect(() => build({ Name: name })).toThrow(ForbiddenError)
      expect(() => build({ Name: name })).toThrow(`operation is not permitted on predefined ${name} network `)
    }
    expect(build({ Name: 'hosts' }).Name).toBe('hosts')
  })
  test('a given subnet that holds a node\'s address is refused', () => {
    const nodes = [node('n1', '192.168.1.10')]
    expect(() => build({ IPAM: { Config: [{ Subnet: '192.168.0.0/16' }] } }, [], nodes)).toThrow(FailedPreconditionError)
    expect(() => build({ IPAM: { Config: [{ Subnet: '192.168.1.0/24' }] } }, [], nodes)).toThrow(/holds the address 192\.168\.1\.10 of node/)
    expect(build({ IPAM: { Config: [{ Subnet: '192.168.2.0/24' }] } }, [], nodes).IPAM.Config[0].Subnet).toBe('192.168.2.0/24')
  })
  test('a given subnet is masked, its gateway defaulting to the first address', () => {
    expect(subnetOf({ IPAM: { Config: [{ Subnet: '172.168.0.1/24' }] } })).toEqual({ Subnet: '172.168.0.0/24', Gateway: '172.168.0.1' })
    expect(subnetOf({ IPAM: { Driver: 'default', Config: [{ Subnet: '10.9.0.0/16', Gateway: '10.9.255.254', IPRange: '10.9.3.0/24' }] } }))
      .toEqual({ Subnet: '10.9.0.0/16', Gateway: '10.9.255.254', IPRange: '10.9.3.0/24' })
  })
  test('a subnet smaller than a /29 or unparsable is refused', () => {
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0/30' }] } })).toThrow(/too small/)
    expect(build({ IPAM: { Config: [{ Subnet: '10.5.0.0/29' }] } }).IPAM.Config[0].Subnet).toBe('10.5.0.0/29')
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0' }] } })).toThrow('invalid CIDR address: 10.5.0.0')
  })
  test('a subnet overlapping another network\'s is refused', () => {
    for (const s of ['10.0.1.0/24', '10.0.0.0/16', '10.0.1.128/25', '10.0.1.77/24']) {
      expect(() => build({ IPAM: { Config: [{ Subnet: s }] } })).toThrow(FailedPreconditionError)
      expect(() => build({ IPAM: { Config: [{ Subnet: s }] } })).toThrow(/Pool overlaps with other one on this address space.*existing's 10\.0\.1\.0\/24/)
    }
    expect(build({ IPAM: { Config: [{ Subnet: '10.0.2.0/24' }] } }).IPAM.Config[0].Subnet).toBe('10.0.2.0/24')
  })
  test('a gateway or ip-range outside the subnet is refused', () => {
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0/24', Gateway: '10.6.0.1' }] } })).toThrow('gateway 10.6.0.1 is not in subnet 10.5.0.0/24')
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0/24', IPRange: '10.6.0.0/25' }] } })).toThrow('ip-range 10.6.0.0/25 is not in subnet 10.5.0.0/24')
    // Starting inside but wider than the subnet.
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.0.0/24', IPRange: '10.5.0.0/23' }] } })).toThrow(InvalidArgumentError)
    expect(() => build({ IPAM: { Config: [{ Subnet: '10.5.1.0/24', IPRange: '10.5.0.0/23' }] } })).toThrow(InvalidArgumentError)
    expect(subnetOf({ IPAM: { Config: [{ Subnet: '10.5.0.0/24', IPRange: '10.5.0.128/25' }] } }).IPRange).toBe('10.5.0.128/25')
  })
  test('a gateway or ip-range without a subnet is refused', () => {
    expect(() => build({ IPAM: { Config: [{ Gateway: '10.0.0.1' } as never] } })).toThrow('every ip-range or gateway must have a corresponding subnet')
    expect(() => build({ IPAM: { Config: [{ IPRange: '10.0.0.0/25' } as never] } })).toThrow('every ip-range or gateway must have a corresponding subnet')
  })
  test('VNIs: 4096 for ingress, 4097 and up (the first unused) otherwise', () => {
    expect(INGRESS_VNI).toBe(4096)
    const ing = build({ Name: 'ingress', Ingress: true }, [], [])
    expect(ing.Tsw.Vni).toBe(4096)
    expect(ing.Ingress).toBe(true)
    expect(ing.Options['com.docker.network.driver.overlay.vxlanid_list']).toBe('4096')
    expect(build({}, [], []).Tsw.Vni).toBe(4097)
    const existing = [
      net('i', 'ingress', { ingress: true, subnet: '10.0.0.0/24', vni: 4096 }),
      net('a', 'a', { subnet: '10.0.1.0/24', vni: 4097 }),
      net('c', 'c', { subnet: '10.0.3.0/24', vni: 4099 }),
    ]
    expect(build({}, existing, []).Tsw.Vni).toBe(4098)
    expect(build({}, [...existing, net('b', 'b', { subnet: '10.0.2.0/24', vni: 4098 })], []).Tsw.Vni).toBe(4100)
  })
  test('a second ingress network is refused', () => {
    const existing = [net('i', 'ingress', { ingress: true, subnet: '10.0.0.0/24' })]
    expect(() => build({ Name: 'ingress2', Ingress: true }, existing, [])).toThrow(FailedPreconditionError)
    expect(() => build({ Name: 'ingress2', Ingress: true }, existing, [])).toThrow(/ingress network \(ingress\) is already present/)
  })
  test('user options are kept next to the VXLAN ID', () => {
    expect(build({ Options: { 'com.docker.network.driver.mtu': '1400' }, Internal: true })).toMatchObject({
      Internal: true,
      Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097', 'com.docker.network.driver.mtu': '1400' },
    })
  })
})

describe('findNetwork', () => {
  const NETS = [
    net('abc111', 'front'),
    net('abc222', 'back'),
    net('xyz333', 'abc111x'),
    net('front', 'clash'),
  ]
  test('by ID, by name, by unique ID prefix', () => {
    expect(findNetwork(NETS, 'abc111').Name).toBe('front')
    expect(findNetwork(NETS, 'back').ID).toBe('abc222')
    expect(findNetwork(NETS, 'abc2').ID).toBe('abc222')
    expect(findNetwork(NETS, 'xy').ID).toBe('xyz333')
  })
  test('an exact ID wins over a name, a name over a prefix', () => {
    expect(findNetwork(NETS, 'front').ID).toBe('front')
    expect(findNetwork(NETS, 'abc111x').ID).toBe('xyz333')
  })
  test('an ambiguous prefix is a NotFoundError saying so', () => {
    expect(() => findNetwork(NETS, 'abc')).toThrow(NotFoundError)
    expect(() => findNetwork(NETS, 'abc')).toThrow('network abc is ambiguous (2 matches found based on ID prefix)')
  })
  test('a miss is dockerd\'s "network X not found"', () => {
    expect(() => findNetwork(NETS, 'nope')).toThrow(NotFoundError)
    expect(() => findNetwork(NETS, 'nope')).toThrow('network nope not found')
    expect(() => findNetwork(NETS, '')).toThrow('network  not found')
    expect(() => findNetwork([], 'x')).toThrow('network x not found')
  })
})
