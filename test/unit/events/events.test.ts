import { describe, expect, it } from 'vitest'
import { ClusterEvents, parseEventFilter, parseEventTime } from '../../../src/lib/events/index.js'
import { prettyEvent, rfc3339NanoFixed } from '../../../src/lib/format/events.js'
import { SqliteStore } from '../../../src/lib/store/index.js'
import type { Node, Service } from '../../../src/lib/types/index.js'
import { node, service } from '../orchestrator/fixtures.js'

async function withEvents() {
  const store = new SqliteStore(':memory:')
  const events = new ClusterEvents(store)
  await events.start()
  const seen: string[] = []
  events.subscribe((e) => seen.push(prettyEvent({ ...e.message, time: 0, timeNano: 0 })))
  return { store, events, seen }
}

describe('swarm events from store changes', () => {
  it('names the changes of a service as dockerd does: update state, replicas, image, then remove with its name', async () => {
    const { store, seen } = await withEvents()
    const s = await store.create<Service>('service', service('s1', { replicas: 2 }))
    const a = await store.update<Service>('service', { ...s, Spec: { ...s.Spec, TaskTemplate: { ContainerSpec: { Image: 'nginx' } } }, UpdateStatus: { State: 'updating', Message: '' } })
    const b = await store.update<Service>('service', { ...a, UpdateStatus: { State: 'completed', Message: '' } })
    await store.update<Service>('service', { ...b, Spec: { ...b.Spec, Mode: { Replicated: { Replicas: 5 } } } })
    await store.delete('service', 's1')
    expect(seen).toEqual([
      'service create s1 (name=s1)',
      'service update s1 (image.new=nginx, image.old=busybox, name=s1, updatestate.new=updating)',
      'service update s1 (name=s1, updatestate.new=completed, updatestate.old=updating)',
      'service update s1 (name=s1, replicas.new=5, replicas.old=2)',
      'service remove s1 (name=s1)',
    ])
  })

  it('gives a node\'s availability and state changes, and sees objects stored before it started', async () => {
    const store = new SqliteStore(':memory:')
    const n = await store.create<Node>('node', node('n1'))
    const events = new ClusterEvents(store)
    await events.start()
    const seen: string[] = []
    events.subscribe((e) => seen.push(prettyEvent({ ...e.message, timeNano: 0 })))
    await store.update<Node>('node', { ...n, Spec: { ...n.Spec, Availability: 'drain' }, Status: { ...n.Status, State: 'down' } })
    await store.create('task', { ID: 't1', Version: { Index: 0 }, CreatedAt: '', UpdatedAt: '' })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatch(/ node update n1 \(availability\.new=drain, availability\.old=active, name=n1, state\.new=down, state\.old=ready\)$/)
  })

  it('keeps recent events for since/until and filters them by type, event, name prefix and label', async () => {
    const { store, events } = await withEvents()
    // No CreatedAt: the store stamps it now (the fixtures' lie in the past).
    await store.create<Service>('service', { ...service('web'), CreatedAt: '', Spec: { ...service('web').Spec, Labels: { tier: 'front' } } })
    await store.create<Node>('node', { ...node('n1'), CreatedAt: '' })
    const t = Date.now()
    const names = (filters: object) => events.recent(parseEventFilter(JSON.stringify(filters)), t - 60_000).map((m) => `${m.Type}/${m.Action}/${m.Actor.Attributes.name}`)
    expect(names({})).toEqual(['service/create/web', 'node/create/n1'])
    expect(names({ type: { node: true } })).toEqual(['node/create/n1'])
    expect(names({ service: { we: true } })).toEqual(['service/create/web'])
    expect(names({ event: { update: true } })).toEqual([])
    expect(names({ label: { 'tier=front': true } })).toEqual(['service/create/web'])
    expect(names({ scope: { local: true } })).toEqual([])
    expect(events.recent(parseEventFilter(null), t + 60_000)).toEqual([])
    expect(() => parseEventFilter('{"colour":{"red":true}}')).toThrow("invalid filter 'colour'")
  })

  it('reads since/until as the docker CLI sends them and refuses anything else', () => {
    expect(parseEventTime('since', '1700000000.500000000')).toBe(1_700_000_000_500)
    expect(parseEventTime('until', '1700000000')).toBe(1_700_000_000_000)
    expect(parseEventTime('since', null)).toBeUndefined()
    expect(() => parseEventTime('since', '10m')).toThrow('invalid value for "since": "10m"')
  })

  it('prints a time as Go\'s RFC3339NanoFixed', () => {
    process.env.TZ = 'UTC'
    expect(rfc3339NanoFixed(Date.parse('2026-01-02T03:04:05.123Z') * 1e6)).toBe('2026-01-02T03:04:05.123000000Z')
  })
})
