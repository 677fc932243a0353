import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { applyAutolock, getUnlockKey } from '../../../src/lib/cluster/index.js'
import { dataPaths, writeFile } from '../../../src/lib/config/index.js'
import { ForbiddenError, InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { syncKekFile } from '../../../src/lib/manager/kek-file.js'
import { isWrappedKek, newUnlockKey, parseUnlockKey, SecretBox, unwrapKek, wrapKek } from '../../../src/lib/pki/index.js'
import { SqliteStore } from '../../../src/lib/store/index.js'

describe('unlock key', () => {
  test('reads as swarmkit\'s: SWMKEY-1- and 32 bytes of unpadded base64', () => {
    const key = newUnlockKey()
    expect(key).toMatch(/^SWMKEY-1-[A-Za-z0-9+/]{43}$/)
    expect(parseUnlockKey(key)).toHaveLength(32)
    expect(parseUnlockKey(`  ${key}\n`)).toHaveLength(32)
    expect(newUnlockKey()).not.toBe(key)
  })

  test('anything else is "invalid key string"', () => {
    for (const bad of ['', 'SWMKEY-1-', 'SWMTKN-1-abc', 'SWMKEY-1-!!!!', `SWMKEY-1-${Buffer.alloc(16).toString('base64')}`]) {
      expect(() => parseUnlockKey(bad)).toThrow(InvalidArgumentError)
      expect(() => parseUnlockKey(bad)).toThrow('invalid key string')
    }
  })

  test('wraps the KEK; only the same key and cluster unwrap it, with dockerd\'s words (401) otherwise', () => {
    const kek = SecretBox.newKey()
    const key = newUnlockKey()
    const wrapped = wrapKek(kek, key, 'c1')
    expect(isWrappedKek(wrapped)).toBe(true)
    expect(isWrappedKek(kek)).toBe(false)
    expect(wrapped).not.toContain(kek)
    expect(unwrapKek(wrapped, key, 'c1')).toBe(kek)
    expect(() => unwrapKek(wrapped, newUnlockKey(), 'c1')).toThrow('swarm could not be unlocked: invalid key provided')
    expect(() => unwrapKek(wrapped, newUnlockKey(), 'c1')).toThrow(ForbiddenError)
    expect(() => unwrapKek(wrapped, key, 'c2')).toThrow(expect.objectContaining({ status: 401 }))
    expect(() => unwrapKek(wrapped, 'nope', 'c1')).toThrow('invalid key string')
  })
})

describe('the KEK file follows the swarm\'s autolock', () => {
  let dir: string | undefined
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })

  test('on: wrapped with the stored key; rotated: wrapped again; off: in clear', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-kek-'))
    const paths = dataPaths(dir)
    const kek = SecretBox.newKey()
    writeFile(paths.caKek, kek + '\n', true)
    const store = new SqliteStore(join(dir, 'state.db'))
    store.secrets = new SecretBox(kek, 'c1')
    try {
      expect(await syncKekFile(store, paths, 'c1')).toBeUndefined()
      expect(await applyAutolock(store, true)).toBe(true)
      expect(await applyAutolock(store, true)).toBe(false)
      const first = (await getUnlockKey(store))!
      expect(first).toMatch(/^SWMKEY-1-/)
      expect(await syncKekFile(store, paths, 'c1')).toMatch(/autolock is on/)
      const file = readFileSync(paths.caKek, 'utf8').trim()
      expect(unwrapKek(file, first, 'c1')).toBe(kek)
      expect(await syncKekFile(store, paths, 'c1')).toBeUndefined()

      expect(await applyAutolock(store, true, true)).toBe(true)
      const second = (await getUnlockKey(store))!
      expect(second).not.toBe(first)
      await syncKekFile(store, paths, 'c1')
      const rotated = readFileSync(paths.caKek, 'utf8').trim()
      expect(unwrapKek(rotated, second, 'c1')).toBe(kek)
      expect(() => unwrapKek(rotated, first, 'c1')).toThrow('invalid key provided')

      expect(await applyAutolock(store, false)).toBe(true)
      expect(await getUnlockKey(store)).toBeUndefined()
      expect(await syncKekFile(store, paths, 'c1')).toMatch(/autolock is off/)
      expect(readFileSync(paths.caKek, 'utf8').trim()).toBe(kek)
    } finally {
      await store.close()
    }
  })
})
