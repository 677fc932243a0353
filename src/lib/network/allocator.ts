// Who holds which address. One allocator per manager: the orchestrator and the
// updater take addresses from it for the tasks they make, so two tasks never
// get the same one. It is rebuilt from the store on every orchestrator pass;
// addresses handed out since (tasks not yet stored) stay reserved for a while.
import { serviceNetworkIds } from './service-networks.js'
import { InvalidArgumentError } from '../errors/index.js'
import { addressOf, allocateAddress, withPrefix } from './ipam.js'
import { isTerminal, type Network, type NetworkAttachment, type Node, type Service, type Task } from '../types/index.js'

const RESERVATION_MS = 60_000

export class NetworkAllocator {
  private networks = new Map<string, Network>()
  private used = new Map<string, Set<string>>()
  private readonly reserved: Array<{ networkId: string; ip: string; at: number }> = []

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts again from what the store holds. */
  refresh(networks: Network[], services: Service[], tasks: Task[]): void {
    this.networks = new Map(networks.map((n) => [n.ID, n]))
    this.used = new Map(networks.map((n) => [n.ID, new Set(Object.values(n.Tsw.NodeAddresses))]))
    for (const s of services) for (const v of s.Endpoint?.VirtualIPs ?? []) this.mark(v.NetworkID, addressOf(v.Addr))
    for (const t of tasks) {
      if (isTerminal(t.Status.State)) continue
      for (const a of t.NetworksAttachments ?? []) for (const addr of a.Addresses) this.mark(a.Network.ID, addressOf(addr))
    }
    const cutoff = this.now() - RESERVATION_MS
    while (this.reserved.length && this.reserved[0].at < cutoff) this.reserved.shift()
    for (const r of this.reserved) this.mark(r.networkId, r.ip)
  }

  get ingress(): Network | undefined {
    return [...this.networks.values()].find((n) => n.Ingress)
  }

  network(id: string): Network | undefined {
    return this.networks.get(id)
  }

  /**
   * For each network, the addresses to add for nodes that have none there (an
   * empty map when all have one). A network whose subnet is full gets no more:
   * the nodes past it have no address there (their tasks on it cannot start,
   * prepare() says so) and every other network and service is still served;
   * `full` names those networks. (Swarm's default ingress, a /24, holds 253 nodes.)
   */
  nodeAddresses(nodes: Node[]): Map<string, Record<string, string>> {
    const out = new Map<string, Record<string, string>>()
    this.full = []
    for (const n of this.networks.values()) {
      const add: Record<string, string> = {}
      let count = 0
      for (const node of nodes) {
        if (n.Tsw.NodeAddresses[node.ID]) continue
        try {
          add[node.ID] = this.take(n, 'top')
          count++
        } catch (err) {
          if (!(err instanceof InvalidArgumentError)) throw err
          this.full.push(`${n.Name} (${n.IPAM.Config[0].Subnet})`)
          break
        }
      }
      if (count) out.set(n.ID, add)
    }
    return out
  }

  /** Networks the last nodeAddresses() found full (name and subnet). */
  full: string[] = []

  /**
   * The virtual IPs a service should have: one per network it is attached to
   * (ingress aside) in vip mode, none in dnsrr mode. Existing ones are kept.
   */
  virtualIps(service: Service): Array<{ NetworkID: string; Addr: string }> {
    if ((service.Spec.EndpointSpec?.Mode ?? 'vip') !== 'vip') return []
    const have = service.Endpoint?.VirtualIPs ?? []
    const out: Array<{ NetworkID: string; Addr: string }> = []
    for (const a of service.Spec.TaskTemplate.Networks ?? []) {
      const n = this.networks.get(a.Target)
      if (!n || n.Ingress) continue
      const kept = have.find((v) => v.NetworkID === n.ID)
      out.push(kept ?? { NetworkID: n.ID, Addr: withPrefix(this.take(n), n.IPAM.Config[0].Subnet) })
    }
    return out
  }

  /** Addresses for a new task of `service` on every network it joins (ingress first when it publishes ingress ports). */
  attach(service: Service): NetworkAttachment[] {
    return serviceNetworkIds(service, this.ingress?.ID).flatMap((id) => {
      const n = this.networks.get(id)
      if (!n) return []
      return [{
        Network: { ID: n.ID, Spec: { Name: n.Name, ...(n.Ingress ? { Ingress: true } : {}) } },
        Addresses: [withPrefix(this.take(n), n.IPAM.Config[0].Subnet)],
      }]
    })
  }

  private take(n: Network, from: 'bottom' | 'top' = 'bottom'): string {
    const used = this.used.get(n.ID) ?? new Set<string>()
    const ip = allocateAddress(n.IPAM.Config[0], used, from)
    this.mark(n.ID, ip)
    this.reserved.push({ networkId: n.ID, ip, at: this.now() })
    return ip
  }

  private mark(networkId: string, ip: string): void {
    let set = this.used.get(networkId)
    if (!set) this.used.set(networkId, (set = new Set()))
    set.add(ip)
  }
}
