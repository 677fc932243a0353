import { describe, it, expect } from 'vitest'
import { InvalidArgumentError, UnavailableError } from '../../../src/lib/errors/index.js'
import { placeContainer, requestFromCreateBody } from '../../../src/lib/classic/placement/index.js'
import { GiB, engine } from './build.js'

const req = (env: string[] = [], hostConfig: Record<string, unknown> = {}) => requestFromCreateBody({ Image: 'redis', Env: env, HostConfig: hostConfig })
const errorOf = (f: () => unknown): Error => { try { f() } catch (e) { return e as Error } throw new Error('did not throw') }
const PREFIX = 'unable to find a node that satisfies the following conditions: '

const cluster = () => [
  engine('node02', { engineLabels: { storage: 'ssd' }, containers: [{ names: ['web'], hostPorts: ['tcp/80'] }] }),
  engine('node01', { engineLabels: { storage: 'disk' } }),
  engine('node03', { state: 'down', engineLabels: { storage: 'ssd' } }),
]

describe('placeContainer', () => {
  it('places on a node passing every filter', () => {
    expect(placeContainer(req(['constraint:node==node02']), cluster(), 'spread')).toEqual({ nodeId: 'id-node02', warnings: [] })
    expect(placeContainer(req(['constraint:storage==ssd']), cluster(), 'spread').nodeId).toBe('id-node02')
    expect(placeContainer(req(['affinity:container==web']), cluster(), 'spread').nodeId).toBe('id-node02')
    expect(placeContainer(req(['affinity:container!=web']), cluster(), 'binpack').nodeId).toBe('id-node01')
    expect(placeContainer(req([], { PortBindings: { '80/tcp': [{ HostPort: '80' }] } }), cluster(), 'binpack').nodeId).toBe('id-node01')
    expect(placeContainer(req([], { PortBindings: { '80/tcp': [{ HostPort: '' }] } }), cluster(), 'binpack').nodeId).toBe('id-node02')
  })
  it('names the filter and the nodes it excluded', () => {
    const err = errorOf(() => placeContainer(req(['constraint:node==node09']), [engine('node01'), engine('node02'), engine('node03')], 'spread'))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toBe(`${PREFIX}constraint node==node09 excluded node01, node02, node03`)
  })
  it('blames each node on the first filter that excluded it', () => {
    const err = errorOf(() => placeContainer(req(['constraint:storage==ssd', 'affinity:container!=web']), cluster(), 'spread'))
    expect(err.message).toBe(`${PREFIX}node03 is down; constraint storage==ssd excluded node01; affinity container!=web excluded node02`)
  })
  it('explains health, ports and resources', () => {
    const engines = [
      engine('node01', { containers: [{ hostPorts: ['tcp/80'] }] }),
      engine('node02', { memoryGiB: 1 }),
      engine('node03', { state: 'down' }),
      engine('node04', { availability: 'drain' }),
    ]
    const err = errorOf(() => placeContainer(req([], { Memory: 2 * GiB, PortBindings: { '80/tcp': [{ HostPort: '80' }] } }), engines, 'spread'))
    expect(err.message).toBe(`${PREFIX}node03 is down; node04 is drained; port tcp/80 already in use on node01; insufficient memory on node02`)
    expect(errorOf(() => placeContainer(req(), [engine('node03', { state: 'down' })], 'spread')).message).toBe(`${PREFIX}node03 is down`)
  })
  it('says when there is no node at all', () => {
    const err = errorOf(() => placeContainer(req(), [], 'spread'))
    expect(err).toBeInstanceOf(UnavailableError)
    expect(err.message).toBe('no nodes available in the cluster')
  })
  it('throws InvalidArgumentError for a bad expression, before anything else', () => {
    expect(() => placeContainer(req(['constraint:node=node01']), [], 'spread')).toThrow(InvalidArgumentError)
  })
  it('honours a soft expression when a node satisfies it', () => {
    expect(placeContainer(req(['constraint:node==~node02']), cluster(), 'spread')).toEqual({ nodeId: 'id-node02', warnings: [] })
    expect(placeContainer(req(['affinity:image==~redis']), [engine('node01'), engine('node02', { images: ['redis:latest'] })], 'spread'))
      .toEqual({ nodeId: 'id-node02', warnings: [] })
  })
  it('ignores a soft expression nothing satisfies, with a warning', () => {
    expect(placeContainer(req(['constraint:node==~node09']), cluster(), 'spread')).toEqual({
      nodeId: 'id-node01', warnings: ['soft constraint node==~node09 not satisfied on node01: ignored'],
    })
    expect(placeContainer(req(['affinity:container==~db', 'constraint:storage==ssd']), cluster(), 'spread')).toEqual({
      nodeId: 'id-node02', warnings: ['soft affinity container==~db not satisfied on node02: ignored'],
    })
  })
  it('drops soft expressions when they only fit with a hard filter failing (classic swarm\'s second pass)', () => {
    // node02 alone satisfies the soft constraint, but its port 80 is taken.
    const r = req(['constraint:node==~node02', 'constraint:storage!=~tape'], { PortBindings: { '80/tcp': [{ HostPort: '80' }] } })
    expect(placeContainer(r, cluster(), 'spread')).toEqual({
      nodeId: 'id-node01', warnings: ['soft constraint node==~node02 not satisfied on node01: ignored'],
    })
  })
  it('reports only hard filters when soft ones are dropped and nothing fits still', () => {
    const err = errorOf(() => placeContainer(req(['constraint:node==~node01', 'constraint:storage==tape']), cluster(), 'spread'))
    expect(err.message).toBe(`${PREFIX}node03 is down; constraint storage==tape excluded node01, node02`)
  })
})
