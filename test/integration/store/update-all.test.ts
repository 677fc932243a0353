// Store.updateAll and modifyAll, the batched writes of a scheduling pass,
// checked the same way on SQLite and on a real etcd (Debian's etcd-server on
// 127.0.0.1 with a free port and a temp data dir). No lab needed: run it with TSW_NO_LAB=1.
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { InvalidArgumentError, NotFoundError, OutOfSequenceError } from '../../../src/lib/errors/index.js'
import { EtcdStore, MAX_BATCH, modify, modifyAll, SqliteStore, type Store, type StoreEvent } from '../../../src/lib/store/index.js'
import type { StoredObject } from '../../../src/lib/types/index.js'

const ETCD = ['/usr/bin/etcd', '/usr/local/bin/etcd'].find((p) => existsSync(p))

interface Obj extends StoredObject { n: number }
const obj = (id: string, n = 0): Obj => ({ ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', n })

function behaviour(open: () => Promise<Store>): void {
  let store: Store
  beforeEach(async () => { store = await open() })
  afterEach(() => store.close())

  it('writes every object in one go, versions bumped, CreatedAt kept, each change watched', async () => {
    const made = (await store.createAll(['a', 'b', 'c'].map((id) => ({ kind: 'task' as const, obj: obj(id) })))) as Obj[]
    const seen: StoreEvent[] = []
    const unwatch = store.watch((e) => seen.push(e))
    const saved = await store.updateAll(made.map((o) => ({ kind: 'task' as const, obj: { ...o, n: 1 }, expected: o.Version.Index })))
    unwatch()
    const now = await store.list<Obj>('task')
    expect(now.map((o) => [o.ID, o.n])).toEqual([['a', 1], ['b', 1], ['c', 1]])
    expect(now).toEqual(saved)
    now.forEach((o, i) => {
      expect(o.Version.Index).toBeGreaterThan(made[i].Version.Index)
      expect(o.CreatedAt).toBe(made[i].CreatedAt)
    })
    expect(seen.map((e) => `${e.action} ${e.id}`)).toEqual(['update a', 'update b', 'update c'])
  })

  it('writes nothing when one object changed since it was read, or is gone', async () => {
    const [a, b] = (await store.createAll([{ kind: 'task', obj: obj('a') }, { kind: 'task', obj: obj('b') }])) as Obj[]
    await modify<Obj>(store, 'task', 'b', (o) => { o.n = 5 })
    const stale = [{ kind: 'task' as const, obj: { ...a, n: 9 }, expected: a.Version.Index }, { kind: 'task' as const, obj: { ...b, n: 9 }, expected: b.Version.Index }]
    await expect(store.updateAll(stale)).rejects.toBeInstanceOf(OutOfSequenceError)
    expect((await store.list<Obj>('task')).map((o) => o.n)).toEqual([0, 5])
    await store.delete('task', 'b')
    const current = (await store.get<Obj>('task', 'a'))!
    await expect(store.updateAll([{ kind: 'task', obj: { ...current, n: 9 }, expected: current.Version.Index }, stale[1]]))
      .rejects.toSatisfy((e) => e instanceof OutOfSequenceError || e instanceof NotFoundError)
    expect((await store.get<Obj>('task', 'a'))!.n).toBe(0)
  })

  it('modifyAll batches MAX_BATCH at a time, skips unchanged and missing objects, and redoes a spoiled batch one by one', async () => {
    const n = MAX_BATCH + 20
    await store.createAll(Array.from({ length: MAX_BATCH }, (_, i) => ({ kind: 'task' as const, obj: obj(`t${i}`) })))
    await store.createAll(Array.from({ length: 20 }, (_, i) => ({ kind: 'task' as const, obj: obj(`t${MAX_BATCH + i}`) })))
    let updates = 0
    const unwatch = store.watch((e) => { if (e.action === 'update') updates++ })
    let spoiled = false
    // The reader hands out t1 as it was, after another writer changed it: that batch is redone with modify().
    const read = async (id: string) => {
      const o = await store.get<Obj>('task', id)
      if (id === 't1' && !spoiled) {
        spoiled = true
        await modify<Obj>(store, 'task', 't1', (x) => { x.n = 100 })
      }
      return o
    }
    const changes = [...Array.from({ length: n }, (_, i) => ({ id: `t${i}`, change: (o: Obj) => (i % 2 === 0 ? false : ((o.n += 1), true)) })), { id: 'gone', change: () => true }]
    await modifyAll<Obj>(store, 'task', changes, read)
    unwatch()
    const byId = new Map((await store.list<Obj>('task')).map((o) => [o.ID, o.n]))
    expect(byId.get('t1')).toBe(101)
    expect(byId.get('t3')).toBe(1)
    expect(byId.get('t0')).toBe(0)
    expect(byId.get(`t${n - 1}`)).toBe(1)
    expect(byId.has('gone')).toBe(false)
    // 1 from the spoiler, then the first batch one by one (MAX_BATCH modify() writes), then the odd ones of the second batch.
    expect(updates).toBe(1 + MAX_BATCH + 10)
  })
}

describe('updateAll on SQLite', () => {
  let dir: string
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'tsw-store-')) })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  behaviour(async () => new SqliteStore(join(dir, `${randomUUID()}.db`)))
})

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
  const { port } = srv.address() as { port: number }
  await new Promise((r) => srv.close(r))
  return port
}

describe.skipIf(!ETCD)('updateAll on a real etcd', () => {
  let proc: ChildProcess
  let dir: string
  let endpoints: string
  beforeAll(async () => {
    const [client, peer] = [await freePort(), await freePort()]
    dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tsw-etcd-'))
    endpoints = `etcd://127.0.0.1:${client}`
    proc = spawn(ETCD!, [
      '--name', 'm0', '--data-dir', dir, '--listen-client-urls', `http://127.0.0.1:${client}`,
      '--advertise-client-urls', `http://127.0.0.1:${client}`, '--listen-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`, '--initial-cluster', `m0=http://127.0.0.1:${peer}`,
      '--logger', 'zap', '--log-level', 'error',
    ], { stdio: 'ignore' })
    const end = Date.now() + 15_000
    for (;;) {
      try {
        await (await EtcdStore.open({ endpoints, clusterId: 'probe', timeoutMs: 1000 })).close()
        break
      } catch (err) {
        if (Date.now() > end) throw err
        await new Promise((r) => setTimeout(r, 200))
      }
    }
  }, 20_000)
  afterAll(() => {
    proc?.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })
  const open = () => EtcdStore.open({ endpoints, clusterId: `c${randomUUID().slice(0, 8)}` })
  behaviour(open)

  it('refuses more than MAX_BATCH objects in one transaction, writing nothing', async () => {
    const store = await open()
    try {
      const made = await store.createAll(Array.from({ length: MAX_BATCH + 1 }, (_, i) => ({ kind: 'task' as const, obj: obj(`t${i}`) })).slice(0, MAX_BATCH))
      const extra = await store.create('task', obj('x'))
      const all = [...made, extra].map((o) => ({ kind: 'task' as const, obj: { ...o, n: 1 }, expected: o.Version.Index }))
      await expect(store.updateAll(all)).rejects.toBeInstanceOf(InvalidArgumentError)
      expect((await store.list<Obj>('task')).every((o) => o.n === 0)).toBe(true)
    } finally {
      await store.close()
    }
  })
})
