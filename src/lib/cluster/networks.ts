// Network operations of the cluster API: validate a create request, store the
// network with its subnet and VXLAN ID, find it by ID, name or prefix, and
// remove it unless a service uses it. The `ingress` network is made on demand.
import { ConflictError, FailedPreconditionError, ForbiddenError, InvalidArgumentError, NotFoundError } from '../errors/index.js'
import { newId } from '../identity/index.js'
import { contains, defaultGateway, nextDefaultSubnet, overlaps, parseCidr, formatCidr } from '../network/ipam.js'
import { serviceNetworkIds } from '../network/service-networks.js'
import type { Store } from '../store/index.js'
import type { Network, NetworkCreateRequest, Node, Service } from '../types/index.js'
import { checkNetworkOptions } from './network-options.js'

export const INGRESS_NAME = 'ingress'
export const INGRESS_VNI = 4096
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/
/** Names every engine keeps for its own networks (docker's runconfig.IsPreDefinedNetwork, but ingress). */
const PREDEFINED = new Set(['bridge', 'host', 'none', 'default'])

/** The network named by ID, name or unique ID prefix, as dockerd words a miss. */
export function findNetwork(networks: Network[], ref: string): Network {
  const found = networks.find((n) => n.ID === ref) ?? networks.find((n) => n.Name === ref)
  if (found) return found
  const prefixed = networks.filter((n) => ref.length > 0 && n.ID.startsWith(ref))
  if (prefixed.length === 1) return prefixed[0]
  if (prefixed.length > 1) throw new NotFoundError(`network ${ref} is ambiguous (${prefixed.length} matches found based on ID prefix)`)
  throw new NotFoundError(`network ${ref} not found`)
}

export async function resolveNetwork(store: Store, ref: string): Promise<Network> {
  return findNetwork(await store.list<Network>('network'), ref)
}

