import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { authConfigFor, encodeAuthConfig, registryAuthFor, registryOf } from '../../../src/lib/cli/service/registry-auth.js'

const dir = mkdtempSync(join(tmpdir(), 'tsw-dockercfg-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const decode = (h: string) => JSON.parse(Buffer.from(h.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8'))

describe('--with-registry-auth: the docker CLI config file', () => {
  test('the registry of an image reference', () => {
    expect(registryOf('busybox')).toBe('docker.io')
    expect(registryOf('library/busybox:1')).toBe('docker.io')
    expect(registryOf('10.213.0.1:5000/busybox:1')).toBe('10.213.0.1:5000')
    expect(registryOf('registry.example.com/team/app@sha256:abc')).toBe('registry.example.com')
    expect(registryOf('localhost/app')).toBe('localhost')
  })
  test('auths: "auth" (base64 user:password) or username/password; keys with a scheme match by host', () => {
    const config = {
      auths: {
        'https://reg.example.com/v1/': { auth: Buffer.from('alice:s3cr:et').toString('base64') },
        '10.0.0.1:5000': { username: 'bob', password: 'pw' },
        'https://index.docker.io/v1/': { auth: Buffer.from('hub:tok').toString('base64') },
      },
    }
    expect(authConfigFor('reg.example.com', config)).toEqual({ username: 'alice', password: 's3cr:et', serveraddress: 'reg.example.com' })
    expect(authConfigFor('10.0.0.1:5000', config)).toEqual({ username: 'bob', password: 'pw', serveraddress: '10.0.0.1:5000' })
    expect(authConfigFor('docker.io', config)).toEqual({ username: 'hub', password: 'tok', serveraddress: 'https://index.docker.io/v1/' })
    expect(authConfigFor('other:1', config)).toEqual({ serveraddress: 'other:1' })
  })
  test('a credential helper (credHelpers, then credsStore) answers first', () => {
    const helper = (store: string, server: string) => (store === 'pass' ? { username: 'h', password: 'p', serveraddress: server } : undefined)
    expect(authConfigFor('r:1', { credHelpers: { 'r:1': 'pass' }, auths: { 'r:1': { username: 'x' } } }, helper))
      .toEqual({ username: 'h', password: 'p', serveraddress: 'r:1' })
    expect(authConfigFor('r:1', { credsStore: 'none', auths: { 'r:1': { username: 'x' } } }, helper)).toEqual({ username: 'x', serveraddress: 'r:1' })
  })
  test('encoded as X-Registry-Auth: base64url JSON, read from DOCKER_CONFIG', () => {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { '10.213.0.1:5043': { auth: Buffer.from('tsw:pa/ss+?>').toString('base64') } } }))
    const header = registryAuthFor('10.213.0.1:5043/private:1', { DOCKER_CONFIG: dir })
    expect(header).not.toMatch(/[+/]/)
    expect(decode(header)).toEqual({ username: 'tsw', password: 'pa/ss+?>', serveraddress: '10.213.0.1:5043' })
    expect(decode(registryAuthFor('busybox', { DOCKER_CONFIG: join(dir, 'none') }))).toEqual({ serveraddress: 'https://index.docker.io/v1/' })
    expect(encodeAuthConfig({ serveraddress: 'a' })).toBe(Buffer.from('{"serveraddress":"a"}').toString('base64'))
  })
})
