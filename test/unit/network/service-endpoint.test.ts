import { describe, expect, it, test } from 'vitest'
import { assignPorts, DYNAMIC_PORTS, resolveSpecNetworks } from '../../../src/lib/cluster/service-endpoint.js'
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../../src/lib/errors/index.js'
import type { PortConfig, ServiceSpec } from '../../../src/lib/types/index.js'
import { net, port, svc } from './overlay-fixtures.js'

const NETS = [
  net('ingid0000000000000000000a', 'ingress', { ingress: true, subnet: '10.0.0.0/24' }),
  net('frontid00000000000000000b', 'front', { subnet: '10.0.1.0/24' }),
  net('backid000000000000000000c', 'back', { subnet: '10.0.2.0/24', vni: 4098 }),
]
const spec = (networks: string[] | undefined, endpoint?: ServiceSpec['EndpointSpec']): ServiceSpec => ({
  Name: 's',
  TaskTemplate: { ContainerSpec: { Image: 'nginx' }, ...(networks ? { Networks: networks.map((Target) => ({ Target })) } : {}) },
  ...(endpoint ? { EndpointSpec: endpoint } : {}),
})
const targets = (s: ServiceSpec) => s.TaskTemplate.Networks?.map((n) => n.Target)

describe('resolveSpecNetworks', () => {
  test('names, IDs and prefixes become network IDs, in order, aliases kept', () => {
    const s = spec(['back', 'frontid00000000000000000b'])
    resolveSpecNetworks(s, NETS)
    expect(targets(s)).toEqual(['backid000000000000000000c', 'frontid00000000000000000b'])
    const p = spec(['fro'])
    p.TaskTemplate.Networks![0].Aliases = ['web']
    resolveSpecNetworks(p, NETS)
    expect(p.TaskTemplate.Networks).toEqual([{ Target: 'frontid00000000000000000b', Aliases: ['web'] }])
  })
  test('no networks is fine', () => {
    const s = spec(undefined, { Ports: [port(80)] })
    expect(() => resolveSpecNetworks(s, NETS)).not.toThrow()
    expect(s.TaskTemplate.Networks).toBeUndefined()
  })
  test('an unknown network is a NotFoundError', () => {
    expect(() => resolveSpecNetworks(spec(['front', 'nope']), NETS)).toThrow(NotFoundError)
    expect(() => resolveSpecNetworks(spec(['nope']), NETS)).toThrow('network nope not found')
  })
  test('the ingress network, by name or ID, is refused explicitly', () => {
    for (const ref of ['ingress', 'ingid0000000000000000000a', 'ingid']) {
      expect(() => resolveSpecNetworks(spec([ref]), NETS)).toThrow(InvalidArgumentError)
      expect(() => resolveSpecNetworks(spec([ref]), NETS)).toThrow('service cannot be explicitly attached to the ingress network "ingress": publish a port (-p) to use the routing mesh')
    }
  })
  test('the same network twice is refused', () => {
    expect(() => resolveSpecNetworks(spec(['front', 'frontid00000000000000000b']), NETS)).toThrow('service is attached more than once to network front')
  })
  test('dnsrr with an ingress port is refused; with host-mode ports it is fine', () => {
    const bad = "EndpointSpec: port published with ingress mode can't be used with dnsrr mode"
    expect(() => resolveSpecNetworks(spec(['front'], { Mode: 'dnsrr', Ports: [port(80, 8080)] }), NETS)).toThrow(bad)
    expect(() => resolveSpecNetworks(spec(['front'], { Mode: 'dnsrr', Ports: [{ TargetPort: 80 }] }), NETS)).toThrow(InvalidArgumentError)
    expect(() => resolveSpecNetworks(spec(['front'], { Mode: 'dnsrr', Ports: [port(80, 8080, 'host')] }), NETS)).not.toThrow()
    expect(() => resolveSpecNetworks(spec(['front'], { Mode: 'vip', Ports: [port(80, 8080)] }), NETS)).not.toThrow()
    expect(() => resolveSpecNetworks(spec(['front'], { Mode: 'dnsrr' }), NETS)).not.toThrow()
  })
})

