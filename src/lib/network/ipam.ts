// IPv4 address management for overlay networks: subnets from the default pool,
// addresses for tasks, virtual IPs and nodes. Pure: callers pass what is in use.
import { InvalidArgumentError } from '../errors/index.js'
import type { IpamConfig } from '../types/index.js'

/** An IPv4 prefix: its first address (as a number) and length. */
export interface Cidr {
  base: number
  bits: number
}

/** Swarm's default address pool: 10.0.0.0/8, handed out in /24s. */
export const DEFAULT_POOL = '10.0.0.0/8'
export const DEFAULT_SUBNET_BITS = 24

export function ipToInt(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) {
    throw new InvalidArgumentError(`invalid IPv4 address: ${ip}`)
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
}

/** Parses "a.b.c.d/n"; the address is masked to the prefix (docker accepts 172.168.0.1/24 as 172.168.0.0/24). */
export function parseCidr(text: string): Cidr {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text.trim())
  if (!m || Number(m[2]) > 32) throw new InvalidArgumentError(`invalid CIDR address: ${text}`)
  const bits = Number(m[2])
  return { base: mask(ipToInt(m[1]), bits), bits }
}

export function formatCidr(c: Cidr): string {
  return `${intToIp(c.base)}/${c.bits}`
}

function mask(n: number, bits: number): number {
  return bits === 0 ? 0 : (n & (~0 << (32 - bits))) >>> 0
}

export function size(c: Cidr): number {
  return 2 ** (32 - c.bits)
}

export function contains(c: Cidr, ip: string | number): boolean {
  const n = typeof ip === 'number' ? ip : ipToInt(ip)
  return n >= c.base && n < c.base + size(c)
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a)
}

/**
 * The first /24 of the default pool that overlaps none of `taken` (other
 * networks' subnets) and holds none of `avoid` (node addresses, so a node's
 * own LAN is never shadowed).
 */
export function nextDefaultSubnet(taken: string[], avoid: string[]): string {
  const pool = parseCidr(DEFAULT_POOL)
  const used = taken.map(parseCidr)
  const step = 2 ** (32 - DEFAULT_SUBNET_BITS)
  for (let base = pool.base; base < pool.base + size(pool); base += step) {
    const c = { base, bits: DEFAULT_SUBNET_BITS }
    if (used.some((u) => overlaps(u, c)) || avoid.some((ip) => contains(c, ip))) continue
    return formatCidr(c)
  }
  throw new InvalidArgumentError(`could not find an available, non-overlapping IPv4 address pool among the defaults (${DEFAULT_POOL}) to assign to the network`)
}

/** The gateway docker gives a subnet when none is asked for: its first host address. */
export function defaultGateway(subnet: string): string {
  return intToIp(parseCidr(subnet).base + 1)
}

/**
 * A free address of `config` (within IPRange when set, never the subnet's own
 * network/broadcast addresses or its gateway). From the bottom, the first free
 * one after the highest in use (so a just-freed address is not handed out at
 * once); from the top (node addresses), the highest free one. Throws when full.
 */
export function allocateAddress(config: IpamConfig, used: Set<string>, from: 'bottom' | 'top' = 'bottom'): string {
  const subnet = parseCidr(config.Subnet)
  const range = config.IPRange && from === 'bottom' ? parseCidr(config.IPRange) : subnet
  const first = Math.max(range.base, subnet.base + 1)
  const last = Math.min(range.base + size(range) - 1, subnet.base + size(subnet) - 2)
  const taken = new Set(used)
  if (config.Gateway) taken.add(config.Gateway)
  const free = (n: number) => !taken.has(intToIp(n))
  if (from === 'top') {
    for (let n = last; n >= first; n--) if (free(n)) return intToIp(n)
  } else {
    let high = first - 1
    for (const ip of taken) {
      const n = safeInt(ip)
      if (n !== undefined && n >= first && n <= last && n > high) high = n
    }
    for (let n = high + 1; n <= last; n++) if (free(n)) return intToIp(n)
    for (let n = first; n <= high; n++) if (free(n)) return intToIp(n)
  }
  throw new InvalidArgumentError(`no free address left in ${config.IPRange ?? config.Subnet}`)
}

function safeInt(ip: string): number | undefined {
  try { return ipToInt(ip) } catch { return undefined }
}

/** "10.0.1.5/24" → "10.0.1.5". */
export function addressOf(withPrefix: string): string {
  return withPrefix.split('/')[0]
}

/** An address with its subnet's prefix length, as swarm writes attachments ("10.0.1.5/24"). */
export function withPrefix(ip: string, subnet: string): string {
  return `${ip}/${parseCidr(subnet).bits}`
}
