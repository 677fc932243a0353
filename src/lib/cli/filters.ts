import { InvalidArgumentError } from '../errors/index.js'

/** `--filter k=v` flags as the JSON docker sends ({"k":{"v":true}}), or undefined. */
export function filtersQuery(values: string[] | undefined): string | undefined {
  if (!values?.length) return undefined
  const out: Record<string, Record<string, boolean>> = {}
  for (const v of values) {
    const eq = v.indexOf('=')
    if (eq <= 0) throw new InvalidArgumentError(`bad format of filter (expected name=value): ${v}`)
    const name = v.slice(0, eq).trim().toLowerCase()
    ;(out[name] ??= {})[v.slice(eq + 1)] = true
  }
  return JSON.stringify(out)
}
