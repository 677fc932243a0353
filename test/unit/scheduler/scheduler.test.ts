import { describe, it, expect } from 'vitest'
import { scheduleTasks, type SchedTask } from '../../../src/lib/scheduler/index.js'
import type { Node, Task } from '../../../src/lib/types/index.js'
import { node, perNode, task, tasks } from './build.js'

const sched = (nodes: Node[], pending: Task[], existing: Task[] = []) =>
  scheduleTasks({ nodes, tasks: existing, pending: pending.map((t): SchedTask => ({ task: t })) })
const three = () => [node('n1'), node('n2'), node('n3')]

describe('scheduleTasks: spreading', () => {
  it('spreads 30 tasks over 3 equal nodes 10/10/10', () => {
    const r = sched(three(), tasks(30, 'web'))
    expect(perNode(r.assigned)).toEqual({ n1: 10, n2: 10, n3: 10 })
    expect(r.unassigned).toEqual([])
  })
  it('breaks ties by node ID, whatever order the nodes come in', () => {
    const r = sched([node('n3'), node('n1'), node('n2')], tasks(2, 'web'))
    expect(r.assigned).toEqual([{ taskId: 'web.1', nodeId: 'n1' }, { taskId: 'web.2', nodeId: 'n2' }])
  })
  it('counts tasks already on the nodes: fewest of the service first, then fewest overall', () => {
    const existing = [
      task('web.a', 'web', { nodeId: 'n1' }), task('web.b', 'web', { nodeId: 'n1' }),
      task('db.a', 'db', { nodeId: 'n2' }), task('db.b', 'db', { nodeId: 'n2' }),
    ]
    const r = sched(three(), tasks(4, 'web'), existing)
    // n3 (0 web, 0 total), n2 (0 web, 2 total); then both have 1 web: n3 (1 total) before n2 (3 total).
    expect(r.assigned.map((a) => a.nodeId)).toEqual(['n3', 'n2', 'n3', 'n2'])
    expect(perNode(r.assigned)).toEqual({ n2: 2, n3: 2 })
  })
  it('ignores terminal tasks and ones on nodes that left; tasks desired shutdown do not count for spreading', () => {
    const existing = [
      task('web.a', 'web', { nodeId: 'n1', state: 'failed', desired: 'shutdown' }),
      task('web.b', 'web', { nodeId: 'gone' }),
      task('web.c', 'web', { nodeId: 'n2', desired: 'shutdown' }),
    ]
    expect(sched([node('n1'), node('n2')], tasks(2, 'web'), existing).assigned.map((a) => a.nodeId)).toEqual(['n1', 'n2'])
  })
  it('spreads over zones first (2 zones of 1 and 2 nodes: 6 tasks → 3 per zone)', () => {
    const nodes = [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('b2', { labels: { zone: 'b' } })]
    const r = sched(nodes, tasks(6, 'web', { spread: ['node.labels.zone'] }))
    expect(perNode(r.assigned)).toEqual({ a1: 3, b1: 2, b2: 1 })
  })
  it('nodes lacking the label form their own group; existing tasks count per group', () => {
    const nodes = [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } }), node('x1'), node('x2')]
    const existing = [task('web.0', 'web', { nodeId: 'a1' })]
    const r = sched(nodes, tasks(5, 'web', { spread: ['node.labels.zone'] }), existing)
    expect(perNode(r.assigned)).toEqual({ a1: 1, b1: 2, x1: 1, x2: 1 })
  })
  it('spreads recursively over several preferences, and over engine labels', () => {
    const n = (id: string, dc: string, rack: string) => node(id, { labels: { dc }, engineLabels: { rack } })
    const nodes = [n('d1r1a', 'd1', 'r1'), n('d1r1b', 'd1', 'r1'), n('d1r2', 'd1', 'r2'), n('d2r1', 'd2', 'r1')]
    const r = sched(nodes, tasks(8, 'web', { spread: ['node.labels.dc', 'engine.labels.rack'] }))
    expect(perNode(r.assigned)).toEqual({ d1r1a: 1, d1r1b: 1, d1r2: 2, d2r1: 4 })
  })
})

