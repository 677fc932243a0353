// Secrets and configs against a real (in-memory) store: swarmkit's checks and
// words, the payload sealed at rest and never shown for secrets.
import { describe, expect, it } from 'vitest'
import { parseFilters } from '../../../src/lib/filters/parse.js'
import { SecretBox } from '../../../src/lib/pki/seal.js'
import {
  createPayload, filterPayloads, openPayload, PAYLOAD_FILTERS, payloadView, removePayload, resolvePayload, updatePayload,
} from '../../../src/lib/secrets/index.js'
import { SqliteStore } from '../../../src/lib/store/sqlite.js'
import type { Secret, Service } from '../../../src/lib/types/index.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')
function newStore(): SqliteStore {
  const store = new SqliteStore(':memory:')
  store.secrets = new SecretBox(SecretBox.newKey(), 'cluster-1')
  return store
}

describe('secrets and configs', () => {
  it('seals a secret payload at rest, binds it to the secret, hides it from the view', async () => {
    const store = newStore()
    const s = await createPayload(store, 'secret', { Name: 'db_pw', Labels: { a: '1' }, Data: b64('hunter2') })
    const stored = (await store.get<Secret>('secret', s.ID))!
    expect(JSON.stringify(stored)).not.toContain(b64('hunter2'))
    expect(JSON.stringify(stored)).not.toContain('hunter2')
    expect(Buffer.from(openPayload(store, s.ID, stored.Spec.Data!), 'base64').toString()).toBe('hunter2')
    expect(() => openPayload(store, 'other-id', stored.Spec.Data!)).toThrow(/cannot be opened/)
    const view = payloadView('secret', stored)
    expect(view.Spec).toEqual({ Name: 'db_pw', Labels: { a: '1' } })
    // Another manager of the swarm (same key-encryption key) opens it.
    const peer = new SqliteStore(':memory:')
    peer.secrets = new SecretBox(store.secrets!.kek, 'cluster-1')
    expect(Buffer.from(openPayload(peer, s.ID, stored.Spec.Data!), 'base64').toString()).toBe('hunter2')
  })

  it('keeps a config plain and shows its data', async () => {
    const store = newStore()
    const c = await createPayload(store, 'config', { Name: 'conf', Data: b64('x=1') })
    expect(payloadView('config', c).Spec).toEqual({ Name: 'conf', Labels: {}, Data: b64('x=1') })
  })

  it('refuses bad names, empty or big data, duplicates, with swarmkit words', async () => {
    const store = newStore()
    await expect(createPayload(store, 'secret', { Name: '', Data: b64('x') })).rejects.toThrow('rpc error: code = InvalidArgument desc = name must be provided')
    await expect(createPayload(store, 'secret', { Name: '-bad', Data: b64('x') })).rejects.toThrow('invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]')
    await expect(createPayload(store, 'secret', { Name: 'a'.repeat(65), Data: b64('x') })).rejects.toThrow('invalid name')
    await expect(createPayload(store, 'secret', { Name: 'e' })).rejects.toThrow('secret data must be larger than 0 and less than 512000 bytes')
    await expect(createPayload(store, 'config', { Name: 'big', Data: Buffer.alloc(1000 * 1024).toString('base64') })).rejects.toThrow('config data must be larger than 0 and less than 1024000 bytes')
    await expect(createPayload(store, 'secret', { Name: 'x', Data: '%%%' })).rejects.toThrow('base64')
    await createPayload(store, 'secret', { Name: 'dup', Data: b64('1') })
    await expect(createPayload(store, 'secret', { Name: 'dup', Data: b64('2') })).rejects.toThrow('rpc error: code = AlreadyExists desc = secret dup already exists')
    expect(await store.list('secret')).toHaveLength(1)
  })

  it('finds by ID, name or prefix; filters as swarmkit; updates labels only', async () => {
    const store = newStore()
    const a = await createPayload(store, 'secret', { Name: 'alpha', Labels: { env: 'prod' }, Data: b64('1') })
    const b = await createPayload(store, 'secret', { Name: 'alphabet', Data: b64('2') })
    expect((await resolvePayload(store, 'secret', 'alpha')).ID).toBe(a.ID)
    expect((await resolvePayload(store, 'secret', a.ID.slice(0, 20))).ID).toBe(a.ID)
    await expect(resolvePayload(store, 'secret', 'nope')).rejects.toThrow('secret nope not found')
    const all = await store.list<Secret>('secret')
    const names = (raw: string) => filterPayloads(all, parseFilters(raw, PAYLOAD_FILTERS)).map((s) => s.Spec.Name)
    expect(names('{"name":{"alpha":true}}')).toEqual(['alpha', 'alphabet'])
    expect(names('{"names":{"alpha":true}}')).toEqual(['alpha'])
    expect(names('{"label":{"env=prod":true}}')).toEqual(['alpha'])
    expect(names(`{"id":{"${b.ID}":true}}`)).toEqual(['alphabet'])
    expect(() => names('{"driver":{"x":true}}')).toThrow(/filter 'driver'/)
    await updatePayload(store, 'secret', 'alpha', a.Version.Index, { Name: 'alpha', Labels: { env: 'dev' } })
    expect((await resolvePayload(store, 'secret', 'alpha')).Spec.Labels).toEqual({ env: 'dev' })
    await expect(updatePayload(store, 'secret', 'alpha', a.Version.Index, { Name: 'alpha' })).rejects.toThrow('update out of sequence')
    const now = (await resolvePayload(store, 'secret', 'alpha')).Version.Index
    await expect(updatePayload(store, 'secret', 'alpha', now, { Name: 'alpha', Data: b64('changed') })).rejects.toThrow('rpc error: code = InvalidArgument desc = only updates to Labels are allowed')
    await updatePayload(store, 'secret', 'alpha', now, { Name: 'alpha', Data: b64('1'), Labels: {} })
  })

  it('refuses to remove what a service uses, naming the services', async () => {
    const store = newStore()
    const s = await createPayload(store, 'secret', { Name: 'used', Data: b64('1') })
    const svc = (name: string) => ({ ID: name, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', Spec: { Name: name, TaskTemplate: { ContainerSpec: { Image: 'x', Secrets: [{ SecretID: s.ID, SecretName: 'used' }] } } } }) as Service
    await store.create('service', svc('web'))
    await expect(removePayload(store, 'secret', 'used')).rejects.toThrow("rpc error: code = InvalidArgument desc = secret 'used' is in use by the following service: web")
    await store.create('service', svc('api'))
    await expect(removePayload(store, 'secret', 'used')).rejects.toThrow("secret 'used' is in use by the following services: web, api")
    await store.delete('service', 'web')
    await store.delete('service', 'api')
    await removePayload(store, 'secret', 'used')
    expect(await store.list('secret')).toHaveLength(0)
  })
})
