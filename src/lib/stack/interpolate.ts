// Variable interpolation as docker/cli's compose template package does it:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$
// for a literal $. Values come from the CLI's environment (no .env file, as
// docker stack deploy). Keys are never interpolated, only string values.
import { InvalidArgumentError } from '../errors/index.js'

/** Where variables are looked up. */
export type Lookup = (name: string) => string | undefined

const PATTERN = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([^}]*)\}|)/g
const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/

/** `template` with its variables substituted. Throws InvalidArgumentError naming `path` on a bad template or a missing required variable. */
export function substitute(template: string, lookup: Lookup, path: string): string {
  return template.replace(PATTERN, (whole, escaped: string | undefined, bare: string | undefined, braced: string | undefined) => {
    if (escaped) return '$'
    if (bare) return lookup(bare) ?? ''
    if (braced === undefined) throw invalid(path, template)
    const m = NAME.exec(braced)
    if (!m) throw invalid(path, template)
    const name = m[0]
    const rest = braced.slice(name.length)
    if (!rest) return lookup(name) ?? ''
    const op = /^(:?)([-?])/.exec(rest)
    if (!op) throw invalid(path, template)
    const arg = substitute(rest.slice(op[0].length), lookup, path)
    const value = lookup(name)
    // With ":" an empty value counts as unset.
    const unset = value === undefined || (op[1] === ':' && value === '')
    if (!unset) return value
    if (op[2] === '-') return arg
    throw new InvalidArgumentError(`invalid interpolation format for ${path}: required variable ${name} is missing a value${arg ? `: ${arg}` : ''}`)
  })
}

function invalid(path: string, template: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid interpolation format for ${path}: ${JSON.stringify(template)}. You may need to escape any $ with another $.`)
}

/** A copy of a parsed compose value with every string interpolated; `path` names it in errors. */
export function interpolateTree(value: unknown, lookup: Lookup, path: string): unknown {
  if (typeof value === 'string') return substitute(value, lookup, path)
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, lookup, `${path}.${i}`))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateTree(v, lookup, path ? `${path}.${k}` : k)]))
  }
  return value
}