/** Checks a create request against the networks there are; returns the network to store. */
export function buildNetwork(req: NetworkCreateRequest, existing: Network[], nodes: Node[]): Network {
  if (!req || typeof req !== 'object') throw new InvalidArgumentError('network create request must be a JSON object')
  const name = String(req.Name ?? '')
  if (!name) throw new InvalidArgumentError('network name must be provided')
  if (!NAME_RE.test(name) || name.length > 63) {
    throw new InvalidArgumentError(`invalid network name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed, at most 63 characters`)
  }
  // An overlay of that name would shadow the engine's own network of that name on every node.
  if (PREDEFINED.has(name)) throw new ForbiddenError(`operation is not permitted on predefined ${name} network `)
  const driver = req.Driver || 'overlay'
  if (driver !== 'overlay') {
    throw new InvalidArgumentError(`network driver "${driver}" is not supported by a swarm manager: only "overlay" networks span the swarm (use --driver overlay)`)
  }
  if (req.Scope && req.Scope !== 'swarm') throw new InvalidArgumentError(`network scope "${req.Scope}" is not supported: overlay networks are swarm-scoped`)
  if (req.EnableIPv6) throw new InvalidArgumentError('IPv6 overlay networks are not supported yet: create the network without --ipv6')
  checkNetworkOptions(req)
  if (req.IPAM?.Driver && req.IPAM.Driver !== 'default') throw new InvalidArgumentError(`IPAM driver "${req.IPAM.Driver}" is not supported: use the default one`)
  if (existing.some((n) => n.Name === name)) throw new ConflictError(`network with name ${name} already exists`)
  if (req.Ingress && existing.some((n) => n.Ingress)) {
    throw new FailedPreconditionError(`an ingress network (${existing.find((n) => n.Ingress)!.Name}) is already present: remove it first`)
  }
  const configs = req.IPAM?.Config ?? []
  if (configs.length > 1) throw new InvalidArgumentError('only one IPv4 subnet per network is supported')
  const taken = existing.flatMap((n) => n.IPAM.Config.map((c) => c.Subnet))
  const nodeAddrs = nodes.map((n) => n.Status.Addr).filter((a): a is string => !!a && /^\d+\.\d+\.\d+\.\d+$/.test(a))
  let subnet: string
  const want = configs[0] ?? {}
  if (want.Subnet) {
    const c = parseCidr(want.Subnet)
    if (c.bits > 29) throw new InvalidArgumentError(`subnet ${want.Subnet} is too small: use a /29 or larger`)
    subnet = formatCidr(c)
    const clash = existing.find((n) => n.IPAM.Config.some((x) => overlaps(parseCidr(x.Subnet), c)))
    if (clash) throw new FailedPreconditionError(`invalid pool request: Pool overlaps with other one on this address space (subnet ${subnet} overlaps ${clash.Name}'s ${clash.IPAM.Config[0].Subnet})`)
    // Tasks on such a subnet would route the node's own address into the overlay.
    const node = nodes.find((n) => n.Status.Addr && nodeAddrs.includes(n.Status.Addr) && contains(c, n.Status.Addr))
    if (node) {
      throw new FailedPreconditionError(`invalid pool request: Pool overlaps with other one on this address space (subnet ${subnet} holds the address ${node.Status.Addr} of node ${node.Description.Hostname}): choose a subnet outside the nodes' network`)
    }
  } else {
    if (want.Gateway || want.IPRange) throw new InvalidArgumentError('every ip-range or gateway must have a corresponding subnet')
    subnet = nextDefaultSubnet(taken, nodeAddrs)
  }
  const cidr = parseCidr(subnet)
  if (want.Gateway && !contains(cidr, want.Gateway)) throw new InvalidArgumentError(`gateway ${want.Gateway} is not in subnet ${subnet}`)
  let ipRange: string | undefined
  if (want.IPRange) {
    const range = parseCidr(want.IPRange)
    ipRange = formatCidr(range)
    if (range.base < cidr.base || range.base + 2 ** (32 - range.bits) > cidr.base + 2 ** (32 - cidr.bits)) {
      throw new InvalidArgumentError(`ip-range ${want.IPRange} is not in subnet ${subnet}`)
    }
  }
  const id = newId().slice(0, 25)
  const now = new Date().toISOString()
  const usedVnis = new Set(existing.map((n) => n.Tsw.Vni))
  let vni = req.Ingress ? INGRESS_VNI : INGRESS_VNI + 1
  while (usedVnis.has(vni)) vni++
  return {
    ID: id, Id: id, Version: { Index: 0 }, CreatedAt: now, UpdatedAt: now, Created: now,
    Name: name, Scope: 'swarm', Driver: 'overlay', EnableIPv6: false,
    IPAM: {
      Driver: 'default', Options: req.IPAM?.Options ?? null,
      Config: [{ Subnet: subnet, Gateway: want.Gateway ?? defaultGateway(subnet), ...(ipRange ? { IPRange: ipRange } : {}) }],
    },
    Internal: !!req.Internal, Attachable: !!req.Attachable, Ingress: !!req.Ingress,
    ConfigFrom: { Network: '' }, ConfigOnly: false, Containers: {},
    Options: { 'com.docker.network.driver.overlay.vxlanid_list': String(vni), ...req.Options },
    Labels: req.Labels ?? {},
    Tsw: { Vni: vni, NodeAddresses: {} },
  }
}

export async function createNetwork(store: Store, req: NetworkCreateRequest): Promise<Network> {
  const [networks, nodes] = await Promise.all([store.list<Network>('network'), store.list<Node>('node')])
  return store.create<Network>('network', buildNetwork(req, networks, nodes))
}

/** The ingress network, created (10.0.0.0/24 as swarm's, or the next free /24) when there is none. */
export async function ensureIngress(store: Store): Promise<Network> {
  const networks = await store.list<Network>('network')
  const have = networks.find((n) => n.Ingress)
  if (have) return have
  return createNetwork(store, { Name: INGRESS_NAME, Driver: 'overlay', Ingress: true, Labels: {} }).catch(async (err) => {
    // Another caller made it first.
    const again = (await store.list<Network>('network')).find((n) => n.Ingress)
    if (again) return again
    throw err
  })
}

/** Removes a network no service uses. */
export async function removeNetwork(store: Store, ref: string): Promise<void> {
  const network = await resolveNetwork(store, ref)
  const services = await store.list<Service>('service')
  const user = services.find((s) => serviceNetworkIds(s, network.Ingress ? network.ID : undefined).includes(network.ID))
  if (user) {
    throw new FailedPreconditionError(`rpc error: code = FailedPrecondition desc = network ${network.Name} is in use by service ${user.Spec.Name} (${user.ID}): remove the service or disconnect it first (tsw service update --network-rm ${network.Name} ${user.Spec.Name})`)
  }
  await store.delete('network', network.ID)
}
