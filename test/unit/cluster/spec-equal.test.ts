// A task spec written by another client with empty parts or another key order is the same spec.
import { describe, expect, it } from 'vitest'
import { sameSpec } from '../../../src/lib/cluster/spec-equal.js'

describe('sameSpec', () => {
  it('ignores key order, nulls and empty objects or lists', () => {
    const stored = { ContainerSpec: { Image: 'busybox', Args: ['sleep', '1d'] }, Networks: [{ Target: 'n1', Aliases: ['web'] }] }
    const sent = { Placement: {}, Resources: { Limits: {}, Reservations: {} }, Networks: [{ Aliases: ['web'], Target: 'n1' }], ContainerSpec: { Privileges: { CredentialSpec: null }, Args: ['sleep', '1d'], Image: 'busybox', Mounts: [] } }
    expect(sameSpec(stored, sent)).toBe(true)
    expect(sameSpec(undefined, [])).toBe(true)
  })

  it('sees a changed value, a changed list order and an added value, but not a zero value (Init excepted)', () => {
    const a = { ContainerSpec: { Image: 'busybox', Env: ['A=1', 'B=2'] } }
    expect(sameSpec(a, { ContainerSpec: { Image: 'busybox:2', Env: ['A=1', 'B=2'] } })).toBe(false)
    expect(sameSpec(a, { ContainerSpec: { Image: 'busybox', Env: ['B=2', 'A=1'] } })).toBe(false)
    expect(sameSpec(a, { ContainerSpec: { Image: 'busybox', Env: ['A=1', 'B=2'], ReadOnly: true } })).toBe(false)
    expect(sameSpec(a, { ContainerSpec: { Image: 'busybox', Env: ['A=1', 'B=2'], ReadOnly: false, Privileges: { NoNewPrivileges: false } }, ForceUpdate: 0 })).toBe(true)
    expect(sameSpec(a, { ContainerSpec: { Image: 'busybox', Env: ['A=1', 'B=2'], Init: false } })).toBe(false)
  })
})
