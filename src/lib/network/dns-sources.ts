// Who the swarm's DNS server answers: its tasks (any address of an overlay
// network's subnet) and its nodes (their data-path addresses: a container's
// query leaves its host masqueraded as the host). Anyone else is REFUSED, so
// the manager's advertised address is no open resolver.
import net from 'node:net'
import type { StoredEngine } from '../engine/record.js'
import { Reactor, type Store } from '../store/index.js'
import type { Network, Node } from '../types/index.js'
import { dataPathAddresses } from './agent.js'

/** The source addresses of `networks` and `nodes`, as a BlockList (subnets and single addresses). */
export function swarmSources(networks: Network[], nodes: Node[], engines: StoredEngine[]): net.BlockList {
  const list = new net.BlockList()
  for (const n of networks) {
    for (const c of n.IPAM.Config) {
      const [base, bits] = c.Subnet.split('/')
      if (net.isIPv4(base)) list.addSubnet(base, Number(bits), 'ipv4')
    }
  }
  const addrOf = dataPathAddresses(engines)
  for (const node of nodes) {
    const a = addrOf(node)
    if (a && net.isIP(a)) list.addAddress(a, net.isIPv6(a) ? 'ipv6' : 'ipv4')
  }
  return list
}

/** Keeps the set of sources up to date with the store; `allows` is synchronous. */
export class DnsSources {
  private list = new net.BlockList()
  private readonly reactor: Reactor

  constructor(store: Store, log: (msg: string) => void) {
    this.reactor = new Reactor({
      store, log, name: 'dns-sources', debounceMs: 20,
      wants: (e) => e.kind === 'network' || e.kind === 'node' || e.kind === 'engine',
      pass: async () => {
        const [networks, nodes, engines] = await Promise.all([store.list<Network>('network'), store.list<Node>('node'), store.list<StoredEngine>('engine')])
        this.list = swarmSources(networks, nodes, engines)
      },
    })
  }

  start(): void { this.reactor.start() }
  stop(): void { this.reactor.stop() }

  /** Whether a query from `address` is answered. */
  allows(address: string): boolean {
    const v4 = address.replace(/^::ffff:/i, '')
    return net.isIPv4(v4) ? this.list.check(v4, 'ipv4') : net.isIPv6(address) && this.list.check(address, 'ipv6')
  }
}
