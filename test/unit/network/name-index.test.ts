import { describe, expect, test } from 'vitest'
import { buildNameIndex } from '../../../src/lib/network/names.js'
import { port, svc, task } from './overlay-fixtures.js'

const entries = (m: Map<string, string[]>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)))

describe('buildNameIndex', () => {
  test('vip mode: the service name is its virtual IP on its first network; tasks.<name> the running tasks', () => {
    const s = svc('s1', 'web', { networks: ['app', 'other'], vips: [{ NetworkID: 'other', Addr: '10.0.2.2/24' }, { NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const tasks = [
      task('t1', s, { node: 'n1', slot: 1, addrs: { app: '10.0.1.3/24', other: '10.0.2.3/24' } }),
      task('t2', s, { node: 'n2', slot: 2, addrs: { app: '10.0.1.4/24', other: '10.0.2.4/24' } }),
    ]
    expect(entries(buildNameIndex([s], tasks))).toEqual({
      'web': ['10.0.1.2'],
      'tasks.web': ['10.0.1.3', '10.0.1.4'],
      'web.1.t1': ['10.0.1.3'],
      'web.2.t2': ['10.0.1.4'],
    })
  })
  test('dnsrr mode: the service name is its running tasks\' addresses', () => {
    const s = svc('s1', 'db', { networks: ['app'], mode: 'dnsrr' })
    const tasks = [
      task('t1', s, { node: 'n1', slot: 1, addrs: { app: '10.0.1.3/24' } }),
      task('t2', s, { node: 'n2', slot: 2, addrs: { app: '10.0.1.4/24' } }),
    ]
    const idx = buildNameIndex([s], tasks)
    expect(idx.get('db')).toEqual(['10.0.1.3', '10.0.1.4'])
    expect(idx.get('tasks.db')).toEqual(['10.0.1.3', '10.0.1.4'])
  })
  test('dnsrr ignores a stale VIP; vip mode without a VIP yet falls back to the tasks', () => {
    const d = svc('d', 'dns-rr', { networks: ['app'], mode: 'dnsrr', vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const v = svc('v', 'novip', { networks: ['app'] })
    const tasks = [task('t1', d, { node: 'n1', addrs: { app: '10.0.1.3/24' } }), task('t2', v, { node: 'n1', addrs: { app: '10.0.1.5/24' } })]
    const idx = buildNameIndex([d, v], tasks)
    expect(idx.get('dns-rr')).toEqual(['10.0.1.3'])
    expect(idx.get('novip')).toEqual(['10.0.1.5'])
  })
  test('only running tasks told to run are answered for the service and tasks.<name>', () => {
    const s = svc('s1', 'web', { networks: ['app'], mode: 'dnsrr' })
    const tasks = [
      task('t1', s, { node: 'n1', slot: 1, addrs: { app: '10.0.1.3/24' } }),
      task('t2', s, { node: 'n1', slot: 2, state: 'starting', addrs: { app: '10.0.1.4/24' } }),
      task('t3', s, { node: 'n2', slot: 3, state: 'running', desired: 'shutdown', addrs: { app: '10.0.1.5/24' } }),
      task('t4', s, { node: 'n2', slot: 4, state: 'failed', desired: 'shutdown', addrs: { app: '10.0.1.6/24' } }),
      task('t5', s, { slot: 5, state: 'pending', addrs: { app: '10.0.1.7/24' } }),
      task('t6', s, { node: 'n1', slot: 6 }),
    ]
    const idx = buildNameIndex([s], tasks)
    expect(idx.get('web')).toEqual(['10.0.1.3'])
    expect(idx.get('tasks.web')).toEqual(['10.0.1.3'])
    // Container names: placed tasks told to run, with an address, whatever their state.
    expect([...idx.keys()].filter((k) => k.startsWith('web.')).sort()).toEqual(['web.1.t1', 'web.2.t2'])
  })
  test('no running task: empty lists, the names still known', () => {
    const s = svc('s1', 'web', { networks: ['app'], mode: 'dnsrr' })
    expect(entries(buildNameIndex([s], []))).toEqual({ 'web': [], 'tasks.web': [] })
  })
  test('global tasks are named after their node', () => {
    const s = svc('s1', 'agent', { networks: ['app'], vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const idx = buildNameIndex([s], [task('tx9', s, { node: 'node7', addrs: { app: '10.0.1.3/24' } })])
    expect(idx.get('agent.node7.tx9')).toEqual(['10.0.1.3'])
  })
  test('network aliases answer like the service name', () => {
    const s = svc('s1', 'web', { networks: [{ Target: 'app', Aliases: ['www', 'Front'] }, { Target: 'other', Aliases: ['web2'] }], vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const idx = buildNameIndex([s], [])
    for (const n of ['web', 'www', 'front', 'web2']) expect(idx.get(n), n).toEqual(['10.0.1.2'])
    expect(idx.has('tasks.www')).toBe(false)
  })
  test('names are lower case', () => {
    const s = svc('s1', 'MyWeb', { networks: ['app'], vips: [{ NetworkID: 'app', Addr: '10.0.1.2/24' }] })
    const idx = buildNameIndex([s], [task('T1ABC', s, { node: 'n1', slot: 1, addrs: { app: '10.0.1.3/24' } })])
    expect([...idx.keys()].sort()).toEqual(['myweb', 'myweb.1.t1abc', 'tasks.myweb'])
  })
  test('services without networks are absent, even those on ingress only', () => {
    const plain = svc('p', 'plain')
    const meshed = svc('m', 'meshed', { ports: [port(80, 8080)] })
    const t = task('t1', meshed, { node: 'n1', slot: 1, addrs: { ing: '10.0.0.3/24' } })
    expect(buildNameIndex([plain, meshed], [t, task('t2', plain, { node: 'n1', slot: 1 })]).size).toBe(0)
  })
  test('addresses are those of the first network: tasks missing from it are not answered', () => {
    const s = svc('s1', 'web', { networks: ['app'], mode: 'dnsrr' })
    const idx = buildNameIndex([s], [task('t1', s, { node: 'n1', slot: 1, addrs: { ing: '10.0.0.3/24', other: '10.0.2.3/24' } })])
    expect(idx.get('web')).toEqual([])
    expect(idx.has('web.1.t1')).toBe(false)
  })
  test('several services do not mix', () => {
    const a = svc('a', 'a', { networks: ['app'], mode: 'dnsrr' })
    const b = svc('b', 'b', { networks: ['app'], mode: 'dnsrr' })
    const idx = buildNameIndex([a, b], [task('t1', a, { node: 'n1', addrs: { app: '10.0.1.3/24' } }), task('t2', b, { node: 'n1', addrs: { app: '10.0.1.4/24' } })])
    expect(idx.get('a')).toEqual(['10.0.1.3'])
    expect(idx.get('tasks.b')).toEqual(['10.0.1.4'])
  })
})
