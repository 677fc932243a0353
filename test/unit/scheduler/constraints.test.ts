import { describe, it, expect } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { matchConstraints, parseConstraints } from '../../../src/lib/scheduler/index.js'
import { node } from './build.js'

const matches = (expr: string, n = node('n1')) => matchConstraints(parseConstraints([expr]), n)

describe('parseConstraints', () => {
  it('parses == and != with or without spaces around the operator', () => {
    expect(parseConstraints(['node.role==manager', ' node.hostname != web-1 ', 'node.labels.zone == a b'])).toEqual([
      { key: 'node.role', operator: '==', value: 'manager' },
      { key: 'node.hostname', operator: '!=', value: 'web-1' },
      { key: 'node.labels.zone', operator: '==', value: 'a b' },
    ])
  })
  it('accepts every swarm key, case-insensitively', () => {
    expect(() => parseConstraints([
      'node.id==abc', 'NODE.HOSTNAME==x', 'node.role!=worker', 'node.platform.os==linux',
      'node.platform.arch==x86_64', 'node.labels.disk==ssd', 'engine.labels.os==ubuntu',
    ])).not.toThrow()
  })
  it('rejects an unknown key, saying which keys exist', () => {
    const err = (() => { try { parseConstraints(['node.foo == bar']) } catch (e) { return e } })()
    expect(err).toBeInstanceOf(InvalidArgumentError)
    expect((err as Error).message).toBe('invalid constraint: node.foo == bar: unknown constraint key '
      + '(use node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key> or engine.labels.<key>)')
    expect(() => parseConstraints(['node.labels.==x'])).toThrow('unknown constraint key')
  })
  it('rejects a missing operator, a bad key and a bad value', () => {
    expect(() => parseConstraints(['node.role'])).toThrow(
      'invalid constraint: node.role: expected one operator from ==, != (write it as key==value, e.g. node.role==manager)')
    expect(() => parseConstraints(['node.role ~ manager'])).toThrow('expected one operator from ==, !=')
    expect(() => parseConstraints(['==x'])).toThrow("invalid constraint: ==x: key '' is invalid")
    expect(() => parseConstraints(['no de==x'])).toThrow("key 'no de' is invalid")
    expect(() => parseConstraints(['node.role=='])).toThrow("invalid constraint: node.role==: value '' is invalid")
    expect(() => parseConstraints(['node.role==a<b'])).toThrow("value 'a<b' is invalid")
  })
})

describe('matchConstraints', () => {
  it('matches hostname, role, id, os and arch case-insensitively', () => {
    const n = node('abc', { hostname: 'Web-1', role: 'manager', os: 'linux', arch: 'x86_64' })
    expect(matches('node.hostname==web-1', n)).toBe(true)
    expect(matches('node.hostname!=web-1', n)).toBe(false)
    expect(matches('node.role==MANAGER', n)).toBe(true)
    expect(matches('node.role==worker', n)).toBe(false)
    expect(matches('node.id==abc', n)).toBe(true)
    expect(matches('node.platform.os==Linux', n)).toBe(true)
    expect(matches('node.platform.arch!=x86_64', n)).toBe(false)
  })
  it('matches node and engine labels; a missing label only matches !=', () => {
    const n = node('n1', { labels: { zone: 'east' }, engineLabels: { disk: 'ssd' } })
    expect(matches('node.labels.zone==east', n)).toBe(true)
    expect(matches('node.labels.zone!=east', n)).toBe(false)
    expect(matches('node.labels.zone!=west', n)).toBe(true)
    expect(matches('node.labels.Zone==east', n)).toBe(false) // label names keep their case
    expect(matches('engine.labels.disk==ssd', n)).toBe(true)
    expect(matches('node.labels.rack==r1', n)).toBe(false)
    expect(matches('node.labels.rack!=r1', n)).toBe(true)
    expect(matches('engine.labels.gpu!=yes', node('n2'))).toBe(true)
  })
  it('needs every constraint to hold', () => {
    const n = node('n1', { role: 'worker', labels: { zone: 'east' } })
    expect(matchConstraints(parseConstraints(['node.role==worker', 'node.labels.zone==east']), n)).toBe(true)
    expect(matchConstraints(parseConstraints(['node.role==worker', 'node.labels.zone==west']), n)).toBe(false)
  })
})
