import { describe, expect, test } from 'vitest'
import { parseFilters } from '../../../src/lib/filters/parse.js'
import { filterNetworks, NETWORK_FILTERS } from '../../../src/lib/network/filters.js'
import type { Network } from '../../../src/lib/types/index.js'

const nw = (Name: string, Id: string, over: Partial<Network> = {}): Network =>
  ({ Name, Id, ID: Id, Driver: 'overlay', Scope: 'swarm', Labels: {}, Containers: {}, ...over }) as Network

const NETS = [
  nw('ingress', 'x0mpo7d1a2s3d4f5g6h7j8k9l', { Ingress: true, Labels: null as never, Containers: null as never }),
  nw('web-net', 'k3v9fq2x1m8ze0wq7yt4nb5ha', { Labels: { env: 'prod', team: 'a' } }),
  nw('db-net', 'd7b00000000000000000000aa', { Labels: { env: 'dev' }, Containers: { c1: {} } }),
  nw('bridge', 'br1dge000000000000000000b', { Driver: 'bridge' as never, Scope: 'local' as never }),
]
const names = (filters: Record<string, string[]>, opts = {}) => filterNetworks(NETS, new Map(Object.entries(filters)), opts).map((n) => n.Name)

describe('filterNetworks', () => {
  test('no filter keeps all, in order', () => {
    expect(names({})).toEqual(['ingress', 'web-net', 'db-net', 'bridge'])
  })
  test('name and id: a part matches (filters.Match: equal or an unanchored regexp), values are alternatives', () => {
    expect(names({ name: ['net'] })).toEqual(['web-net', 'db-net'])
    expect(names({ name: ['^web', 'ingress'] })).toEqual(['ingress', 'web-net'])
    expect(names({ name: ['web-net$'] })).toEqual(['web-net'])
    expect(names({ name: ['('] })).toEqual([]) // not a regexp, not equal: no match
    expect(names({ id: ['k3v9'] })).toEqual(['web-net'])
    expect(names({ id: ['d7b00000000000000000000aa'] })).toEqual(['db-net'])
    expect(names({ id: ['zzz'] })).toEqual([])
  })
  test('name is a Go (RE2) regexp: a pathological pattern on a long name answers at once, Perl-only syntax does not match', () => {
    const long = [nw('a'.repeat(50_000) + '!', 'f00000000000000000000000f'), nw('a'.repeat(50_000), 'e00000000000000000000000e')]
    const started = performance.now()
    // JavaScript's RegExp backtracks exponentially on this one (the first name): seconds to forever.
    expect(filterNetworks(long, new Map([['name', ['(a+)+$']]])).map((n) => n.Id)).toEqual(['e00000000000000000000000e'])
    expect(performance.now() - started).toBeLessThan(1000)
    expect(names({ name: ['(?=web)'] })).toEqual([]) // lookahead is not RE2: skipped, as dockerd skips patterns that do not compile
  })
  test('driver and scope match exactly', () => {
    expect(names({ driver: ['overlay'] })).toEqual(['ingress', 'web-net', 'db-net'])
    expect(names({ driver: ['over'] })).toEqual([])
    expect(names({ scope: ['local'] })).toEqual(['bridge'])
    expect(names({ scope: ['swarm', 'local'] })).toEqual(['ingress', 'web-net', 'db-net', 'bridge'])
    expect(names({ scope: ['global'] })).toEqual([])
  })
  test('label: every key or key=value given', () => {
    expect(names({ label: ['env'] })).toEqual(['web-net', 'db-net'])
    expect(names({ label: ['env=prod'] })).toEqual(['web-net'])
    expect(names({ label: ['env', 'team=a'] })).toEqual(['web-net'])
    expect(names({ label: ['env=prod', 'env=dev'] })).toEqual([])
  })
  test('type: builtin is bridge/host/none/default; ingress is custom, as on dockerd', () => {
    expect(names({ type: ['builtin'] })).toEqual(['bridge'])
    expect(names({ type: ['custom'] })).toEqual(['ingress', 'web-net', 'db-net'])
    expect(names({ type: ['custom', 'builtin'] })).toEqual(['ingress', 'web-net', 'db-net', 'bridge'])
    expect(() => names({ type: ['mine'] })).toThrow("invalid filter: 'type'='mine'")
  })
  test('keys all apply', () => {
    expect(names({ name: ['net'], label: ['env=dev'], driver: ['overlay'] })).toEqual(['db-net'])
  })
  test('dangling: no containers and, when told, not used by a service; predefined networks are never dangling', () => {
    expect(names({ dangling: ['true'] })).toEqual(['ingress', 'web-net'])
    expect(names({ dangling: ['1'] }, { inUse: (n: Network) => n.Name === 'web-net' })).toEqual(['ingress'])
    expect(names({ dangling: ['false'] })).toEqual(['db-net', 'bridge'])
    expect(() => names({ dangling: ['yes'] })).toThrow('invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")')
    expect(() => names({ dangling: ['true', 'false'] })).toThrow('got more than one value for filter key "dangling"')
  })
  test('an unknown key is dockerd\'s error (400), from the query as from the filters', () => {
    expect(() => parseFilters('{"nope":{"x":true}}', NETWORK_FILTERS)).toThrow("invalid filter 'nope'")
    expect(() => names({ nope: ['x'] })).toThrow("invalid filter 'nope'")
    try { names({ nope: ['x'] }) } catch (e) { expect((e as { status: number }).status).toBe(400) }
  })
})
