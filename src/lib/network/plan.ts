// What one node's host must hold for the overlay networks and the routing
// mesh, computed from the cluster's state. Pure: the agent turns a plan into
// engine networks (agent.ts) and host configuration (script.ts).
import { isServing, isTerminal, type Network, type Node, type Service, type Task } from '../types/index.js'
import { addressOf } from './ipam.js'
import { publishesIngress } from './service-networks.js'

/** One overlay network on a node: a bridge (an engine network) joined to a VXLAN device. */
export interface NodeNetwork {
  id: string
  name: string
  vni: number
  subnet: string
  /** The node's own address in the network: its bridge's, the tasks' gateway, the source of its NAT. */
  address: string
  internal: boolean
  ingress: boolean
  mtu: number
  /** The other nodes' addresses, where the VXLAN floods to. */
  peers: string[]
}

/** A service's virtual IP on a network and the task addresses behind it. */
export interface VirtualIp {
  networkId: string
  vip: string
  targets: string[]
}

/** A port published through the routing mesh and the tasks that answer it. */
export interface IngressPort {
  protocol: 'tcp' | 'udp' | 'sctp'
  published: number
  target: number
  /** Ingress addresses of the running tasks; `local` ones run on this node (no SNAT: the client's address is kept). */
  targets: Array<{ ip: string; local: boolean }>
}

export interface NodePlan {
  nodeId: string
  /** The node's own address (VXLAN's local endpoint). */
  addr: string
  networks: NodeNetwork[]
  vips: VirtualIp[]
  ingress: IngressPort[]
}

export const VXLAN_OVERHEAD = 50
const DEFAULT_MTU = 1500

export const bridgeName = (vni: number) => `tswbr${vni}`
export const vxlanName = (vni: number) => `tswvx${vni}`

/** Whether a task's container may exist: placed and not yet stopped for good. */
const holdsNetwork = (t: Task) => !!t.NodeID && !isTerminal(t.Status.State)
const answering = isServing

/**
 * The plan for `node`, or undefined when it has no usable IPv4 address.
 * `addrOf` gives a node's data-path address (where VXLAN packets go): by
 * default its Status.Addr.
 */
export function planNode(
  node: Node, nodes: Node[], networks: Network[], services: Service[], tasks: Task[],
  addrOf: (n: Node) => string | undefined = (n) => n.Status.Addr,
): NodePlan | undefined {
  const usable = (a: string | undefined): a is string => isIpv4(a) && !a.startsWith('127.')
  const addr = addrOf(node)
  if (!usable(addr)) return undefined
  const byId = new Map(networks.map((n) => [n.ID, n]))
  const ingress = networks.find((n) => n.Ingress)
  const wanted = new Set<string>()
  for (const t of tasks) {
    if (t.NodeID !== node.ID || !holdsNetwork(t)) continue
    for (const a of t.NetworksAttachments ?? []) wanted.add(a.Network.ID)
  }
  // The routing mesh answers on every node, with or without a task of the service.
  const meshed = services.filter((s) => publishesIngress(s) && s.Endpoint?.Ports?.length)
  if (ingress && meshed.length) wanted.add(ingress.ID)
  const peers = nodes.filter((n) => n.ID !== node.ID).map(addrOf).filter(usable)
  const planned: NodeNetwork[] = []
  for (const id of wanted) {
    const n = byId.get(id)
    const address = n?.Tsw.NodeAddresses[node.ID]
    if (!n || !address) continue
    const mtu = Number(n.Options['com.docker.network.driver.mtu']) || DEFAULT_MTU - VXLAN_OVERHEAD
    planned.push({ id, name: n.Name, vni: n.Tsw.Vni, subnet: n.IPAM.Config[0].Subnet, address, internal: n.Internal, ingress: n.Ingress, mtu, peers: [...peers].sort() })
  }
  planned.sort((a, b) => a.vni - b.vni)
  const here = new Set(planned.map((n) => n.id))

  const addressIn = (t: Task, networkId: string) => {
    const a = t.NetworksAttachments?.find((x) => x.Network.ID === networkId)
    return a?.Addresses[0] ? addressOf(a.Addresses[0]) : undefined
  }
  const running = new Map<string, Task[]>()
  for (const t of tasks) {
    if (!answering(t)) continue
    const list = running.get(t.ServiceID)
    if (list) list.push(t)
    else running.set(t.ServiceID, [t])
  }

  const vips: VirtualIp[] = []
  for (const s of services) {
    for (const v of s.Endpoint?.VirtualIPs ?? []) {
      if (!here.has(v.NetworkID)) continue
      const targets = (running.get(s.ID) ?? []).map((t) => addressIn(t, v.NetworkID)).filter((x): x is string => !!x).sort()
      vips.push({ networkId: v.NetworkID, vip: addressOf(v.Addr), targets })
    }
  }
  const ports: IngressPort[] = []
  if (ingress && here.has(ingress.ID)) {
    for (const s of meshed) {
      const targets = (running.get(s.ID) ?? [])
        .map((t) => ({ ip: addressIn(t, ingress.ID), local: t.NodeID === node.ID }))
        .filter((x): x is { ip: string; local: boolean } => !!x.ip)
        .sort((a, b) => (a.ip < b.ip ? -1 : 1))
      for (const p of s.Endpoint?.Ports ?? []) {
        if ((p.PublishMode ?? 'ingress') !== 'ingress' || !p.PublishedPort) continue
        ports.push({ protocol: p.Protocol ?? 'tcp', published: p.PublishedPort, target: p.TargetPort, targets })
      }
    }
  }
  ports.sort((a, b) => a.published - b.published || a.protocol.localeCompare(b.protocol))
  return { nodeId: node.ID, addr, networks: planned, vips, ingress: ports }
}

function isIpv4(s: string | undefined): s is string {
  return !!s && /^\d{1,3}(\.\d{1,3}){3}$/.test(s)
}
