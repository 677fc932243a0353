// What a service spec says about networks and published ports, checked against
// the swarm: network names become IDs, ingress ports get a published port
// (30000–32767 when none is asked for) that no other service holds.
import { ConflictError, InvalidArgumentError } from '../errors/index.js'
import type { Network, PortConfig, Service, ServiceSpec } from '../types/index.js'
import { findNetwork } from './networks.js'

export const DYNAMIC_PORTS = { first: 30000, last: 32767 }

/** Rewrites TaskTemplate.Networks targets (names, IDs or prefixes) to network IDs; unknown → NotFoundError. */
export function resolveSpecNetworks(spec: ServiceSpec, networks: Network[]): void {
  const attachments = spec.TaskTemplate.Networks ?? []
  const seen = new Set<string>()
  for (const a of attachments) {
    const network = findNetwork(networks, a.Target)
    if (network.Ingress) {
      throw new InvalidArgumentError(`service cannot be explicitly attached to the ingress network "${network.Name}": publish a port (-p) to use the routing mesh`)
    }
    if (seen.has(network.ID)) throw new InvalidArgumentError(`service is attached more than once to network ${network.Name}`)
    seen.add(network.ID)
    a.Target = network.ID
  }
  const ingressPorts = (spec.EndpointSpec?.Ports ?? []).some((p) => (p.PublishMode ?? 'ingress') === 'ingress')
  if (ingressPorts && spec.EndpointSpec?.Mode === 'dnsrr') {
    throw new InvalidArgumentError('EndpointSpec: port published with ingress mode can\'t be used with dnsrr mode')
  }
}

/**
 * The service's ports with every ingress port given a published port: the one
 * asked for, else the one it had before (an update), else the first free
 * dynamic port. Throws ConflictError when another service holds it.
 */
export function assignPorts(spec: ServiceSpec, others: Service[], previous?: PortConfig[]): PortConfig[] {
  const held = new Map<string, Service>()
  for (const s of others) {
    for (const p of s.Endpoint?.Ports ?? []) {
      if ((p.PublishMode ?? 'ingress') === 'ingress' && p.PublishedPort) held.set(`${p.Protocol ?? 'tcp'}/${p.PublishedPort}`, s)
    }
  }
  const out: PortConfig[] = []
  // Ports this spec asks for by number are not free for its dynamic ones.
  const asked: PortConfig[] = (spec.EndpointSpec?.Ports ?? []).filter((p) => p.PublishedPort).map((p) => ({ ...p, Protocol: p.Protocol ?? 'tcp' }))
  for (const p of spec.EndpointSpec?.Ports ?? []) {
    const port = { ...p, Protocol: p.Protocol ?? 'tcp', PublishMode: p.PublishMode ?? 'ingress' } as PortConfig
    if (port.PublishMode !== 'ingress') { out.push(port); continue }
    if (!port.PublishedPort) {
      const before = previous?.find((q) => q.TargetPort === port.TargetPort && (q.Protocol ?? 'tcp') === port.Protocol && q.PublishMode === 'ingress')
      port.PublishedPort = before?.PublishedPort ?? freePort(port.Protocol!, held, [...asked, ...out])
    }
    const owner = held.get(`${port.Protocol}/${port.PublishedPort}`)
    if (owner) {
      throw new ConflictError(`port '${port.PublishedPort}' is already in use by service '${owner.Spec.Name}' (${owner.ID}) as an ingress port`)
    }
    out.push(port)
  }
  return out
}

function freePort(protocol: string, held: Map<string, Service>, mine: PortConfig[]): number {
  for (let n = DYNAMIC_PORTS.first; n <= DYNAMIC_PORTS.last; n++) {
    if (!held.has(`${protocol}/${n}`) && !mine.some((p) => p.Protocol === protocol && p.PublishedPort === n)) return n
  }
  throw new ConflictError(`no free port left in the dynamic range ${DYNAMIC_PORTS.first}-${DYNAMIC_PORTS.last}`)
}
