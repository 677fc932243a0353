// `GET /networks?filters=…` as dockerd filters its list (moby daemon/network/filter.go,
// FilterNetworks); parsing and the matching rules are the list filters' (filters/). Pure.
import { InvalidArgumentError } from '../errors/index.js'
import { exact, match, matchLabels, valuesOf } from '../filters/match.js'
import type { Filters } from '../filters/parse.js'
import type { Network } from '../types/index.js'

/** The filter keys dockerd accepts for networks (parseFilters rejects any other: `invalid filter 'x'`). */
export const NETWORK_FILTERS: string[] = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']

/**
 * Names of the networks dockerd calls predefined (runconfig.IsPreDefinedNetwork on Linux:
 * bridge, host, none, default). `type=builtin` keeps these, `type=custom` the others. The
 * swarm's `ingress` is not one of them: on dockerd `ls -f type=builtin` lists bridge, host
 * and none, and `type=custom` lists ingress with the user's networks. A tsw swarm has only
 * overlay networks, so `builtin` is normally empty.
 */
const PREDEFINED = new Set(['bridge', 'host', 'none', 'default'])

/** Options: whether a network is in use beyond its Containers (tsw: a service attaches to it), for `dangling`. */
export interface FilterOptions {
  inUse?: (network: Network) => boolean
}

/**
 * The networks that pass every filter, in their order. As dockerd: `driver` and `scope`
 * match exactly, `name` and `id` as filters.Match does (equal, or the value as an unanchored
 * RE2 regular expression: a part of the name or ID matches, so an ID prefix does too),
 * `label` wants every `key` or `key=value` given, `type` is builtin|custom (see PREDEFINED),
 * `dangling` true|1|false|0. Values of one key are alternatives, keys all apply. Throws
 * InvalidArgumentError: `invalid filter 'x'` for an unknown key, dockerd's messages for
 * bad `type` and `dangling` values.
 */
export function filterNetworks(networks: Network[], filters: Filters, opts: FilterOptions = {}): Network[] {
  for (const key of filters.keys()) {
    if (!NETWORK_FILTERS.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`)
  }
  const types = valuesOf(filters, 'type')
  for (const t of types) {
    if (t !== 'builtin' && t !== 'custom') throw new InvalidArgumentError(`invalid filter: 'type'='${t}'`)
  }
  const dangling = danglingValue(valuesOf(filters, 'dangling'))
  const inUse = (n: Network): boolean => PREDEFINED.has(n.Name) || Object.keys(n.Containers ?? {}).length > 0 || (opts.inUse?.(n) ?? false)
  return networks.filter((n) =>
    exact(valuesOf(filters, 'driver'), n.Driver) &&
    match(valuesOf(filters, 'name'), n.Name) &&
    match(valuesOf(filters, 'id'), n.Id ?? n.ID) &&
    matchLabels(valuesOf(filters, 'label'), n.Labels) &&
    exact(valuesOf(filters, 'scope'), n.Scope) &&
    (dangling === undefined || inUse(n) !== dangling) &&
    (types.length === 0 || types.includes(PREDEFINED.has(n.Name) ? 'builtin' : 'custom')))
}

/** `dangling`: true (only unused networks), false (only used ones) or undefined (no filter). */
function danglingValue(values: string[]): boolean | undefined {
  if (!values.length) return undefined
  if (values.length > 1) throw new InvalidArgumentError('got more than one value for filter key "dangling"')
  if (values[0] === 'true' || values[0] === '1') return true
  if (values[0] === 'false' || values[0] === '0') return false
  throw new InvalidArgumentError('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")')
}
