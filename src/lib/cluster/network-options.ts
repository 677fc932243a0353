// A network create request's options, checked before anything is stored: the
// MTU reaches every node's host script (network/script.ts) and the engines'
// bridge networks, so only a number they take gets in; no option carries a
// control character (a newline would start a new line of that script).
import { InvalidArgumentError } from '../errors/index.js'
import type { NetworkCreateRequest } from '../types/index.js'
import { show } from './port-checks.js'

export const MTU_OPTION = 'com.docker.network.driver.mtu'
/** IPv4's least MTU (RFC 791) and the most a Linux device takes. */
export const MTU_RANGE = { min: 68, max: 65_535 }
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** Checks the options of a create request. Throws InvalidArgumentError naming the option. */
export function checkNetworkOptions(req: NetworkCreateRequest): void {
  checkStrings(req.Options, 'network option')
  checkStrings(req.IPAM?.Options, 'IPAM option')
  const mtu = req.Options?.[MTU_OPTION]
  if (mtu !== undefined && mtu !== '') {
    const n = /^\d{1,5}$/.test(mtu) ? Number(mtu) : NaN
    if (!(n >= MTU_RANGE.min && n <= MTU_RANGE.max)) {
      throw new InvalidArgumentError(`invalid MTU number: ${show(mtu)}: ${MTU_OPTION} takes a whole number from ${MTU_RANGE.min} to ${MTU_RANGE.max}`)
    }
  }
  const configs = req.IPAM?.Config
  if (configs !== undefined && configs !== null && !Array.isArray(configs)) throw new InvalidArgumentError('IPAM: Config must be a list')
  for (const c of configs ?? []) {
    if (!c || typeof c !== 'object') throw new InvalidArgumentError('IPAM: each Config must be a JSON object')
    for (const field of ['Subnet', 'Gateway', 'IPRange'] as const) {
      const v = c[field]
      if (v !== undefined && (typeof v !== 'string' || CONTROL.test(v) || v !== v.trim())) {
        throw new InvalidArgumentError(`IPAM: invalid ${field} ${show(v)}: expected an IPv4 ${field === 'Gateway' ? 'address' : 'CIDR such as 10.1.0.0/24'}`)
      }
    }
  }
}

// Every key and value a string without control characters.
function checkStrings(record: unknown, what: string): void {
  if (record === undefined || record === null) return
  if (typeof record !== 'object' || Array.isArray(record)) throw new InvalidArgumentError(`${what}s must be a JSON object of strings`)
  for (const [k, v] of Object.entries(record)) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`${what} ${show(k)}: the value must be a string, not ${show(v)}`)
    if (CONTROL.test(k) || CONTROL.test(v)) throw new InvalidArgumentError(`${what} ${show(k)}=${show(v)}: control characters (such as a newline) are not allowed`)
  }
}
