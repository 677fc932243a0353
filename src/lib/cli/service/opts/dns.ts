// --dns, --dns-search and --host (extra hosts) as docker's validators read
// them (opts.ValidateIPAddress, ValidateDNSSearch, ValidateExtraHost).
import { isIP } from 'node:net'

const DOMAIN_RE = /^(:?(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))(:?\.(:?[a-zA-Z0-9]|(:?[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])))*)\.?\s*$/

/** A --dns value: an IPv4 or IPv6 address. Throws Error. */
export function parseIPAddress(value: string): string {
  const ip = value.trim()
  if (!isIP(ip)) throw new Error(`IP address is not correctly formatted: ${value}`)
  return ip
}

/** A --dns-search value: a domain name (or "."). Throws Error. */
export function parseDnsSearch(value: string): string {
  const ns = value.replace(/^ +| +$/g, '')
  if (ns === '.') return ns
  if (!DOMAIN_RE.test(ns)) throw new Error(`${ns} is not a valid domain`)
  const domain = ns.replace(/\.$/, '')
  if (domain.length > 255) throw new Error(`${domain} is not a valid domain`)
  return ns
}

/** A --host value, "host:ip" or "host=ip" (ip may be [v6] or host-gateway), as "host:ip". Throws Error. */
export function parseExtraHost(value: string): string {
  let sep = value.indexOf('=')
  if (sep < 0) sep = value.indexOf(':')
  const name = sep < 0 ? '' : value.slice(0, sep)
  let ip = sep < 0 ? '' : value.slice(sep + 1)
  if (sep < 0 || !name || name.includes(':')) throw new Error(`bad format for add-host: ${JSON.stringify(value)}`)
  if (ip !== 'host-gateway') {
    if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1)
    if (!isIP(ip)) throw new Error(`invalid IP address in add-host: ${JSON.stringify(ip)}`)
  }
  return `${name}:${ip}`
}

/** "host:ip" → swarm's "ip host" (docker's convertExtraHostsToSwarmHosts). */
export function toSwarmHost(extraHost: string): string {
  const sep = extraHost.indexOf(':')
  return `${extraHost.slice(sep + 1)} ${extraHost.slice(0, sep)}`
}
