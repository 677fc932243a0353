// Secrets with several managers on etcd: sealed in etcd (no plain text, no
// base64 of it), and readable by every manager: a follower takes the create, a
// manager elected after the first leader dies delivers the secret to a task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { docker, lab, run, waitFor } from '../../helpers/lab.js'
import { IMG, LabManagers } from '../../helpers/managers.js'
import { removeSecretPieces } from './cleanup.js'

const VALUE = 'ha-s3cr3t-0b5e55ed'

/** Every value etcd holds, as text. */
async function etcdDump(): Promise<string> {
  const res = await fetch('http://10.213.0.11:2379/v3/kv/range', { method: 'POST', body: JSON.stringify({ key: 'AA==', range_end: 'AA==' }) })
  const body = await res.json() as { kvs?: Array<{ key: string; value: string }> }
  return (body.kvs ?? []).map((kv) => Buffer.from(kv.key, 'base64').toString() + ' ' + Buffer.from(kv.value ?? '', 'base64').toString()).join('\n')
}

describe('secrets with several managers on etcd', () => {
  const ha = new LabManagers()

  beforeAll(async () => {
    await lab('etcd', '3')
    await ha.up()
  }, 180_000)
  afterAll(async () => {
    const id = ha.clusterId()
    await ha.destroy()
    for (const i of [1, 2, 3]) await removeSecretPieces(i, id)
    await lab('etcd-stop')
  }, 120_000)

  it('a follower creates it; etcd holds it sealed; a new leader delivers it', async () => {
    const c = await run('sh', ['-c', `printf %s "$V" | "$NODE" bin/run.js secret create pw -`], {
      V: VALUE, NODE: process.execPath, TSW_DATA_DIR: ha.dir(2), TSW_INSECURE_OK: '1',
    })
    expect(c.stderr).toBe('')
    expect(c.code).toBe(0)
    const dump = await etcdDump()
    expect(dump).toContain('objects/secret/')
    expect(dump).not.toContain(VALUE)
    expect(dump).not.toContain(Buffer.from(VALUE).toString('base64'))
    expect((await ha.tsw(3, 'secret', 'ls', '--format', '{{.Name}}')).stdout).toBe('pw\n')

    ha.kill(1)
    const leader = await ha.newLeader(2, 1, 60_000)
    const s = await ha.tsw(leader, 'service', 'create', '-d', '--name', 'hasec', '--replicas', '2', '--secret', 'pw', IMG, 'sleep', '1d')
    expect(s.stderr).toBe('')
    const where = await waitFor(async () => {
      for (const i of [1, 2, 3]) {
        const [id] = await ha.containers(i, 'hasec')
        if (id) return { i, id }
      }
      return undefined
    }, 90_000, 'a task container of hasec')
    expect((await docker(where.i, 'exec', where.id, 'cat', '/run/secrets/pw')).stdout).toBe(VALUE)
  })
})
