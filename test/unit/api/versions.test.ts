import { describe, expect, test } from 'vitest'
import { adjustSpecForVersion, API_VERSION, compareVersions, requestVersion } from '../../../src/lib/api/versions.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'

describe('API versions', () => {
  test('a path asks for its prefix, or the manager\'s own version without one', () => {
    expect(requestVersion('/v1.41/services')).toBe('1.41')
    expect(requestVersion(`/v${API_VERSION}/info`)).toBe(API_VERSION)
    expect(requestVersion('/services')).toBe(API_VERSION)
    expect(compareVersions('1.9', '1.24')).toBeLessThan(0)
    expect(compareVersions('1.50', '1.46')).toBeGreaterThan(0)
  })

  test('a version out of range is refused in dockerd\'s words', () => {
    expect(() => requestVersion('/v1.12/info')).toThrow('client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version')
    expect(() => requestVersion('/v1.99/info')).toThrow(`client version 1.99 is too new. Maximum supported API version is ${API_VERSION}`)
  })

  test('a spec sent at an older version loses the fields that version did not have', () => {
    const spec = (): ServiceSpec => ({
      TaskTemplate: { ContainerSpec: { Image: 'busybox', OomScoreAdj: 200, Healthcheck: { Test: ['CMD', 'true'], StartInterval: 1e9 } } },
    } as ServiceSpec)
    const at = (v: string) => {
      const s = spec()
      adjustSpecForVersion(s, v)
      return s.TaskTemplate.ContainerSpec
    }
    expect(at('1.41')).toEqual({ Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'] } })
    expect(at('1.44')).toEqual({ Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], StartInterval: 1e9 } })
    expect(at('1.46')).toEqual(spec().TaskTemplate.ContainerSpec)
  })
})
