// The files a task's container gets from its secrets and configs, read from a real store.
import { describe, expect, it } from 'vitest'
import { SecretBox } from '../../../src/lib/pki/seal.js'
import { createPayload } from '../../../src/lib/secrets/index.js'
import { SqliteStore } from '../../../src/lib/store/sqlite.js'
import { taskFiles, withSecretsMount } from '../../../src/lib/executor/task-files.js'
import type { Task } from '../../../src/lib/types/index.js'

describe('taskFiles', () => {
  it('opens secrets, keeps owners and modes, places configs at their target', async () => {
    const store = new SqliteStore(':memory:')
    store.secrets = new SecretBox(SecretBox.newKey(), 'c')
    const pw = await createPayload(store, 'secret', { Name: 'pw', Data: Buffer.from('hunter2').toString('base64') })
    const conf = await createPayload(store, 'config', { Name: 'conf', Data: Buffer.from('a=1').toString('base64') })
    const task = { ID: 't1', Spec: { ContainerSpec: {
      Image: 'x',
      Secrets: [{ SecretID: pw.ID, SecretName: 'pw', File: { Name: 'db', UID: '100', GID: '101', Mode: 0o400 } }],
      Configs: [{ ConfigID: conf.ID, ConfigName: 'conf', File: { Name: 'conf', UID: '0', GID: '0', Mode: 0o444 } }],
    } } } as unknown as Task
    const files = await taskFiles(store, task)
    expect(files.secrets).toEqual([{ name: 'db', data: Buffer.from('hunter2'), uid: 100, gid: 101, mode: 0o400 }])
    expect(files.configs).toEqual([{ name: 'conf', data: Buffer.from('a=1'), uid: 0, gid: 0, mode: 0o444 }])
    const config = withSecretsMount({ name: 'n', Image: 'x', HostConfig: {} }, 't1')
    expect(config.HostConfig!.Mounts).toEqual([{ Type: 'volume', Source: 'tsw-secrets.t1', Target: '/run/secrets', ReadOnly: true }])
    await store.delete('secret', pw.ID)
    await expect(taskFiles(store, task)).rejects.toThrow('secret pw not found')
  })
})
