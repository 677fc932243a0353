// SQLite's group commit: the writes issued in one turn of the event loop share one commit,
// each answered after it; a write that fails (a lost compare-and-set, an ID taken) fails
// alone; watchers see the group's changes in revision order; what a write was acknowledged
// for is in the file (another connection reads it), and a write of the next turn is its own commit.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConflictError, OutOfSequenceError } from '../../../src/lib/errors/index.js'
import { modify, SqliteStore, type StoreEvent } from '../../../src/lib/store/index.js'
import type { StoredObject } from '../../../src/lib/types/index.js'

const obj = (id: string, extra: Record<string, unknown> = {}): StoredObject =>
  ({ ID: id, Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '', ...extra }) as StoredObject

describe('SqliteStore group commit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsw-group-'))
  const stores: SqliteStore[] = []
  const open = (name: string) => {
    const s = new SqliteStore(join(dir, name))
    stores.push(s)
    return s
  }
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close()
  })
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))

  it('commits the writes of one turn together, each failing alone, watchers told in revision order', async () => {
    const store = open('a.db')
    const first = await store.create('node', obj('n1'))
    const events: StoreEvent[] = []
    store.watch((e) => events.push(e))
    const before = store.commitCount
    const results = await Promise.allSettled([
      ...Array.from({ length: 50 }, (_, i) => store.create('task', obj(`t${i}`))),
      store.update('node', { ...first, Spec: 'a' } as StoredObject, first.Version.Index),
      store.update('node', { ...first, Spec: 'b' } as StoredObject, first.Version.Index), // lost: the one before won
      store.create('task', obj('t0')), // taken, by the first write of the group
      store.createAll([{ kind: 'task', obj: obj('x1') }, { kind: 'task', obj: obj('t1') }]), // all or nothing: x1 not stored
      store.delete('task', 't49'),
    ])
    expect(store.commitCount - before).toBe(1)
    expect(results.slice(0, 51).every((r) => r.status === 'fulfilled')).toBe(true)
    expect((results[51] as PromiseRejectedResult).reason).toBeInstanceOf(OutOfSequenceError)
    expect((results[52] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
    expect((results[53] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError)
    expect(results[54]).toEqual({ status: 'fulfilled', value: true })
    expect(await store.get('task', 'x1')).toBeUndefined()
    expect(((await store.get('node', 'n1')) as unknown as { Spec: string }).Spec).toBe('a')
    // Every change in order, its revisions strictly increasing with no gap left by the failed ones.
    expect(events.map((e) => `${e.action} ${e.id}`)).toEqual([...Array.from({ length: 50 }, (_, i) => `create t${i}`), 'update n1', 'delete t49'])
    const revisions = events.filter((e) => e.object).map((e) => e.object!.Version.Index)
    expect(revisions).toEqual(revisions.map((_, i) => first.Version.Index + 1 + i))
  })

  it('acknowledges a write once it is in the file, and copies what it was given', async () => {
    const store = open('b.db')
    const mine = obj('s1', { Spec: 'before' })
    const pending = store.create('service', mine)
    ;(mine as unknown as { Spec: string }).Spec = 'mutated after the call'
    await pending
    const other = open('b.db')
    expect(((await other.get('service', 's1')) as unknown as { Spec: string }).Spec).toBe('before')
    // A write awaited after another is in a commit of its own.
    const before = store.commitCount
    await store.create('service', obj('s2'))
    await store.create('service', obj('s3'))
    expect(store.commitCount - before).toBe(2)
    expect((await other.list('service')).map((s) => s.ID)).toEqual(['s1', 's2', 's3'])
  })

  it('modify() of one object by many writers in one turn applies every change, in order, in one commit', async () => {
    const store = open('m.db')
    await store.create('swarm', obj('counter', { n: 0, seen: [] }))
    const before = store.commitCount
    type Counter = StoredObject & { n: number; seen: number[] }
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) =>
      modify<Counter>(store, 'swarm', 'counter', (c) => { c.n++; c.seen.push(i) })))
    expect(store.commitCount - before).toBe(1)
    expect(results.map((r) => r!.n)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    const now = (await store.get<Counter>('swarm', 'counter'))!
    expect(now.n).toBe(40)
    expect(now.seen).toEqual(Array.from({ length: 40 }, (_, i) => i))
    expect(await modify<Counter>(store, 'swarm', 'none', (c) => { c.n++ })).toBeUndefined()
    // A change that throws fails alone, and writes nothing.
    const [bad, good] = await Promise.allSettled([
      modify<Counter>(store, 'swarm', 'counter', () => { throw new Error('refused') }),
      modify<Counter>(store, 'swarm', 'counter', (c) => { c.n++ }),
    ])
    expect(bad.status).toBe('rejected')
    expect(good.status === 'fulfilled' && good.value!.n).toBe(41)
  })
})
