// The join's duplicate refusal through the EngineIndex (an in-memory store, a fake probe):
// the same URL, or the same engine ID on the same host, is refused with docker's words and
// the existing node's ID; a left engine, or a clone (same ID, other host), joins.
import { afterEach, describe, expect, it } from 'vitest'
import { addEngineNode, EngineIndex } from '../../../src/lib/cluster/index.js'
import type { StoredEngine } from '../../../src/lib/engine/record.js'
import { ConflictError } from '../../../src/lib/errors/index.js'
import { modify, SqliteStore, type Store } from '../../../src/lib/store/index.js'
import type { EngineInfo, EngineRef, Node } from '../../../src/lib/types/index.js'

const info = (id: string, host: string): EngineInfo => ({
  ID: id, Hostname: host, OS: 'linux', Architecture: 'x86_64', NCPU: 2, MemTotal: 4e9, ServerVersion: '28.0.0', Labels: {},
})

describe('joins refused as duplicates through the EngineIndex', () => {
  let store: Store
  afterEach(async () => store.close())

  function deps(engines: Record<string, EngineInfo>, probes: string[] = []) {
    store ??= new SqliteStore(':memory:')
    const index = new EngineIndex(store)
    const probe = async (ref: EngineRef) => {
      probes.push(ref.URL)
      await new Promise((r) => setTimeout(r, 5))
      return engines[ref.URL]
    }
    return { store, probe, index }
  }

  it('refuses the same URL and the same engine on the same host, with the node it is', async () => {
    store = new SqliteStore(':memory:')
    const d = deps({ 'tcp://a:2375': info('E1', 'h1'), 'tcp://b:2375': info('E1', 'h1'), 'tcp://c:2375': info('E1', 'h2') })
    const first = await addEngineNode(d, { URL: 'tcp://a:2375' })
    await expect(addEngineNode(d, { URL: 'tcp://a:2375' })).rejects.toThrow(
      `This node is already part of a swarm: engine tcp://a:2375 (h1) is node ${first.ID}. Use "tsw swarm leave" to leave this swarm and join another one.`)
    await expect(addEngineNode(d, { URL: 'tcp://b:2375' })).rejects.toBeInstanceOf(ConflictError)
    // A clone of the image (same engine ID) on another host is another engine.
    await addEngineNode(d, { URL: 'tcp://c:2375' })
    expect(await store.list('node')).toHaveLength(2)
  })

  it('lets an engine that left join again, and follows a renamed host', async () => {
    store = new SqliteStore(':memory:')
    const engines = { 'tcp://a:2375': info('E1', 'h1') }
    const d = deps(engines)
    const first = await addEngineNode(d, { URL: 'tcp://a:2375' })
    await modify<StoredEngine>(store, 'engine', first.ID, (e) => { e.Left = true })
    const again = await addEngineNode(d, { URL: 'tcp://a:2375' })
    expect(again.ID).not.toBe(first.ID)
    // The host renamed (its node's Description follows on a heartbeat): a clone named as it was joins.
    await modify<Node>(store, 'node', again.ID, (n) => { n.Description.Hostname = 'h9' })
    expect(await d.index.find('tcp://x:2375', 'E1', 'h1')).toBeUndefined()
    expect(await d.index.find('tcp://x:2375', 'E1', 'h9')).toBe(again.ID)
  })

  it('knows nodes stored before it was first asked, and refuses the same engine added twice at once', async () => {
    store = new SqliteStore(':memory:')
    const engines = { 'tcp://a:2375': info('E1', 'h1'), 'tcp://b:2375': info('E2', 'h2') }
    const early = await addEngineNode(deps(engines), { URL: 'tcp://a:2375' })
    const d = deps(engines)
    expect(await d.index.find('tcp://a:2375', 'E9', 'h9')).toBe(early.ID)
    const both = await Promise.allSettled([addEngineNode(d, { URL: 'tcp://b:2375' }), addEngineNode(d, { URL: 'tcp://b:2375' })])
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(await store.list('node')).toHaveLength(2)
  })
})
