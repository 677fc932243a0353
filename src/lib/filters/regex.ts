// Regular expressions that come from clients (a network `name` filter, a classic
// /re/ constraint) run on RE2 (re2js), never on JavaScript's backtracking RegExp:
// matching is linear in the input, so `(a+)+$` cannot block the event loop, and
// the syntax is Go's regexp, which dockerd and classic swarm use.
import { RE2JS } from 're2js'
import { InvalidArgumentError } from '../errors/index.js'

/** A compiled client pattern. */
export interface ClientRegex {
  /** Whether the pattern matches somewhere in `input` (unanchored, as Go's MatchString). */
  test(input: string): boolean
}

/** A pattern that is not an RE2 regular expression (400); `reason` is RE2's. */
export class InvalidRegexError extends InvalidArgumentError {
  constructor(readonly pattern: string, readonly reason: string) {
    super(`invalid regular expression ${JSON.stringify(pattern)}: ${reason}`)
  }
}

const cache = new Map<string, ClientRegex>()
const CACHE_SIZE = 256

/** Compiles `pattern` as RE2; throws InvalidRegexError (400) with RE2's reason when it is not one. */
export function compileRegex(pattern: string): ClientRegex {
  let re = cache.get(pattern)
  if (re) return re
  try {
    const compiled = RE2JS.compile(pattern)
    re = { test: (input) => compiled.test(input) }
  } catch (err) {
    throw new InvalidRegexError(pattern, (err as Error).message)
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!)
  cache.set(pattern, re)
  return re
}

/** Whether `pattern` (RE2) matches somewhere in `input`; throws InvalidRegexError for a bad pattern. */
export function regexTest(pattern: string, input: string): boolean {
  return compileRegex(pattern).test(input)
}
