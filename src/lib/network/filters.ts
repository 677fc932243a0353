// `GET /networks?filters=…` as dockerd filters its list (moby daemon/network/filter.go,
// FilterNetworks, and api/types/filters for the matching rules). Pure.
import { InvalidArgumentError } from '../errors/index.js'
import type { Network } from '../types/index.js'

/** The filter keys dockerd accepts for networks; any other is `invalid filter 'x'`. */
export const NETWORK_FILTERS: string[] = ['dangling', 'driver', 'id', 'label', 'name', 'scope', 'type']

/**
 * Names of the networks dockerd calls predefined (runconfig.IsPreDefinedNetwork on Linux:
 * bridge, host, none, default). `type=builtin` keeps these, `type=custom` the others. The
 * swarm's `ingress` is not one of them: on dockerd `ls -f type=builtin` lists bridge, host
 * and none, and `type=custom` lists ingress with the user's networks. A tsw swarm has only
 * overlay networks, so `builtin` is normally empty.
 */
const PREDEFINED = new Set(['bridge', 'host', 'none', 'default'])

/**
 * Parses the `filters` query parameter: docker's map form {"name":{"web":true}} or the
 * older list form {"name":["web"]}. An empty or missing parameter is no filter. Throws
 * InvalidArgumentError "invalid filter" when it is not one of those (dockerd's words).
 */
export function parseNetworkFilters(raw: string | null | undefined): Record<string, string[]> {
  if (!raw) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new InvalidArgumentError('invalid filter')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('invalid filter')
  const out: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) out[key] = value.map(String)
    else if (value && typeof value === 'object') out[key] = Object.keys(value)
    else throw new InvalidArgumentError('invalid filter')
  }
  return out
}

/** Options: whether a network is in use beyond its Containers (tsw: a service attaches to it), for `dangling`. */
export interface FilterOptions {
  inUse?: (network: Network) => boolean
}

/**
 * The networks that pass every filter, in their order. As dockerd: `driver` and `scope`
 * match exactly, `name` and `id` as filters.Match does (equal, or the value as an unanchored
 * regular expression: a part of the name or ID matches, so an ID prefix does too), `label`
 * wants every `key` or `key=value` given, `type` is builtin|custom (see PREDEFINED),
 * `dangling` true|1|false|0. Values of one key are alternatives, keys all apply. Throws
 * InvalidArgumentError: `invalid filter 'x'` for an unknown key, dockerd's messages for
 * bad `type` and `dangling` values.
 */
export function filterNetworks(networks: Network[], filters: Record<string, string[]>, opts: FilterOptions = {}): Network[] {
  for (const key of Object.keys(filters)) {
    if (!NETWORK_FILTERS.includes(key)) throw new InvalidArgumentError(`invalid filter '${key}'`)
  }
  const types = filters.type ?? []
  for (const t of types) {
    if (t !== 'builtin' && t !== 'custom') throw new InvalidArgumentError(`invalid filter: 'type'='${t}'`)
  }
  const dangling = danglingValue(filters.dangling)
  const inUse = (n: Network): boolean => PREDEFINED.has(n.Name) || Object.keys(n.Containers ?? {}).length > 0 || (opts.inUse?.(n) ?? false)
  return networks.filter((n) =>
    exact(filters.driver, n.Driver) &&
    match(filters.name, n.Name) &&
    match(filters.id, n.Id ?? n.ID) &&
    matchLabels(filters.label, n.Labels) &&
    exact(filters.scope, n.Scope) &&
    (dangling === undefined || inUse(n) !== dangling) &&
    (types.length === 0 || types.includes(PREDEFINED.has(n.Name) ? 'builtin' : 'custom')))
}

/** filters.ExactMatch: no values, or one equal to `source`. */
function exact(values: string[] | undefined, source: string): boolean {
  return !values?.length || values.includes(source)
}

/** filters.Match: exact, or a value that matches as a regular expression (values that do not compile are skipped). */
function match(values: string[] | undefined, source: string): boolean {
  if (exact(values, source)) return true
  return values!.some((v) => {
    try {
      return new RegExp(v).test(source)
    } catch {
      return false
    }
  })
}

/** filters.MatchKVList: every `key` present and every `key=value` equal. */
function matchLabels(values: string[] | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!values?.length) return true
  return values.every((v) => {
    const eq = v.indexOf('=')
    const key = eq < 0 ? v : v.slice(0, eq)
    if (!labels || !Object.hasOwn(labels, key)) return false
    return eq < 0 || labels[key] === v.slice(eq + 1)
  })
}

/** `dangling`: true (only unused networks), false (only used ones) or undefined (no filter). */
function danglingValue(values: string[] | undefined): boolean | undefined {
  if (!values?.length) return undefined
  if (values.length > 1) throw new InvalidArgumentError('got more than one value for filter key "dangling"')
  if (values[0] === 'true' || values[0] === '1') return true
  if (values[0] === 'false' || values[0] === '0') return false
  throw new InvalidArgumentError('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")')
}
