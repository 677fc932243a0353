// Hostile or mistaken input at the API: service specs (ports, replicas) and
// network create requests are refused with a message naming the field, and a
// plan holding a bad value (from the store) is never rendered into a script.
import { describe, expect, it } from 'vitest'
import { buildNetwork } from '../../../src/lib/cluster/networks.js'
import { MAX_REPLICAS, validateServiceSpec } from '../../../src/lib/cluster/services.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { UnsafePlanError } from '../../../src/lib/network/plan-checks.js'
import type { NodePlan } from '../../../src/lib/network/plan.js'
import { hostScript, rules } from '../../../src/lib/network/script.js'
import type { NetworkCreateRequest } from '../../../src/lib/types/index.js'

const spec = (extra: Record<string, unknown> = {}) => ({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'busybox' } }, ...extra })
const withPort = (port: Record<string, unknown>) => spec({ EndpointSpec: { Ports: [{ TargetPort: 80, ...port }] } })
const refusal = (f: () => unknown): string => {
  try {
    f()
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidArgumentError)
    return (err as Error).message
  }
  throw new Error('not refused')
}

describe('validateServiceSpec: published ports', () => {
  it('fills tcp and ingress, and takes udp, sctp and host mode', () => {
    expect(validateServiceSpec(withPort({ PublishedPort: 8080 })).EndpointSpec?.Ports).toEqual([{ TargetPort: 80, PublishedPort: 8080, Protocol: 'tcp', PublishMode: 'ingress' }])
    for (const Protocol of ['udp', 'sctp']) expect(validateServiceSpec(withPort({ Protocol })).EndpointSpec?.Ports?.[0].Protocol).toBe(Protocol)
    expect(validateServiceSpec(withPort({ PublishMode: 'host', PublishedPort: 0 })).EndpointSpec?.Ports?.[0].PublishMode).toBe('host')
  })

  it.each([
    [{ Protocol: 'tcp\nTSW_RULES\ntouch /tmp/owned' }, 'EndpointSpec: invalid protocol "tcp\\nTSW_RULES\\ntouch /tmp/owned" for port 80: use tcp, udp or sctp'],
    [{ Protocol: 'http' }, 'EndpointSpec: invalid protocol "http" for port 80: use tcp, udp or sctp'],
    [{ Protocol: 'TCP' }, 'EndpointSpec: invalid protocol "TCP" for port 80: use tcp, udp or sctp'],
    [{ PublishedPort: 70000 }, 'EndpointSpec: invalid published port 70000: a port is a whole number from 1 to 65535 (or 0 for one from the dynamic range)'],
    [{ PublishedPort: -1 }, 'EndpointSpec: invalid published port -1: a port is a whole number from 1 to 65535 (or 0 for one from the dynamic range)'],
    [{ PublishedPort: '8080; reboot' }, 'EndpointSpec: invalid published port "8080; reboot": a port is a whole number from 1 to 65535 (or 0 for one from the dynamic range)'],
    [{ PublishedPort: 80.5 }, 'EndpointSpec: invalid published port 80.5: a port is a whole number from 1 to 65535 (or 0 for one from the dynamic range)'],
    [{ TargetPort: 0 }, 'EndpointSpec: invalid target port 0: a port is a whole number from 1 to 65535'],
    [{ PublishMode: 'mesh' }, 'EndpointSpec: invalid publish mode "mesh" for port 80: use ingress or host'],
    [{ Name: 'web\nx' }, 'EndpointSpec: invalid port name "web\\nx": printable characters only, at most 255'],
  ])('refuses %j', (port, message) => {
    expect(refusal(() => validateServiceSpec(withPort(port)))).toBe(message)
  })

  it('refuses ports that are not a list of objects, and an unknown endpoint mode', () => {
    expect(refusal(() => validateServiceSpec(spec({ EndpointSpec: { Ports: { TargetPort: 80 } } })))).toBe('EndpointSpec: Ports must be a list')
    expect(refusal(() => validateServiceSpec(spec({ EndpointSpec: { Ports: ['80'] } })))).toBe('EndpointSpec: each port must be a JSON object')
    expect(refusal(() => validateServiceSpec(spec({ EndpointSpec: { Mode: 'rr' } })))).toBe('EndpointSpec: invalid mode "rr": use vip or dnsrr')
  })
})

describe('validateServiceSpec: replicas', () => {
  it(`takes up to ${MAX_REPLICAS} replicas`, () => {
    expect(validateServiceSpec(spec({ Mode: { Replicated: { Replicas: MAX_REPLICAS } } })).Mode?.Replicated?.Replicas).toBe(MAX_REPLICAS)
    expect(validateServiceSpec(spec({ Mode: { Replicated: { Replicas: 0 } } })).Mode?.Replicated?.Replicas).toBe(0)
  })

  it('refuses more, and anything that is not a whole number', () => {
    expect(refusal(() => validateServiceSpec(spec({ Mode: { Replicated: { Replicas: 1_000_000_000 } } }))))
      .toBe('Mode: 1000000000 replicas is more than the 100000 a service may have: use fewer replicas, or split the work over several services')
    expect(refusal(() => validateServiceSpec(spec({ Mode: { Replicated: { Replicas: '3' } } })))).toBe('Mode: replicas must be a whole number >= 0, not "3"')
    expect(refusal(() => validateServiceSpec(spec({ Mode: { Replicated: { Replicas: 1e300 } } })))).toContain('is more than the 100000 a service may have')
  })
})

