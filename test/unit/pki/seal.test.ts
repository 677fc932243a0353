import { describe, expect, test } from 'vitest'
import { loadCA, loadRootCA, newSwarm, saveCA, sealStoredCAKey, startRootRotation, type StoredCA } from '../../../src/lib/cluster/index.js'
import { FailedPreconditionError } from '../../../src/lib/errors/index.js'
import { createRootCA, isSealed, openSecret, SecretBox } from '../../../src/lib/pki/index.js'
import { SqliteStore } from '../../../src/lib/store/index.js'
import type { Swarm } from '../../../src/lib/types/index.js'

describe('SecretBox', () => {
  test('seals with a fresh IV each time and opens with the same KEK and cluster only', () => {
    const kek = SecretBox.newKey()
    const box = new SecretBox(kek, 'c1')
    const a = box.seal('-----BEGIN PRIVATE KEY-----x')
    expect(isSealed(a)).toBe(true)
    expect(a).not.toContain('PRIVATE KEY')
    expect(box.seal('-----BEGIN PRIVATE KEY-----x')).not.toBe(a)
    expect(box.open(a)).toBe('-----BEGIN PRIVATE KEY-----x')
    expect(() => new SecretBox(SecretBox.newKey(), 'c1').open(a)).toThrow(FailedPreconditionError)
    expect(() => new SecretBox(kek, 'c2').open(a)).toThrow(/sealed with another key-encryption key/)
    expect(() => openSecret(a, undefined)).toThrow(/has no key-encryption key \(manager\/ca-kek/)
    expect(openSecret('plain', undefined)).toBe('plain')
    expect(() => new SecretBox('short', 'c1')).toThrow(/32 bytes/)
  })

  test('the CA key is sealed in the store and opened by the loaders; a clear one (older swarm) is sealed on demand', async () => {
    const store = new SqliteStore(':memory:')
    store.secrets = new SecretBox(SecretBox.newKey(), 'c1')
    const ca = await createRootCA()
    await saveCA(store, ca)
    await store.create('swarm', newSwarm('c1', ca.certPem, 5000))
    const stored = await store.get<StoredCA>('ca', 'root')
    expect(isSealed(stored!.KeyPem)).toBe(true)
    expect((await loadCA(store)).keyPem).toBe(ca.keyPem)
    expect((await loadRootCA(store)).current.keyPem).toBe(ca.keyPem)
    // A rotation seals the new key too and cross-signs with the old one.
    const swarm = (await store.list<Swarm>('swarm'))[0]
    await startRootRotation(store, swarm, swarm.Spec)
    const rotated = await store.get<StoredCA>('ca', 'root')
    expect(isSealed(rotated!.KeyPem)).toBe(true)
    expect((await loadCA(store)).keyPem).toMatch(/BEGIN PRIVATE KEY/)

    const old = new SqliteStore(':memory:')
    await saveCA(old, ca)
    expect((await old.get<StoredCA>('ca', 'root'))!.KeyPem).toBe(ca.keyPem)
    expect(await sealStoredCAKey(old)).toBe(false) // no KEK: left as it is
    old.secrets = new SecretBox(SecretBox.newKey(), 'c1')
    expect(await sealStoredCAKey(old)).toBe(true)
    expect(isSealed((await old.get<StoredCA>('ca', 'root'))!.KeyPem)).toBe(true)
    expect((await loadCA(old)).keyPem).toBe(ca.keyPem)
  })
})
