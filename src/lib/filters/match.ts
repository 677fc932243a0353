// How a list filter's values test one field, as dockerd's api/types/filters:
// values of one filter are alternatives, and a filter given no values passes all.
import type { Filters } from './parse.js'
import { regexTest } from './regex.js'

/** The values of filter `name`, or [] when it was not given. */
export function valuesOf(filters: Filters, name: string): string[] {
  return filters.get(name) ?? []
}

/** Whether filter `name` is absent or one of its values passes `test`. */
export function passes(filters: Filters, name: string, test: (value: string) => boolean): boolean {
  const values = valuesOf(filters, name)
  return values.length === 0 || values.some(test)
}

/** filters.ExactMatch: no values, or one equal to `source`. */
export function exact(values: readonly string[], source: string | undefined): boolean {
  return values.length === 0 || (source !== undefined && values.includes(source))
}

/** No values, or one that `source` starts with (swarm's ID and name filters). */
export function prefix(values: readonly string[], source: string): boolean {
  return values.length === 0 || values.some((v) => source.startsWith(v))
}

/**
 * filters.Match: exact, or a value that matches `source` as an unanchored Go
 * regular expression (RE2, so linear time whatever the client sends); values
 * that do not compile are skipped, as dockerd skips them.
 */
export function match(values: readonly string[], source: string): boolean {
  if (exact(values, source)) return true
  return values.some((v) => {
    try {
      return regexTest(v, source)
    } catch {
      return false
    }
  })
}

/** filters.MatchKVList: every `key` present and every `key=value` equal (no values: true). */
export function matchLabels(values: readonly string[], labels: Record<string, string> | null | undefined): boolean {
  return values.every((v) => {
    const eq = v.indexOf('=')
    const key = eq < 0 ? v : v.slice(0, eq)
    if (!labels || !Object.hasOwn(labels, key)) return false
    return eq < 0 || labels[key] === v.slice(eq + 1)
  })
}
