// Service discovery: the names the swarm's DNS answers and their addresses.
//   <service> (and its network aliases) → its virtual IP (vip mode) or its running tasks' addresses (dnsrr)
//   tasks.<service>                     → its running tasks' addresses
//   <service>.<slot|node>.<task id>     → that task's address (its container's name)
// Addresses are those on the service's first overlay network (ingress is never
// answered). Names are swarm-wide: the resolver cannot tell which network a
// query came from, but addresses of other networks are not reachable anyway.
import { taskContainerName } from '../executor/container-config.js'
import { Reactor, type Store } from '../store/index.js'
import { isServing, wantsRun, type Service, type Task } from '../types/index.js'
import { addressOf } from './ipam.js'

export type NameIndex = Map<string, string[]>

export function buildNameIndex(services: Service[], tasks: Task[]): NameIndex {
  const index: NameIndex = new Map()
  const byService = new Map<string, Task[]>()
  for (const t of tasks) {
    const list = byService.get(t.ServiceID)
    if (list) list.push(t)
    else byService.set(t.ServiceID, [t])
  }
  for (const s of services) {
    const networks = (s.Spec.TaskTemplate.Networks ?? []).map((n) => n.Target)
    if (!networks.length) continue
    const primary = networks[0]
    const addressIn = (t: Task) => {
      const a = t.NetworksAttachments?.find((x) => x.Network.ID === primary)?.Addresses[0]
      return a ? addressOf(a) : undefined
    }
    const own = byService.get(s.ID) ?? []
    const running = own.filter(isServing)
    const taskIps = running.map(addressIn).filter((x): x is string => !!x)
    const vip = s.Endpoint?.VirtualIPs?.find((v) => v.NetworkID === primary)
    const serviceIps = (s.Spec.EndpointSpec?.Mode ?? 'vip') === 'vip' && vip ? [addressOf(vip.Addr)] : taskIps
    const names = [s.Spec.Name, ...(s.Spec.TaskTemplate.Networks ?? []).flatMap((n) => n.Aliases ?? [])]
    for (const name of names) index.set(name.toLowerCase(), serviceIps)
    index.set(`tasks.${s.Spec.Name}`.toLowerCase(), taskIps)
    for (const t of own) {
      const ip = addressIn(t)
      if (ip && t.NodeID && wantsRun(t)) index.set(taskContainerName(s.Spec.Name, t, t.NodeID).toLowerCase(), [ip])
    }
  }
  return index
}

/** Keeps a name index up to date with the store; lookups are synchronous. */
export class NameService {
  private index: NameIndex = new Map()
  private readonly reactor: Reactor

  constructor(store: Store, log: (msg: string) => void) {
    this.reactor = new Reactor({
      store, log, name: 'names', debounceMs: 20,
      wants: (e) => e.kind === 'service' || e.kind === 'task',
      pass: async () => {
        const [services, tasks] = await Promise.all([store.list<Service>('service'), store.list<Task>('task')])
        this.index = buildNameIndex(services, tasks)
      },
    })
  }

  start(): void { this.reactor.start() }
  stop(): void { this.reactor.stop() }

  /** Addresses for a name (lower case, no trailing dot); a round-robin rotation for several. */
  lookup(name: string): string[] | undefined {
    const ips = this.index.get(name)
    if (!ips || ips.length < 2) return ips
    const k = Math.floor(Math.random() * ips.length)
    return [...ips.slice(k), ...ips.slice(0, k)]
  }
}
