// Variable interpolation as docker/cli's compose template package does it:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}, $$
// for a literal $. Values come from the CLI's environment (no .env file, as
// docker stack deploy). Keys are never interpolated, only string values.
import { InvalidArgumentError } from '../errors/index.js'

/** Where variables are looked up. */
export type Lookup = (name: string) => string | undefined

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/

/** `template` with its variables substituted. Throws InvalidArgumentError naming `path` on a bad template or a missing required variable. */
export function substitute(template: string, lookup: Lookup, path: string): string {
  let out = ''
  for (let i = 0; i < template.length; i++) {
    const c = template[i]
    if (c !== '$') {
      out += c
      continue
    }
    const next = template[i + 1]
    if (next === '$') {
      out += '$'
      i++
      continue
    }
    if (next !== '{') {
      const m = NAME.exec(template.slice(i + 1))
      if (!m) throw invalid(path, template)
      out += lookup(m[0]) ?? ''
      i += m[0].length
      continue
    }
    // ${…}: up to the matching brace, so a default may hold ${OTHER}.
    let depth = 1
    let j = i + 2
    for (; j < template.length && depth > 0; j++) {
      if (template[j] === '{') depth++
      else if (template[j] === '}') depth--
    }
    if (depth > 0) throw invalid(path, template)
    out += braced(template.slice(i + 2, j - 1), lookup, path, template)
    i = j - 1
  }
  return out
}

function braced(inner: string, lookup: Lookup, path: string, template: string): string {
  const m = NAME.exec(inner)
  if (!m) throw invalid(path, template)
  const name = m[0]
  const rest = inner.slice(name.length)
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