describe('scheduleTasks: filters', () => {
  it('honours constraints on hostname, role, labels (== and !=) and engine labels', () => {
    const nodes = [
      node('n1', { hostname: 'web-1', role: 'manager', labels: { disk: 'ssd' } }),
      node('n2', { hostname: 'web-2', labels: { disk: 'hdd' }, engineLabels: { gpu: 'yes' } }),
      node('n3', { hostname: 'web-3' }),
    ]
    const placed = (constraints: string[]) => perNode(sched(nodes, tasks(4, 's', { constraints })).assigned)
    expect(placed(['node.hostname==web-2'])).toEqual({ n2: 4 })
    expect(placed(['node.role==worker'])).toEqual({ n2: 2, n3: 2 })
    expect(placed(['node.role!=worker'])).toEqual({ n1: 4 })
    expect(placed(['node.labels.disk==ssd'])).toEqual({ n1: 4 })
    expect(placed(['node.labels.disk!=ssd'])).toEqual({ n2: 2, n3: 2 })
    expect(placed(['engine.labels.gpu==yes', 'node.role==worker'])).toEqual({ n2: 4 })
  })
  it('leaves a task no node satisfies pending with swarm\'s reason', () => {
    const r = sched(three(), tasks(1, 's', { constraints: ['node.labels.zone==mars'] }))
    expect(r).toEqual({ assigned: [], unassigned: [{ taskId: 's.1', reason: 'no suitable node (scheduling constraints not satisfied on 3 nodes)' }] })
  })
  it('excludes drained, paused and down nodes, and says so', () => {
    const nodes = [node('n1', { availability: 'drain' }), node('n2', { availability: 'pause' }), node('n3', { state: 'down' }), node('n4')]
    expect(perNode(sched(nodes, tasks(3, 's')).assigned)).toEqual({ n4: 3 })
    expect(sched(nodes.slice(0, 3), tasks(1, 's')).unassigned[0].reason).toBe('no suitable node (3 nodes not available for new tasks)')
    expect(sched(nodes.slice(2, 3), tasks(1, 's')).unassigned[0].reason).toBe('no suitable node (1 node not available for new tasks)')
    expect(sched([], tasks(1, 's')).unassigned[0].reason).toBe('no suitable node')
  })
  it('reserves resources: one 2-CPU task per 2-CPU node, then insufficient resources on 3 nodes', () => {
    const r = sched(three(), tasks(4, 's', { cpus: 2 }))
    expect(perNode(r.assigned)).toEqual({ n1: 1, n2: 1, n3: 1 })
    expect(r.unassigned).toEqual([{ taskId: 's.4', reason: 'no suitable node (insufficient resources on 3 nodes)' }])
  })
  it('counts reservations of tasks already there (memory too), even those on their way out', () => {
    const existing = [task('x.1', 'x', { nodeId: 'n1', cpus: 1 }), task('x.2', 'x', { nodeId: 'n2', memoryGiB: 3, desired: 'shutdown' })]
    const r = sched(three(), tasks(3, 's', { cpus: 1.5, memoryGiB: 2 }), existing)
    expect(perNode(r.assigned)).toEqual({ n3: 1 })
    expect(r.unassigned.map((u) => u.reason)).toEqual(Array(2).fill('no suitable node (insufficient resources on 3 nodes)'))
  })
  it('keeps host-mode ports apart, counting ports of existing tasks and of earlier decisions', () => {
    const port = [{ TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' as const }]
    const existing = [task('old.1', 'old', { nodeId: 'n1', hostPorts: port })]
    const pending = tasks(3, 'web', { hostPorts: port })
    const r = sched(three(), pending, existing)
    expect(perNode(r.assigned)).toEqual({ n2: 1, n3: 1 })
    expect(r.unassigned).toEqual([{ taskId: 'web.3', reason: 'no suitable node (host-mode port already in use on 3 nodes)' }])
    // Another protocol or an ingress port does not clash.
    const udp = tasks(1, 'dns', { hostPorts: [{ TargetPort: 53, PublishedPort: 8080, Protocol: 'udp', PublishMode: 'host' }] })
    const ingress = tasks(1, 'lb', { hostPorts: [{ TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] })
    expect(sched([node('n1')], [...udp, ...ingress], existing).unassigned).toEqual([])
  })
  it('takes host ports from SchedTask.hostPorts when given', () => {
    const existing = [task('old.1', 'old', { nodeId: 'n1', hostPorts: [{ TargetPort: 80, PublishedPort: 80, PublishMode: 'host' }] })]
    const r = scheduleTasks({ nodes: [node('n1')], tasks: existing, pending: [{ task: task('t', 's'), hostPorts: [{ port: 80, protocol: 'tcp' }] }] })
    expect(r.unassigned[0].reason).toBe('no suitable node (host-mode port already in use on 1 node)')
  })
  it('limits replicas per node', () => {
    const r = sched(three(), tasks(7, 'web', { maxReplicas: 2 }), [task('web.0', 'web', { nodeId: 'n1' })])
    expect(perNode(r.assigned)).toEqual({ n1: 1, n2: 2, n3: 2 })
    expect(r.unassigned.map((u) => u.reason)).toEqual(['no suitable node (max replicas per node limit exceed)', 'no suitable node (max replicas per node limit exceed)'])
  })
  it('explains mixed failures, most frequent first', () => {
    const nodes = [node('n1', { state: 'down' }), node('n2', { role: 'manager' }), node('n3'), node('n4')]
    const r = sched(nodes, tasks(1, 's', { constraints: ['node.role==manager'], cpus: 3 }))
    expect(r.unassigned[0].reason).toBe('no suitable node (insufficient resources on 3 nodes; 1 node not available for new tasks)')
  })
  it('checks a task that comes with its node (global services) against that node only', () => {
    const g = (id: string, nodeId: string) => task(id, 'g', { nodeId, state: 'pending' })
    const nodes = [node('n1'), node('n2', { availability: 'drain' })]
    const r = sched(nodes, [g('g.1', 'n1'), g('g.2', 'n2'), g('g.3', 'n9')])
    expect(r.assigned).toEqual([{ taskId: 'g.1', nodeId: 'n1' }])
    expect(r.unassigned).toEqual([
      { taskId: 'g.2', reason: '1 node not available for new tasks' },
      { taskId: 'g.3', reason: 'node n9 is not in the swarm' },
    ])
  })
})

describe('scheduleTasks: batches', () => {
  it('keeps interleaved services even, each on its own and all together', () => {
    const pending = tasks(6, 'a').flatMap((t, i) => [t, task(`b.${i + 1}`, 'b')])
    const r = sched(three(), pending)
    expect(perNode(r.assigned.filter((x) => x.taskId.startsWith('a.')))).toEqual({ n1: 2, n2: 2, n3: 2 })
    expect(perNode(r.assigned.filter((x) => x.taskId.startsWith('b.')))).toEqual({ n1: 2, n2: 2, n3: 2 })
  })
  it('places tasks that come with their node first, whatever their order', () => {
    const r = sched([node('n1'), node('n2')], [task('r.1', 'r', { cpus: 2 }), task('g.1', 'g', { nodeId: 'n1', state: 'pending', cpus: 2 })])
    expect(r.assigned).toEqual([{ taskId: 'g.1', nodeId: 'n1' }, { taskId: 'r.1', nodeId: 'n2' }])
  })
  it('shares a node\'s resources between services of one batch', () => {
    const r = sched([node('n1', { cpus: 3 })], [...tasks(2, 'a', { cpus: 1 }), ...tasks(2, 'b', { cpus: 1 })])
    expect(r.assigned.map((x) => x.taskId)).toEqual(['a.1', 'a.2', 'b.1'])
    expect(r.unassigned).toEqual([{ taskId: 'b.2', reason: 'no suitable node (insufficient resources on 1 node)' }])
  })
})

describe('scheduleTasks: scale', () => {
  it('places 1000 tasks on 1000 nodes well under a second', () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${String(i).padStart(4, '0')}`, { labels: { zone: `z${i % 3}` } }))
    const existing = Array.from({ length: 1000 }, (_, i) => task(`old.${i}`, `svc${i % 7}`, { nodeId: nodes[(i * 7) % 1000].ID }))
    const pending = [
      ...tasks(400, 'web', { constraints: ['node.role==worker'] }),
      ...tasks(300, 'api', { spread: ['node.labels.zone'], cpus: 0.5 }),
      ...tasks(300, 'edge', { hostPorts: [{ TargetPort: 80, PublishedPort: 80, PublishMode: 'host' }], maxReplicas: 1 }),
    ]
    const start = performance.now()
    const r = sched(nodes, pending, existing)
    const ms = performance.now() - start
    console.log(`scheduler: 1000 tasks on 1000 nodes in ${ms.toFixed(0)} ms`)
    expect(r.assigned).toHaveLength(1000)
    expect(ms).toBeLessThan(5000) // generous: CI machines are shared; bench figures belong in bench/
  })
})
