// `network create` flags → the POST /networks/create body. Checks what docker's CLI
// checks before it sends anything (cli/command/network/create.go, createIPAMConfig),
// in its words, and what a tsw swarm cannot do (other drivers, scopes, IPAM drivers,
// IPv6, several subnets), saying what to do instead.
import { Flags } from '@oclif/core'
import { BlockList, isIP } from 'node:net'
import { InvalidArgumentError } from '../../errors/index.js'
import type { IpamConfig, NetworkCreateRequest } from '../../types/index.js'

const list = (description: string, char?: 'o') => Flags.string({ description, char, multiple: true, multipleNonGreedy: true })

/** docker's flags of `network create` that a swarm network can use. */
export const networkCreateFlags = {
  driver: Flags.string({ char: 'd', description: 'Driver to manage the Network (only "overlay")', default: 'overlay' }),
  opt: list('Set driver specific options', 'o'),
  label: list('Set metadata on a network'),
  internal: Flags.boolean({ description: 'Restrict external access to the network' }),
  ipv6: Flags.boolean({ description: 'Enable IPv6 networking (not supported)' }),
  attachable: Flags.boolean({ description: 'Enable manual container attachment' }),
  ingress: Flags.boolean({ description: 'Create swarm routing-mesh network' }),
  scope: Flags.string({ description: 'Control the network\'s scope (only "swarm")' }),
  'ipam-driver': Flags.string({ description: 'IP Address Management Driver (only "default")', default: 'default' }),
  subnet: list('Subnet in CIDR format that represents a network segment'),
  'ip-range': list('Allocate container ip from a sub-range'),
  gateway: list('IPv4 or IPv6 Gateway for the master subnet'),
}

export interface NetworkCreateFlagValues {
  driver?: string
  opt?: string[]
  label?: string[]
  internal?: boolean
  ipv6?: boolean
  attachable?: boolean
  ingress?: boolean
  scope?: string
  'ipam-driver'?: string
  subnet?: string[]
  'ip-range'?: string[]
  gateway?: string[]
}

/** The request for `network create NAME` with these flags. Throws InvalidArgumentError. */
export function createRequestFromFlags(name: string, flags: NetworkCreateFlagValues): NetworkCreateRequest {
  const driver = flags.driver ?? 'overlay'
  if (driver !== 'overlay') {
    throw new InvalidArgumentError(`only the overlay driver is supported by a swarm; "${driver}" networks are local to one engine (leave out -d, or use -d overlay)`)
  }
  if (flags.scope !== undefined && flags.scope !== 'swarm') {
    throw new InvalidArgumentError(`only the swarm scope is supported by a swarm; leave out --scope (got "${flags.scope}")`)
  }
  const ipamDriver = flags['ipam-driver'] ?? 'default'
  if (ipamDriver !== 'default') {
    throw new InvalidArgumentError(`only the default IPAM driver is supported by a swarm; leave out --ipam-driver (got "${ipamDriver}")`)
  }
  if (flags.ipv6) throw new InvalidArgumentError('IPv6 is not supported by tsw networks; leave out --ipv6')
  const labels = (flags.label ?? []).map(checkLabel)
  return {
    Name: name,
    Driver: 'overlay',
    Scope: 'swarm',
    Internal: flags.internal ?? false,
    Attachable: flags.attachable ?? false,
    Ingress: flags.ingress ?? false,
    IPAM: { Driver: 'default', Options: {}, Config: ipamConfig(flags.subnet ?? [], flags['ip-range'] ?? [], flags.gateway ?? []) },
    Options: kvMap(flags.opt ?? []),
    Labels: kvMap(labels),
  }
}

/**
 * The IPAM config of --subnet, --ip-range and --gateway, checked as docker's createIPAMConfig
 * checks them (the subnet's own syntax is the manager's to check, as it is dockerd's). A tsw
 * network has one subnet at most.
 */
function ipamConfig(subnets: string[], ranges: string[], gateways: string[]): IpamConfig[] {
  if (subnets.length < ranges.length || subnets.length < gateways.length) {
    throw new InvalidArgumentError('every ip-range or gateway must have a corresponding subnet')
  }
  if (subnets.length > 1) {
    throw new InvalidArgumentError(`a tsw network has one subnet; got ${subnets.length} (${subnets.join(', ')}): give one --subnet`)
  }
  if (subnets.length === 0) return []
  const [subnet] = subnets
  const config: IpamConfig = { Subnet: subnet }
  for (const r of ranges) {
    parseCidr(r)
    if (!subnetContains(subnet, r)) throw new InvalidArgumentError(`no matching subnet for range ${r}`)
    config.IPRange = r
  }
  for (const g of gateways) {
    if (!subnetContains(subnet, g)) throw new InvalidArgumentError(`no matching subnet for gateway ${g}`)
    config.Gateway = g
  }
  return [config]
}

/** docker's opts.ValidateLabel, as a flag error. */
function checkLabel(value: string): string {
  const eq = value.indexOf('=')
  if (!(eq < 0 ? value : value.slice(0, eq)).trim()) {
    throw new InvalidArgumentError(`invalid argument "${value}" for "--label" flag: invalid label '${value}': empty name`)
  }
  return value
}

/** docker's ConvertKVStringsToMap: "k=v" → {k: "v"}, "k" → {k: ""}. */
function kvMap(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const v of values) {
    const eq = v.indexOf('=')
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1)
  }
  return out
}

/** Go's net.ParseCIDR: the address and prefix length, or docker's "invalid CIDR address: x". */
function parseCidr(text: string): { addr: string; bits: number; family: 'ipv4' | 'ipv6' } {
  const slash = text.indexOf('/')
  const addr = slash < 0 ? '' : text.slice(0, slash)
  const bits = slash < 0 ? NaN : /^\d{1,3}$/.test(text.slice(slash + 1)) ? Number(text.slice(slash + 1)) : NaN
  const v = isIP(addr)
  if (!v || !(bits <= (v === 4 ? 32 : 128))) throw new InvalidArgumentError(`invalid CIDR address: ${text}`)
  return { addr, bits, family: v === 4 ? 'ipv4' : 'ipv6' }
}

/** docker's subnetMatches: whether the subnet holds the address (or a CIDR's address); "invalid subnet: …" when it is not a CIDR. */
function subnetContains(subnet: string, data: string): boolean {
  let net: ReturnType<typeof parseCidr>
  try {
    net = parseCidr(subnet)
  } catch (e) {
    throw new InvalidArgumentError(`invalid subnet: ${(e as Error).message}`)
  }
  const ip = data.includes('/') ? parseCidr(data).addr : data
  const v = isIP(ip)
  if (!v) return false
  const block = new BlockList()
  block.addSubnet(net.addr, net.bits, net.family)
  return block.check(ip, v === 4 ? 'ipv4' : 'ipv6')
}
