// The `filters` query parameter of every list endpoint (nodes, services, tasks,
// networks), parsed as dockerd's api/types/filters.FromJSON does.
import { InvalidArgumentError } from '../errors/index.js'

/** Filter name → its values (alternatives); names all apply. */
export type Filters = Map<string, string[]>

/**
 * Parses `?filters=`: docker's map form {"role":{"manager":true}} or the older
 * list form {"role":["manager"]}; empty or missing is no filter. Throws
 * InvalidArgumentError (400) with dockerd's words: `invalid filter` when it is
 * neither form, `invalid filter 'x'` for a name not in `allowed`.
 */
export function parseFilters(raw: string | null | undefined, allowed: readonly string[]): Filters {
  const out: Filters = new Map()
  if (!raw) return out
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new InvalidArgumentError('invalid filter')
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError('invalid filter')
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value)) out.set(name, value.map(String))
    else if (value && typeof value === 'object') out.set(name, Object.keys(value))
    else throw new InvalidArgumentError('invalid filter')
  }
  for (const name of out.keys()) {
    if (!allowed.includes(name)) throw new InvalidArgumentError(`invalid filter '${name}'`)
  }
  return out
}
