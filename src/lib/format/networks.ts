// `network ls` rows and `network inspect` output, as docker/cli prints them
// (cli/command/network/formatter.go, list.go; cli/command/inspect).
import type { Network } from '../types/index.js'
import { renderInspect } from './inspect.js'
import { renderRows } from './rows.js'
import { naturalCompare, truncateId } from './strings.js'
import { TemplateError, compileTemplate } from './template/index.js'

export const NETWORK_TABLE = 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}'
export const NETWORK_HEADERS = {
  ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6',
  Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT',
}

/** The row context of one network (the fields `--format` can use); booleans as docker prints them ("true"). */
export interface NetworkRow {
  ID: string; Name: string; Driver: string; Scope: string; IPv4: string; IPv6: string
  Internal: string; Labels: string; CreatedAt: string
}

/** One network's row; `trunc` cuts the ID to 12 characters (off with --no-trunc). */
export function networkRow(n: Network, trunc = true): NetworkRow {
  const id = n.Id ?? n.ID
  // Not in tsw's Network type: dockerd (API 1.47+) sends it, and a tsw network always has IPv4.
  const ipv4 = (n as { EnableIPv4?: boolean }).EnableIPv4 ?? true
  return {
    ID: trunc ? truncateId(id) : id,
    Name: n.Name,
    Driver: n.Driver,
    Scope: n.Scope,
    IPv4: String(ipv4),
    IPv6: String(n.EnableIPv6 ?? false),
    Internal: String(n.Internal ?? false),
    // docker joins a Go map, in no fixed order; sorted here so the output is stable.
    Labels: Object.keys(n.Labels ?? {}).sort().map((k) => `${k}=${n.Labels![k]}`).join(','),
    CreatedAt: goTimeString(n.Created),
  }
}

/** Networks in `network ls` order: by name, naturally (app9 before app10). */
export function sortNetworks(networks: Network[]): Network[] {
  return [...networks].sort((a, b) => naturalCompare(a.Name, b.Name))
}

/** `network ls`: the table (or -q IDs, or --format), sorted by name. Throws TemplateError. */
export function renderNetworks(networks: Network[], opts: { format?: string; quiet?: boolean; noTrunc?: boolean }): string {
  const rows = sortNetworks(networks).map((n) => networkRow(n, !opts.noTrunc))
  return renderRows(rows, { format: opts.format, quiet: opts.quiet, defaultTable: NETWORK_TABLE, headers: NETWORK_HEADERS })
}

/**
 * `network inspect` output: with no format or 'json' the array renderInspect prints; with a
 * template, each network on its line, and a network the template fails on becomes an error
 * while the others print (docker's TemplateInspector; nothing printed at all is one empty
 * line). Returns the text and the errors. Throws TemplateError when the template does not parse.
 */
export function renderNetworkInspect(networks: Network[], format?: string): { out: string; errors: string[] } {
  if (!format || format === 'json') return { out: renderInspect(networks, format), errors: [] }
  try {
    compileTemplate(format)
  } catch (e) {
    if (e instanceof TemplateError) throw new TemplateError(`template parsing error: ${e.message}`)
    throw e
  }
  let out = ''
  const errors: string[] = []
  for (const n of networks) {
    try {
      out += renderInspect([n], format)
    } catch (e) {
      if (!(e instanceof TemplateError)) throw e
      errors.push(e.message)
    }
  }
  return { out: out || '\n', errors }
}

/**
 * An RFC 3339 time as Go's time.Time String() prints the time it parses from JSON:
 * "2025-03-04 10:11:12.123456789 +0000 UTC", fraction without trailing zeros; a numeric
 * offset is also the zone's name ("+0200 +0200"). Text that is not such a time is returned as is.
 */
export function goTimeString(rfc3339: string): string {
  const m = /^(\d{4}-\d\d-\d\d)[Tt](\d\d:\d\d:\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))$/.exec(rfc3339 ?? '')
  if (!m) return rfc3339 ?? ''
  const frac = (m[3] ?? '').slice(0, 9).replace(/0+$/, '')
  const when = `${m[1]} ${m[2]}${frac ? '.' + frac : ''}`
  if (m[4]) return `${when} +0000 UTC`
  const offset = `${m[5]}${m[6]}${m[7]}`
  return `${when} ${offset} ${offset}`
}
