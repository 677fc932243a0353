import { describe, it, expect } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import {
  isStrategy, placeContainer, rankEngines, requestFromCreateBody, type ContainerRequest, type EngineState, type Strategy,
} from '../../../src/lib/classic/placement/index.js'
import { CPU, GiB, container, engine, running } from './build.js'

const plain = requestFromCreateBody({ Image: 'busybox' })
const names = (engines: EngineState[]) => engines.map((e) => e.node.Description.Hostname)

/** Places n containers one after another, adding each to its engine as a running container; hostnames chosen, in order. */
function placeMany(n: number, req: ContainerRequest, engines: EngineState[], strategy: Strategy): string[] {
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const { nodeId } = placeContainer(req, engines, strategy)
    const e = engines.find((x) => x.node.ID === nodeId)!
    e.containers.push(container(`c${i}`, { memory: req.memory, nanoCpus: req.nanoCpus, hostPorts: req.hostPorts }))
    out.push(e.node.Description.Hostname)
  }
  return out
}
const count = (hosts: string[]) => hosts.reduce<Record<string, number>>((m, h) => ({ ...m, [h]: (m[h] ?? 0) + 1 }), {})

describe('spread', () => {
  it('prefers the engine with the fewest running containers (stopped ones do not count)', () => {
    const engines = [engine('node01', { containers: running(2) }), engine('node02', { containers: [...running(1), { running: false }] }), engine('node03', { containers: running(3) })]
    expect(names(rankEngines('spread', plain, engines))).toEqual(['node02', 'node01', 'node03'])
  })
  it('breaks ties by reserved resources, then by hostname', () => {
    const engines = [
      engine('node03'), engine('node01', { containers: [{ memory: 1 * GiB }] }), engine('node02'),
      engine('node04', { containers: [{ nanoCpus: 1 * CPU }] }),
    ]
    // node01 and node04 run one container each; node02 and node03 none.
    expect(names(rankEngines('spread', plain, engines))).toEqual(['node02', 'node03', 'node01', 'node04'])
  })
  it('spreads ten containers over three engines', () => {
    const hosts = placeMany(10, plain, [engine('node01'), engine('node02'), engine('node03')], 'spread')
    expect(hosts.slice(0, 4)).toEqual(['node01', 'node02', 'node03', 'node01'])
    expect(count(hosts)).toEqual({ node01: 4, node02: 3, node03: 3 })
  })
})

describe('binpack', () => {
  it('prefers the most loaded engine that fits, then the one with most containers', () => {
    const engines = [
      engine('node01', { containers: running(5) }),
      engine('node02', { containers: [{ memory: 1 * GiB }] }),
      engine('node03', { containers: running(2) }),
    ]
    expect(names(rankEngines('binpack', plain, engines))).toEqual(['node02', 'node01', 'node03'])
  })
  it('counts the asked resources as a fraction of each engine', () => {
    const req = { ...plain, memory: 1 * GiB }
    // 1 GiB of 2 GiB beats 1 GiB of 8 GiB.
    expect(names(rankEngines('binpack', req, [engine('big', { memoryGiB: 8 }), engine('small', { memoryGiB: 2 })]))).toEqual(['small', 'big'])
  })
  it('fills one engine with ten 0-resource containers', () => {
    expect(count(placeMany(10, plain, [engine('node01'), engine('node02'), engine('node03')], 'binpack'))).toEqual({ node01: 10 })
  })
  it('moves on to the next engine when the first is full', () => {
    const req = { ...plain, memory: 1 * GiB }
    const hosts = placeMany(6, req, [engine('node01', { memoryGiB: 4 }), engine('node02', { memoryGiB: 4 })], 'binpack')
    expect(hosts).toEqual(['node01', 'node01', 'node01', 'node01', 'node02', 'node02'])
  })
  it('moves on when the port is taken', () => {
    const req = requestFromCreateBody({ Image: 'nginx', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '80' }] } } })
    expect(placeMany(3, req, [engine('node01'), engine('node02'), engine('node03')], 'binpack')).toEqual(['node01', 'node02', 'node03'])
  })
})

describe('random', () => {
  const engines = [engine('node03'), engine('node01'), engine('node02')]
  it('picks by random() over the candidates in hostname order', () => {
    expect(names(rankEngines('random', plain, engines, () => 0))).toEqual(['node01', 'node02', 'node03'])
    expect(rankEngines('random', plain, engines, () => 0.5)[0].node.ID).toBe('id-node02')
    expect(rankEngines('random', plain, engines, () => 0.99)[0].node.ID).toBe('id-node03')
    expect(placeContainer(plain, engines, 'random', () => 0.4).nodeId).toBe('id-node02')
  })
  it('stays in range for random() = 1', () => {
    expect(rankEngines('random', plain, engines, () => 1)[0].node.ID).toBe('id-node03')
  })
})

describe('strategy names', () => {
  it('knows spread, binpack and random; rejects others', () => {
    expect(['spread', 'binpack', 'random', 'roundrobin'].map(isStrategy)).toEqual([true, true, true, false])
    expect(() => rankEngines('roundrobin' as Strategy, plain, [engine('node01')])).toThrow(InvalidArgumentError)
    expect(() => rankEngines('roundrobin' as Strategy, plain, [engine('node01')])).toThrow(
      "strategy 'roundrobin' is unknown (use spread, binpack, random)")
  })
})
