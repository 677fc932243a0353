// A service's secret and config references, checked and completed against a real store.
import { describe, expect, it } from 'vitest'
import { SecretBox } from '../../../src/lib/pki/seal.js'
import { createPayload, resolveReferences } from '../../../src/lib/secrets/index.js'
import { SqliteStore } from '../../../src/lib/store/sqlite.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'

const spec = (c: Partial<ServiceSpec['TaskTemplate']['ContainerSpec']>): ServiceSpec =>
  ({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'x', ...c } } })

describe('resolveReferences', async () => {
  const store = new SqliteStore(':memory:')
  store.secrets = new SecretBox(SecretBox.newKey(), 'c')
  const pw = await createPayload(store, 'secret', { Name: 'pw', Data: 'MQ==' })
  const conf = await createPayload(store, 'config', { Name: 'conf', Data: 'MQ==' })

  it('completes the ID from the name (and the name from the ID), with swarm file defaults', async () => {
    const s = spec({ Secrets: [{ SecretID: '', SecretName: 'pw', File: { Name: 'pw', UID: '', GID: '', Mode: undefined as never } }], Configs: [{ ConfigID: conf.ID, ConfigName: '', File: { Name: '/etc/c', UID: '1', GID: '2', Mode: 0o440 } }] })
    await resolveReferences(store, s)
    expect(s.TaskTemplate.ContainerSpec.Secrets).toEqual([{ SecretID: pw.ID, SecretName: 'pw', File: { Name: 'pw', UID: '0', GID: '0', Mode: 0o444 } }])
    expect(s.TaskTemplate.ContainerSpec.Configs).toEqual([{ ConfigID: conf.ID, ConfigName: 'conf', File: { Name: '/etc/c', UID: '1', GID: '2', Mode: 0o440 } }])
  })

  it('refuses unknown, mismatched, target-less, conflicting and escaping references', async () => {
    const file = (Name: string) => ({ Name, UID: '0', GID: '0', Mode: 0o444 })
    await expect(resolveReferences(store, spec({ Secrets: [{ SecretID: '', SecretName: 'ghost', File: file('g') }] })))
      .rejects.toThrow('rpc error: code = InvalidArgument desc = secret not found: ghost')
    await expect(resolveReferences(store, spec({ Secrets: [{ SecretID: pw.ID, SecretName: 'other', File: file('g') }] }))).rejects.toThrow('secret not found: other')
    await expect(resolveReferences(store, spec({ Secrets: [{ SecretID: pw.ID, SecretName: 'pw' }] }))).rejects.toThrow('malformed secret reference, no target provided')
    await expect(resolveReferences(store, spec({ Configs: [{ ConfigID: '', ConfigName: 'conf', File: file('a') }, { ConfigID: '', ConfigName: 'conf', File: file('a') }] })))
      .rejects.toThrow("config references 'conf' and 'conf' have a conflicting target: 'a'")
    await expect(resolveReferences(store, spec({ Secrets: [{ SecretID: '', SecretName: 'pw', File: file('../etc/passwd') }] }))).rejects.toThrow('must not contain ".."')
    await expect(resolveReferences(store, spec({ Secrets: [{ SecretID: '', SecretName: 'pw', File: { ...file('x'), UID: 'root' } }] }))).rejects.toThrow('numeric ID')
  })
})
