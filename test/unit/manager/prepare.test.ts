// prepareManager, what `tsw manager` does before the Manager starts: which flags go
// together (rejected before anything is touched) and when a promoted node's manager is set up.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { writeContext, writeManagerConfig } from '../../../src/lib/config/index.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { prepareManager } from '../../../src/lib/manager/run.js'

const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tsw-prepare-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const ETCD = { URL: 'etcd://127.0.0.1:1' }
const never = async () => { throw new Error('setupPromoted must not be called') }

describe('prepareManager', () => {
  test('--import-from without --store, --store without --import-from, and two data dirs are refused, touching nothing', async () => {
    const dir = tempDir()
    await expect(prepareManager({ dataDir: dir, importFrom: dir, setupPromoted: never })).rejects.toThrow(new InvalidArgumentError('--import-from needs --store etcd://… (where to move the swarm)'))
    await expect(prepareManager({ dataDir: dir, store: ETCD, setupPromoted: never })).rejects.toThrow(/--store on "tsw manager" goes with --import-from/)
    await expect(prepareManager({ dataDir: dir, dataDirFlag: dir, importFrom: tempDir(), store: ETCD, setupPromoted: never }))
      .rejects.toThrow(/--import-from is the data dir the manager then runs on/)
    expect(readdirSync(dir)).toEqual([])
  })

  test('a host with a context but no manager config gets its manager set up; one with a config does not', async () => {
    const promoted = tempDir()
    writeContext(promoted, { Manager: '10.0.0.1:2377', ClusterID: 'c', NodeID: 'n2', Role: 'worker' }, { ca: 'ca', cert: 'cert', key: 'key' })
    const setUp: string[] = []
    expect(await prepareManager({ dataDir: promoted, setupPromoted: async (d) => { setUp.push(d) } })).toBe(promoted)
    expect(setUp).toEqual([promoted])

    const manager = tempDir()
    writeManagerConfig(manager, { ClusterID: 'c', NodeID: 'n1', ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '10.0.0.1', AdvertisePort: 2377, HeartbeatMs: 5000 })
    writeContext(manager, { Manager: '10.0.0.1:2377', ClusterID: 'c', NodeID: 'n1', Role: 'manager' }, { ca: 'ca', cert: 'cert', key: 'key' })
    expect(await prepareManager({ dataDir: manager, setupPromoted: never })).toBe(manager)
  })
})
