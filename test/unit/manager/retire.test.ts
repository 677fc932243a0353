// A demoted (or removed) manager: noticed from the store, and its host left with what a worker keeps.
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dataPaths, readContext, writeContext, writeFile, writeManagerConfig, writeStoreFiles, type Context } from '../../../src/lib/config/index.js'
import { retire, watchOwnRole } from '../../../src/lib/manager/retire.js'
import { SqliteStore, modify, type Store } from '../../../src/lib/store/index.js'
import type { Node } from '../../../src/lib/types/index.js'
import { node, service } from '../orchestrator/fixtures.js'

const manager = (id: string): Node => {
  const n = node(id)
  return { ...n, Spec: { ...n.Spec, Role: 'manager' } }
}

describe('watchOwnRole', () => {
  let store: Store
  beforeEach(async () => {
    store = new SqliteStore(':memory:')
    await store.create('node', manager('m1'))
    await store.create('node', manager('m2'))
  })
  afterEach(() => store.close())

  test('fires once when its node becomes a worker', async () => {
    let fired = 0
    watchOwnRole(store, 'm1', () => fired++)
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Labels = { a: 'b' } })
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Availability = 'drain' })
    expect(fired).toBe(0)
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Role = 'worker' })
    expect(fired).toBe(1)
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Labels = { c: 'd' } })
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Role = 'manager' })
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Role = 'worker' })
    await store.delete('node', 'm1')
    expect(fired).toBe(1)
  })

  test('fires when its node is removed', async () => {
    let fired = 0
    watchOwnRole(store, 'm1', () => fired++)
    await store.delete('node', 'm1')
    expect(fired).toBe(1)
  })

  test('not for other nodes, nor for other kinds with its ID', async () => {
    let fired = 0
    watchOwnRole(store, 'm1', () => fired++)
    await modify<Node>(store, 'node', 'm2', (n) => { n.Spec.Role = 'worker' })
    await store.delete('node', 'm2')
    await store.create('node', node('w1'))
    // An engine and a service that happen to share the node's ID.
    await store.create('engine', { ...node('m1'), Spec: { Role: 'worker' } } as never)
    await store.delete('engine', 'm1')
    await store.create('service', service('m1'))
    await store.delete('service', 'm1')
    expect(fired).toBe(0)
    await store.delete('node', 'm1')
    expect(fired).toBe(1)
  })

  test('the returned function stops it', async () => {
    let fired = 0
    const off = watchOwnRole(store, 'm1', () => fired++)
    off()
    await modify<Node>(store, 'node', 'm1', (n) => { n.Spec.Role = 'worker' })
    await store.delete('node', 'm1')
    expect(fired).toBe(0)
  })
})

describe('retire', () => {
  let dir: string
  const CTX: Context = { Manager: '10.0.0.1:2377', ClusterID: 'c1', NodeID: 'm1', Role: 'manager' }
  const TLS = { ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' }
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsw-retire-'))
    const p = dataPaths(dir)
    writeContext(dir, CTX, TLS)
    writeManagerConfig(dir, { ClusterID: 'c1', NodeID: 'm1', ListenAddr: '0.0.0.0:2377', AdvertiseAddr: '10.0.0.1', AdvertisePort: 2377, HeartbeatMs: 5000 })
    writeStoreFiles(p, { URL: 'etcds://h:2379', CACert: 'E CA', Cert: 'E CERT', Key: 'E KEY' })
    for (const f of [p.db, `${p.db}-wal`, `${p.db}-shm`, p.pidfile, p.serverCert, p.serverKey]) writeFile(f, 'x')
    writeFile(p.logfile, 'the log\n')
    mkdirSync(join(p.manager, 'empty-dir'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  test('removes the manager files but its log; the context becomes a worker\'s, at the given manager', () => {
    const p = dataPaths(dir)
    expect(readdirSync(p.manager).length).toBeGreaterThan(5)
    retire(dir, '10.0.0.2:2377')
    expect(readdirSync(p.manager)).toEqual(['manager.log'])
    expect(readFileSync(p.logfile, 'utf8')).toBe('the log\n')
    expect(readContext(dir)).toEqual({ Manager: '10.0.0.2:2377', ClusterID: 'c1', NodeID: 'm1', Role: 'worker' })
    // The client bundle stays: the host is still in the swarm.
    expect(readFileSync(p.tlsCa, 'utf8')).toBe('CA PEM')
    expect(readFileSync(p.tlsCert, 'utf8')).toBe('CERT PEM')
    expect(readFileSync(p.tlsKey, 'utf8')).toBe('KEY PEM')
  })

  test('without an address the context keeps its manager', () => {
    retire(dir)
    expect(readContext(dir)).toEqual({ ...CTX, Role: 'worker' })
    expect(readdirSync(dataPaths(dir).manager)).toEqual(['manager.log'])
  })

  test('a data dir with no manager folder and no context: nothing to do, nothing made', () => {
    const empty = mkdtempSync(join(tmpdir(), 'tsw-retire-empty-'))
    try {
      expect(() => retire(empty, '10.0.0.2:2377')).not.toThrow()
      expect(readdirSync(empty)).toEqual([])
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  })

  test('no log: the manager folder is emptied', () => {
    rmSync(dataPaths(dir).logfile)
    retire(dir, '10.0.0.2:2377')
    expect(existsSync(dataPaths(dir).manager)).toBe(true)
    expect(readdirSync(dataPaths(dir).manager)).toEqual([])
  })
})
