import { describe, expect, test } from 'vitest'
import { withDefaultTag, withDigest } from '../../../src/lib/client/image-digest.js'

const D = `sha256:${'0f'.repeat(32)}`

describe('image references as docker\'s client library pins them', () => {
  test('a name-only image gets :latest, in familiar form; a digest or an invalid reference stays', () => {
    expect(withDefaultTag('nginx')).toBe('nginx:latest')
    expect(withDefaultTag('docker.io/library/nginx:1')).toBe('nginx:1')
    expect(withDefaultTag('10.213.0.1:5000/busybox')).toBe('10.213.0.1:5000/busybox:latest')
    expect(withDefaultTag(`nginx@${D}`)).toBe(`nginx@${D}`)
    expect(withDefaultTag('Not A Ref')).toBe('Not A Ref')
  })

  test('the digest joins name and tag, unless the image has one already', () => {
    expect(withDigest('10.213.0.1:5000/busybox:1', D)).toBe(`10.213.0.1:5000/busybox:1@${D}`)
    expect(withDigest('docker.io/me/app:2', D)).toBe(`me/app:2@${D}`)
    expect(withDigest(`nginx:1@sha256:${'11'.repeat(32)}`, D)).toBe(`nginx:1@sha256:${'11'.repeat(32)}`)
    expect(withDigest('UPPER:1', D)).toBe('UPPER:1')
  })
})
