// Docker's list filters: `?filters={"role":{"manager":true}}` (or the old
// list form {"role":["manager"]}), parsed into name → values.
import { InvalidArgumentError } from '../errors/index.js'

export type Filters = Map<string, string[]>

/** Parses the `filters` query parameter; checks names against `allowed`. */
export function parseFilters(raw: string | null, allowed: string[]): Filters {
  const out: Filters = new Map()
  if (!raw) return out
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new InvalidArgumentError(`invalid filter JSON: ${raw}`)
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidArgumentError(`invalid filter JSON: ${raw}`)
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!allowed.includes(name)) throw new InvalidArgumentError(`Invalid filter '${name}'`)
    const values = Array.isArray(value) ? value.map(String) : Object.keys(value as object)
    out.set(name, values)
  }
  return out
}

/** Whether `labels` has every `key` or `key=value` asked for. */
export function matchLabels(labels: Record<string, string> | undefined, wanted: string[]): boolean {
  return wanted.every((w) => {
    const eq = w.indexOf('=')
    if (eq < 0) return labels !== undefined && w in labels
    return labels?.[w.slice(0, eq)] === w.slice(eq + 1)
  })
}
