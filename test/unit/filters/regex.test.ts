import { describe, expect, test } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { compileRegex, InvalidRegexError, regexTest } from '../../../src/lib/filters/regex.js'

describe('client regular expressions (RE2)', () => {
  test('a pathological pattern against a long input answers at once (JavaScript RegExp would backtrack for ages)', () => {
    const input = 'a'.repeat(100_000) + '!'
    const started = performance.now()
    expect(regexTest('(a+)+$', input)).toBe(false)
    expect(regexTest('(a|aa)+b', input)).toBe(false)
    expect(regexTest('(a+)+!$', input)).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
  })
  test('matches as RE2 (Go regexp) does: unanchored, leftmost-first, Go syntax', () => {
    expect(regexTest('node0[12]', 'xnode02y')).toBe(true)
    expect(regexTest('^node0[12]$', 'xnode02y')).toBe(false)
    expect(regexTest('(?i)WEB', 'web')).toBe(true)
    expect(regexTest('\\Aweb\\z', 'web')).toBe(true)
    expect(regexTest('[[:digit:]]+', 'v28')).toBe(true)
  })
  test('an invalid pattern, or Perl syntax RE2 lacks, is a 400 that says why', () => {
    for (const bad of ['(', 'a{2,1}', '(?=web)', '(a)\\1']) {
      let err: unknown
      try { compileRegex(bad) } catch (e) { err = e }
      expect(err).toBeInstanceOf(InvalidRegexError)
      expect(err).toBeInstanceOf(InvalidArgumentError)
      expect((err as InvalidArgumentError).status).toBe(400)
      expect((err as Error).message).toMatch(new RegExp(`^invalid regular expression ${JSON.stringify(bad).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: error parsing regexp: `))
    }
  })
})