describe('assignPorts', () => {
  const web = svc('webid', 'web', { ports: [port(80, 80), port(53, 30000, 'ingress', 'udp')] })
  const dyn = (...published: number[]) => svc('dynid', 'dyn', { ports: published.map((p) => port(8000 + p, p)) })
  const ports = (...p: PortConfig[]) => spec(['front'], { Ports: p })

  test('the dynamic range is 30000–32767', () => {
    expect(DYNAMIC_PORTS).toEqual({ first: 30000, last: 32767 })
  })
  test('no ports: none', () => {
    expect(assignPorts(spec(['front']), [web])).toEqual([])
  })
  test('an ingress port without a published port gets the first free dynamic one, defaults filled in', () => {
    expect(assignPorts(ports({ TargetPort: 80 }), [])).toEqual([{ TargetPort: 80, Protocol: 'tcp', PublishMode: 'ingress', PublishedPort: 30000 }])
    expect(assignPorts(ports({ TargetPort: 80 }), [dyn(30000, 30001, 30003)]).map((p) => p.PublishedPort)).toEqual([30002])
  })
  test('several dynamic ports of one service get distinct ones', () => {
    expect(assignPorts(ports({ TargetPort: 80 }, { TargetPort: 443 }, { TargetPort: 8080 }), [dyn(30001)]).map((p) => p.PublishedPort))
      .toEqual([30000, 30002, 30003])
  })
  // A dynamic port listed before an explicit one in the dynamic range must not take its number (swarmkit allocates explicit ports first).
  it('a dynamic port never takes one the same spec asks for explicitly', () => {
    const out = assignPorts(ports({ TargetPort: 80 }, { TargetPort: 81, PublishedPort: 30000 }), [])
    expect(out.map((p) => p.PublishedPort)).toEqual([30001, 30000])
  })
  test('ports are per protocol', () => {
    // web holds udp/30000 only.
    expect(assignPorts(ports({ TargetPort: 80 }), [web]).map((p) => p.PublishedPort)).toEqual([30000])
    expect(assignPorts(ports({ TargetPort: 53, Protocol: 'udp' }), [web]).map((p) => p.PublishedPort)).toEqual([30001])
    expect(assignPorts(ports(port(80, 80, 'ingress', 'udp')), [web])).toEqual([port(80, 80, 'ingress', 'udp')])
  })
  test('an update keeps the published port it had', () => {
    const previous = [port(80, 30005), port(443, 30006)]
    expect(assignPorts(ports({ TargetPort: 443 }, { TargetPort: 80 }), [dyn(30000)], previous).map((p) => p.PublishedPort)).toEqual([30006, 30005])
    // Not a host-mode one, nor another protocol's.
    expect(assignPorts(ports({ TargetPort: 80 }), [], [port(80, 8080, 'host')]).map((p) => p.PublishedPort)).toEqual([30000])
    expect(assignPorts(ports({ TargetPort: 80 }), [], [port(80, 30009, 'ingress', 'udp')]).map((p) => p.PublishedPort)).toEqual([30000])
  })
  test('an explicit port wins over the previous one', () => {
    expect(assignPorts(ports(port(80, 8081)), [], [port(80, 30005)]).map((p) => p.PublishedPort)).toEqual([8081])
  })
  test('a port another service holds as an ingress port is a ConflictError naming it', () => {
    expect(() => assignPorts(ports(port(8080, 80)), [web])).toThrow(ConflictError)
    expect(() => assignPorts(ports(port(8080, 80)), [web])).toThrow("port '80' is already in use by service 'web' (webid) as an ingress port")
    expect(() => assignPorts(ports({ TargetPort: 53, PublishedPort: 30000, Protocol: 'udp' }), [web])).toThrow("port '30000' is already in use by service 'web' (webid) as an ingress port")
  })
  test('a previous port meanwhile held by another service is a conflict too', () => {
    expect(() => assignPorts(ports({ TargetPort: 80 }), [dyn(30005)], [port(80, 30005)])).toThrow(/port '30005' is already in use by service 'dyn' \(dynid\)/)
  })
  test('host-mode ports are left untouched and never conflict', () => {
    const hostHolder = svc('hid', 'hosty', { ports: [port(80, 9090, 'host')] })
    expect(assignPorts(ports(port(80, 80, 'host')), [web, hostHolder])).toEqual([port(80, 80, 'host')])
    expect(assignPorts(ports({ TargetPort: 80, PublishMode: 'host' }), [web])).toEqual([{ TargetPort: 80, PublishMode: 'host', Protocol: 'tcp' }])
    // Another service's host-mode 9090 does not hold the ingress 9090.
    expect(assignPorts(ports(port(80, 9090)), [hostHolder])).toEqual([port(80, 9090)])
  })
  test('services without an Endpoint hold nothing', () => {
    expect(assignPorts(ports(port(80, 80)), [svc('bare')])).toEqual([port(80, 80)])
  })
  test('the spec is not changed', () => {
    const s = ports({ TargetPort: 80 })
    assignPorts(s, [])
    expect(s.EndpointSpec!.Ports).toEqual([{ TargetPort: 80 }])
  })
})
