// Listen and advertise addresses as docker takes them: IP[:PORT], port 2377 by default.
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'
import { InvalidArgumentError } from '../errors/index.js'

export const DEFAULT_PORT = 2377

/** Splits "IP[:PORT]" (or "[v6]:PORT"); the port defaults to 2377. */
export function splitHostPort(value: string, what: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(value.trim())
  if (!m) throw new InvalidArgumentError(`invalid ${what} "${value}": use IP or IP:PORT, e.g. 10.0.0.1:2377`)
  const port = m[3] ? Number(m[3]) : DEFAULT_PORT
  if (port < 1 || port > 65535) throw new InvalidArgumentError(`invalid ${what} "${value}": port must be 1-65535`)
  return { host: m[1] ?? m[2], port }
}

/** The address to advertise when none was given: the only non-loopback IPv4 of this host. */
export function defaultAdvertiseAddr(): string {
  const found: Array<{ name: string; address: string }> = []
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) found.push({ name, address: a.address })
  }
  if (found.length === 1) return found[0].address
  if (found.length === 0) {
    throw new InvalidArgumentError('could not find an IP address to advertise: this host has no non-loopback IPv4 address; use --advertise-addr')
  }
  const list = found.map((f) => `${f.address} on ${f.name}`).join(' and ')
  throw new InvalidArgumentError(`could not choose an IP address to advertise since this system has multiple addresses on different interfaces (${list}) - specify one with --advertise-addr`)
}

/** docker's error for an advertise address that is neither an interface nor an IP (daemon/cluster/listen_addr.go). */
export const BAD_ADVERTISE_ADDR = 'advertise address must be a non-zero IP address or network interface (with optional port number)'

/**
 * An --advertise-addr as docker takes it: an interface name is replaced by its
 * (first IPv4) address, anything else must be a non-zero IP; the port is kept when
 * given. Throws InvalidArgumentError otherwise (a host name would end up as every
 * task's DNS server).
 */
export function resolveAdvertiseAddr(value: string, interfaces = networkInterfaces()): { host: string; port?: number } {
  const v = value.trim()
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(v)
  // A bare IPv6 address has colons but no port.
  const host = m ? (m[1] ?? m[2]) : v
  const port = m?.[3] ? Number(m[3]) : undefined
  const bad = () => new InvalidArgumentError(`${BAD_ADVERTISE_ADDR}: "${value}" is not; e.g. --advertise-addr 10.0.0.1 or --advertise-addr eth0`)
  if (port !== undefined && (port < 1 || port > 65535)) throw bad()
  const iface = interfaces[host]
  if (iface) {
    const addr = iface.find((a) => a.family === 'IPv4') ?? iface[0]
    if (!addr) throw new InvalidArgumentError(`interface ${host} has no address to advertise: use an IP with --advertise-addr`)
    return { host: addr.address, port }
  }
  if (isIP(host) === 0 || /^0\.0\.0\.0$|^::$/.test(host)) throw bad()
  return { host, port }
}
