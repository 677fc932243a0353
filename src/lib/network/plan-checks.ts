// The second wall before a node plan becomes shell and iptables-restore text
// (script.ts): every value is checked to be what its place takes (an IPv4
// address, a CIDR, a port, a protocol name, a number in range). The API checks
// the same on the way in; this catches whatever got into the store otherwise
// (an older version, a hand-edited store), so no value can end the heredoc or
// add a command in the helper container.
import { TswError } from '../errors/index.js'
import type { NodePlan } from './plan.js'

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
const PROTOCOLS = new Set(['tcp', 'udp', 'sctp'])

/** A plan holds a value its script cannot take: it is not rendered. */
export class UnsafePlanError extends TswError {
  constructor(what: string, value: unknown) {
    super(`refusing to write the host network script: ${what} ${JSON.stringify(value)} is not valid (the store holds a value the API would refuse)`, 500)
  }
}

const isIpv4 = (s: unknown): boolean => typeof s === 'string' && IPV4.test(s)
const isCidr = (s: unknown): boolean => typeof s === 'string' && /^[\d.]+\/(3[0-2]|[12]?\d)$/.test(s) && isIpv4(s.split('/')[0])
const isInt = (n: unknown, min: number, max: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max

/** Throws UnsafePlanError naming the first value of `plan` that is not what its place in the script takes. */
export function checkPlan(plan: NodePlan): void {
  const need = (ok: boolean, what: string, value: unknown) => { if (!ok) throw new UnsafePlanError(what, value) }
  need(isIpv4(plan.addr), 'node address', plan.addr)
  for (const n of plan.networks) {
    need(isInt(n.vni, 1, 16_777_215), 'VXLAN ID', n.vni)
    need(isInt(n.mtu, 68, 65_535), `MTU of network ${n.id}`, n.mtu)
    need(isCidr(n.subnet), `subnet of network ${n.id}`, n.subnet)
    need(isIpv4(n.address), `node address in network ${n.id}`, n.address)
    for (const p of n.peers) need(isIpv4(p), 'peer address', p)
  }
  for (const v of plan.vips) {
    need(isIpv4(v.vip), 'virtual IP', v.vip)
    for (const t of v.targets) need(isIpv4(t), 'task address', t)
  }
  for (const p of plan.ingress) {
    need(PROTOCOLS.has(p.protocol), 'published port protocol', p.protocol)
    need(isInt(p.published, 1, 65_535), 'published port', p.published)
    need(isInt(p.target, 1, 65_535), 'target port', p.target)
    for (const t of p.targets) need(isIpv4(t.ip), 'task address', t.ip)
  }
}
