import { describe, it, expect } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { exprText, parseClassicExpressions, parseExpr, requestFromCreateBody } from '../../../src/lib/classic/placement/index.js'
import { satisfies } from '../../../src/lib/classic/placement/expr.js'

const req = (env: string[], labels: Record<string, string> = {}) => requestFromCreateBody({ Image: 'x', Env: env, Labels: labels })
const errorOf = (f: () => unknown): Error => { try { f() } catch (e) { return e as Error } throw new Error('did not throw') }

describe('parseClassicExpressions', () => {
  it('reads constraint: and affinity: env entries, leaving other env alone', () => {
    expect(parseClassicExpressions(req(['A=1', 'constraint:node==node01', 'affinity:container!=web', 'constraint:storage==~ssd']))).toEqual({
      constraints: [
        { kind: 'constraint', key: 'node', operator: '==', value: 'node01', soft: false },
        { kind: 'constraint', key: 'storage', operator: '==', value: 'ssd', soft: true },
      ],
      affinities: [{ kind: 'affinity', key: 'container', operator: '!=', value: 'web', soft: false }],
    })
  })
  it('reads the JSON labels classic swarm stored, counting an expression in both places once', () => {
    const { constraints, affinities } = parseClassicExpressions(req(['constraint:region==us-east'], {
      'com.docker.swarm.constraints': '["region==us-east","storage!=~disk"]',
      'com.docker.swarm.affinities': '["image==redis"]',
    }))
    expect(constraints.map(exprText)).toEqual(['region==us-east', 'storage!=~disk'])
    expect(affinities.map(exprText)).toEqual(['image==redis'])
  })
  it('accepts spaces around the operator, globs, regexes and dotted keys', () => {
    const { constraints } = parseClassicExpressions(req([
      'constraint:node == node0*', 'constraint:node==/node0[12]/', 'constraint:com.example.zone!=~a b', 'constraint:node.labels.disk==ssd',
    ]))
    expect(constraints.map(exprText)).toEqual(['node==node0*', 'node==/node0[12]/', 'com.example.zone!=~a b', 'node.labels.disk==ssd'])
  })
  it('rejects a missing operator, saying the accepted form', () => {
    const err = errorOf(() => parseClassicExpressions(req(['constraint:storage=ssd'])))
    expect(err).toBeInstanceOf(InvalidArgumentError)
    expect(err.message).toBe('constraint:storage=ssd: expected one of the operators ==, !=, ==~ or !=~ '
      + '(write constraint:KEY==VALUE, e.g. constraint:node==node01)')
    expect(() => parseExpr('affinity', 'container~web')).toThrow(
      'affinity:container~web: expected one of the operators ==, !=, ==~ or !=~ (write affinity:KEY==VALUE, e.g. affinity:container==web)')
  })
  it('rejects bad keys and values', () => {
    expect(() => parseExpr('constraint', '==x')).toThrow(
      "constraint:==x: key '' is invalid (use letters, digits, - _ and ., starting with a letter or _)")
    expect(() => parseExpr('constraint', 'no de==x')).toThrow("constraint:no de==x: key 'no de' is invalid")
    expect(() => parseExpr('constraint', '1node==x')).toThrow("key '1node' is invalid")
    expect(() => parseExpr('constraint', 'node==')).toThrow(
      'constraint:node==: value is empty (write constraint:KEY==VALUE, e.g. constraint:node==node01)')
    expect(() => parseExpr('constraint', 'node==~')).toThrow('constraint:node==~: value is empty')
    expect(() => parseExpr('affinity', 'container==a<b')).toThrow(
      "affinity:container==a<b: value 'a<b' is invalid (use letters, digits, spaces and : - _ . * / ( ) ? + [ ] \\ ^ $ | @ { } , "
      + '— a plain value, a glob such as node0* or a regex such as /node0[12]/)')
    expect(() => parseExpr('constraint', 'node==/node0(/')).toThrow(/^constraint:node==\/node0\(\/: regular expression \/node0\(\/ is invalid: /)
  })
  it('rejects a label that is not a JSON array of strings', () => {
    expect(() => parseClassicExpressions(req([], { 'com.docker.swarm.constraints': 'storage==ssd' }))).toThrow(
      'label com.docker.swarm.constraints: expected a JSON array of strings such as ["node==node01"], got storage==ssd')
    expect(() => parseClassicExpressions(req([], { 'com.docker.swarm.affinities': '[1]' }))).toThrow(
      'label com.docker.swarm.affinities: expected a JSON array of strings such as ["container==web"], got [1]')
  })
  it('rejects bad syntax from a label entry too', () => {
    expect(() => parseClassicExpressions(req([], { 'com.docker.swarm.constraints': '["storage"]' }))).toThrow(
      'constraint:storage: expected one of the operators')
  })
  it('matches /re/ values with RE2: a pathological regex on a long value answers at once', () => {
    const e = parseExpr('constraint', 'node==/(a+)+$/')
    const started = performance.now()
    expect(satisfies(e, ['a'.repeat(100_000) + '!'])).toBe(false) // JavaScript's RegExp would backtrack for ages here
    expect(satisfies(e, ['xa'])).toBe(true)
    expect(performance.now() - started).toBeLessThan(2000)
  })
  it('rejects a /re/ that RE2 cannot compile (Perl lookaround, backreferences) as a 400 saying why', () => {
    const err = errorOf(() => parseExpr('constraint', 'node==/(node)\\1/'))
    expect(err).toBeInstanceOf(InvalidArgumentError)
    expect((err as InvalidArgumentError).status).toBe(400)
    expect(err.message).toBe('constraint:node==/(node)\\1/: regular expression /(node)\\1/ is invalid: error parsing regexp: invalid escape sequence: `\\1`')
  })
})
