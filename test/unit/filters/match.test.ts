import { describe, expect, test } from 'vitest'
import { exact, match, matchLabels, passes, prefix, valuesOf } from '../../../src/lib/filters/match.js'

describe('list filter matching', () => {
  test('exact: no values pass all, else one must be equal', () => {
    expect(exact([], 'overlay')).toBe(true)
    expect(exact(['overlay', 'bridge'], 'bridge')).toBe(true)
    expect(exact(['over'], 'overlay')).toBe(false)
    expect(exact(['x'], undefined)).toBe(false)
  })
  test('prefix: a value the field starts with', () => {
    expect(prefix([], 'k3v9fq')).toBe(true)
    expect(prefix(['zz', 'k3v'], 'k3v9fq')).toBe(true)
    expect(prefix(['3v9'], 'k3v9fq')).toBe(false)
  })
  test('match: equal, or an unanchored RE2 regexp; a pattern that does not compile is skipped', () => {
    expect(match(['net'], 'web-net')).toBe(true)
    expect(match(['^web', 'zzz'], 'web-net')).toBe(true)
    expect(match(['^net'], 'web-net')).toBe(false)
    expect(match(['('], '(')).toBe(true) // equal
    expect(match(['('], 'a(b')).toBe(false) // not a regexp, not equal
    expect(match(['\\pL+-net'], 'web-net')).toBe(true) // RE2's Unicode classes
  })
  test('matchLabels: every key present, every key=value equal, own keys only', () => {
    const labels = { env: 'prod', team: 'a', empty: '' }
    expect(matchLabels([], undefined)).toBe(true)
    expect(matchLabels(['env', 'team=a'], labels)).toBe(true)
    expect(matchLabels(['empty='], labels)).toBe(true)
    expect(matchLabels(['env=dev'], labels)).toBe(false)
    expect(matchLabels(['env'], null)).toBe(false)
    expect(matchLabels(['constructor'], {})).toBe(false) // not an inherited property
  })
  test('passes: an absent filter passes, else any value does', () => {
    const f = new Map([['role', ['manager', 'worker']], ['none', []]])
    expect(passes(f, 'missing', () => false)).toBe(true)
    expect(passes(f, 'none', () => false)).toBe(true)
    expect(passes(f, 'role', (v) => v === 'worker')).toBe(true)
    expect(passes(f, 'role', (v) => v === 'admin')).toBe(false)
    expect(valuesOf(f, 'missing')).toEqual([])
  })
})
