import { describe, it, expect } from 'vitest'
import {
  ConstraintFilter, MaxReplicasFilter, NodeInfo, Pipeline, PlatformFilter, PortFilter, ReadyFilter, ResourceFilter, noSuitableNode,
} from '../../../src/lib/scheduler/index.js'
import { node, task } from './build.js'

describe('filters', () => {
  it('explain in swarmkit words, singular and plural', () => {
    expect(new ReadyFilter().explain(1)).toBe('1 node not available for new tasks')
    expect(new ReadyFilter().explain(3)).toBe('3 nodes not available for new tasks')
    expect(new ConstraintFilter().explain(3)).toBe('scheduling constraints not satisfied on 3 nodes')
    expect(new ConstraintFilter().explain(1)).toBe('scheduling constraints not satisfied on 1 node')
    expect(new ResourceFilter().explain(2)).toBe('insufficient resources on 2 nodes')
    expect(new PortFilter().explain(2)).toBe('host-mode port already in use on 2 nodes')
    expect(new PlatformFilter().explain(1)).toBe('unsupported platform on 1 node')
    expect(new MaxReplicasFilter().explain()).toBe('max replicas per node limit exceed')
  })
  it('only apply to tasks that need them', () => {
    const plain = { task: task('t1', 's1') }
    expect(new ReadyFilter().setTask()).toBe(true)
    expect(new ConstraintFilter().setTask(plain)).toBe(false)
    expect(new ResourceFilter().setTask(plain)).toBe(false)
    expect(new PortFilter().setTask(plain)).toBe(false)
    expect(new PlatformFilter().setTask(plain)).toBe(false)
    expect(new MaxReplicasFilter().setTask(plain)).toBe(false)
  })
  it('platform: amd64 matches x86_64, an empty field matches anything', () => {
    const f = new PlatformFilter()
    const x86 = new NodeInfo(node('n1', { arch: 'x86_64', os: 'linux' }))
    const arm = new NodeInfo(node('n2', { arch: 'aarch64', os: 'linux' }))
    f.setTask({ task: task('t', 's', { platforms: [{ OS: 'linux', Architecture: 'amd64' }] }) })
    expect([f.check(x86), f.check(arm)]).toEqual([true, false])
    f.setTask({ task: task('t', 's', { platforms: [{ Architecture: 'arm64' }, { OS: 'windows' }] }) })
    expect([f.check(x86), f.check(arm)]).toEqual([false, true])
  })
})

describe('Pipeline', () => {
  it('charges the first failing filter and explains most failures first, joined by "; "', () => {
    const p = new Pipeline()
    p.setTask({ task: task('t', 's', { constraints: ['node.role==manager'], cpus: 4 }) })
    const nodes = [
      node('a', { state: 'down' }), node('b', { role: 'manager', cpus: 1 }),
      node('c', { role: 'worker', cpus: 8 }), node('d', { role: 'worker' }), node('e', { role: 'worker' }),
    ].map((n) => new NodeInfo(n))
    expect(nodes.map((n) => p.process(n))).toEqual([false, false, false, false, false])
    // Ties keep the pipeline's order: readiness before constraints.
    const why = 'insufficient resources on 3 nodes; 1 node not available for new tasks; scheduling constraints not satisfied on 1 node'
    expect(p.explain()).toBe(why)
    expect(noSuitableNode(p.explain())).toBe(`no suitable node (${why})`)
    expect(noSuitableNode('')).toBe('no suitable node')
    p.setTask({ task: task('t2', 's') })
    expect(p.explain()).toBe('')
  })
})
