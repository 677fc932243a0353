// Literal networks, nodes, services and tasks for the overlay-network unit tests.
import type { Network, NetworkAttachment, Node, PortConfig, Service, Task, TaskState } from '../../../src/lib/types/index.js'

const AT = '2026-01-01T00:00:00.000Z'
const meta = { Version: { Index: 1 }, CreatedAt: AT, UpdatedAt: AT }

export interface NetOpts {
  subnet?: string
  gateway?: string
  ipRange?: string
  ingress?: boolean
  internal?: boolean
  vni?: number
  nodeAddresses?: Record<string, string>
  options?: Record<string, string>
}

/** An overlay network as buildNetwork stores it (gateway: the subnet's .1 unless told). */
export function net(id: string, name: string, o: NetOpts = {}): Network {
  const subnet = o.subnet ?? '10.0.1.0/24'
  const gateway = o.gateway ?? subnet.replace(/\.0\/\d+$/, '.1')
  return {
    ID: id, Id: id, ...meta, Created: AT, Name: name, Scope: 'swarm', Driver: 'overlay', EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: subnet, Gateway: gateway, ...(o.ipRange ? { IPRange: o.ipRange } : {}) }] },
    Internal: !!o.internal, Attachable: false, Ingress: !!o.ingress,
    ConfigFrom: { Network: '' }, ConfigOnly: false, Containers: {},
    Options: o.options ?? {}, Labels: {},
    Tsw: { Vni: o.vni ?? (o.ingress ? 4096 : 4097), NodeAddresses: o.nodeAddresses ?? {} },
  }
}

/** A ready worker at `addr`; null: one with no address. */
export function node(id: string, addr: string | null = '192.168.1.10'): Node {
  return {
    ID: id, ...meta,
    Spec: { Labels: {}, Role: 'worker', Availability: 'active' },
    Description: { Hostname: id, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 2e9, MemoryBytes: 4e9 }, Engine: { EngineVersion: '27.0.0' } },
    Status: { State: 'ready', ...(addr !== null ? { Addr: addr } : {}) } as Node['Status'],
  }
}

export interface SvcOpts {
  networks?: Array<string | { Target: string; Aliases?: string[] }>
  mode?: 'vip' | 'dnsrr'
  ports?: PortConfig[]
  /** Endpoint.Ports (the assigned ones); defaults to `ports` when they all have a published port. */
  endpointPorts?: PortConfig[]
  vips?: Array<{ NetworkID: string; Addr: string }>
}

export function svc(id: string, name = id, o: SvcOpts = {}): Service {
  const networks = o.networks?.map((n) => (typeof n === 'string' ? { Target: n } : n))
  const endpointSpec = o.mode || o.ports ? { ...(o.mode ? { Mode: o.mode } : {}), ...(o.ports ? { Ports: o.ports } : {}) } : undefined
  const endpointPorts = o.endpointPorts ?? (o.ports?.every((p) => p.PublishedPort) ? o.ports : undefined)
  return {
    ID: id, ...meta,
    Spec: {
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: 'nginx' }, ...(networks ? { Networks: networks } : {}) },
      Mode: { Replicated: { Replicas: 1 } },
      ...(endpointSpec ? { EndpointSpec: endpointSpec } : {}),
    },
    ...(endpointSpec || o.vips ? { Endpoint: { Spec: endpointSpec ?? {}, ...(endpointPorts ? { Ports: endpointPorts } : {}), ...(o.vips ? { VirtualIPs: o.vips } : {}) } } : {}),
  }
}

export interface TaskOpts {
  node?: string
  slot?: number
  state?: TaskState
  desired?: TaskState
  /** network ID → address with prefix ("10.0.1.5/24"). */
  addrs?: Record<string, string>
}

export function task(id: string, service: Service, o: TaskOpts = {}): Task {
  const attachments: NetworkAttachment[] = Object.entries(o.addrs ?? {}).map(([nid, addr]) => ({ Network: { ID: nid }, Addresses: [addr] }))
  return {
    ID: id, ...meta, Labels: {}, ServiceID: service.ID,
    Spec: { ContainerSpec: { Image: 'nginx' } },
    ...(o.slot !== undefined ? { Slot: o.slot } : {}),
    ...(o.node ? { NodeID: o.node } : {}),
    Status: { Timestamp: AT, State: o.state ?? 'running', Message: '' },
    DesiredState: o.desired ?? 'running',
    ...(o.addrs ? { NetworksAttachments: attachments } : {}),
  }
}

/** A published ingress port. */
export const port = (target: number, published?: number, mode: 'ingress' | 'host' = 'ingress', protocol: 'tcp' | 'udp' = 'tcp'): PortConfig =>
  ({ Protocol: protocol, TargetPort: target, ...(published !== undefined ? { PublishedPort: published } : {}), PublishMode: mode })