describe('buildNetwork: options', () => {
  const build = (req: Partial<NetworkCreateRequest>) => buildNetwork({ Name: 'mynet', ...req } as NetworkCreateRequest, [], [])
  const mtu = (v: string) => build({ Options: { 'com.docker.network.driver.mtu': v } })

  it('takes an MTU from 68 to 65535', () => {
    expect(mtu('1400').Options['com.docker.network.driver.mtu']).toBe('1400')
    expect(mtu('68').Options['com.docker.network.driver.mtu']).toBe('68')
  })

  it.each(['0', '67', '65536', '1e9', '-5', '0x10', ' 1400', 'abc'])('refuses MTU %j', (v) => {
    expect(refusal(() => mtu(v))).toBe(`invalid MTU number: ${JSON.stringify(v)}: com.docker.network.driver.mtu takes a whole number from 68 to 65535`)
  })

  it('refuses control characters in options and non-string values', () => {
    expect(refusal(() => build({ Options: { 'a\nb': 'x' } }))).toBe('network option "a\\nb"="x": control characters (such as a newline) are not allowed')
    expect(refusal(() => build({ Options: { a: 'x\ry' } }))).toBe('network option "a"="x\\ry": control characters (such as a newline) are not allowed')
    expect(refusal(() => build({ Options: { a: 5 } as never }))).toBe('network option "a": the value must be a string, not 5')
    expect(refusal(() => build({ IPAM: { Options: { b: 'x\n' } } }))).toBe('IPAM option "b"="x\\n": control characters (such as a newline) are not allowed')
    expect(refusal(() => build({ Options: 'mtu=1400' as never }))).toBe('network options must be a JSON object of strings')
  })

  it('refuses malformed subnets, gateways and IP ranges, and stores them normalised', () => {
    expect(refusal(() => build({ IPAM: { Config: [{ Subnet: '10.9.0.0/24\nreboot' }] } }))).toBe('IPAM: invalid Subnet "10.9.0.0/24\\nreboot": expected an IPv4 CIDR such as 10.1.0.0/24')
    expect(refusal(() => build({ IPAM: { Config: [{ Subnet: '10.9.0.0/33' }] } }))).toBe('invalid CIDR address: 10.9.0.0/33')
    expect(refusal(() => build({ IPAM: { Config: [{ Subnet: '10.9.0.0/24', Gateway: '10.9.0.300' }] } }))).toBe('invalid IPv4 address: 10.9.0.300')
    expect(refusal(() => build({ IPAM: { Config: [{ Subnet: '10.9.0.0/24', Gateway: 5 as never }] } }))).toBe('IPAM: invalid Gateway 5: expected an IPv4 address')
    expect(refusal(() => build({ IPAM: { Config: [{ Subnet: '10.9.0.0/24', IPRange: '10.9.0.0/25 ' }] } }))).toBe('IPAM: invalid IPRange "10.9.0.0/25 ": expected an IPv4 CIDR such as 10.1.0.0/24')
    expect(refusal(() => build({ IPAM: { Config: { Subnet: '10.9.0.0/24' } as never } }))).toBe('IPAM: Config must be a list')
    expect(build({ IPAM: { Config: [{ Subnet: '10.9.0.7/24', IPRange: '10.9.0.9/25' }] } }).IPAM.Config[0]).toEqual({ Subnet: '10.9.0.0/24', Gateway: '10.9.0.1', IPRange: '10.9.0.0/25' })
  })
})

describe('hostScript: the second wall', () => {
  const net = { id: 'app', name: 'app', vni: 4097, subnet: '10.0.1.0/24', address: '10.0.1.254', internal: false, ingress: true, mtu: 1450, peers: ['192.168.1.12'] }
  const plan = (o: Partial<NodePlan> = {}): NodePlan => ({ nodeId: 'n1', addr: '192.168.1.11', networks: [net], vips: [], ingress: [], ...o })
  const port = { protocol: 'tcp' as const, published: 8080, target: 80, targets: [{ ip: '10.0.1.3', local: true }] }

  it('renders a good plan', () => {
    expect(hostScript(plan({ ingress: [port] }))).toContain('--dport 8080')
  })

  it.each([
    ['a protocol holding a newline', plan({ ingress: [{ ...port, protocol: 'tcp\nTSW_RULES\nreboot' as never }] }), 'published port protocol "tcp\\nTSW_RULES\\nreboot"'],
    ['a published port out of range', plan({ ingress: [{ ...port, published: 70000 }] }), 'published port 70000'],
    ['an MTU out of range', plan({ networks: [{ ...net, mtu: 1e9 }] }), 'MTU of network app 1000000000'],
    ['a peer that is not an address', plan({ networks: [{ ...net, peers: ['1.2.3.4; reboot'] }] }), 'peer address "1.2.3.4; reboot"'],
    ['a subnet that is not a CIDR', plan({ networks: [{ ...net, subnet: '10.0.1.0/24 x' }] }), 'subnet of network app "10.0.1.0/24 x"'],
    ['a task address with a newline', plan({ vips: [{ networkId: 'app', vip: '10.0.1.2', targets: ['10.0.1.3\n'] }] }), 'task address "10.0.1.3\\n"'],
    ['a node address out of range', plan({ addr: '192.168.1.256' }), 'node address "192.168.1.256"'],
  ])('refuses %s', (_what, bad, shown) => {
    expect(() => hostScript(bad)).toThrow(UnsafePlanError)
    expect(() => rules(bad)).toThrow(`refusing to write the host network script: ${shown} is not valid`)
  })
})
