import { describe, expect, it } from 'vitest'
import { scheduleTasks } from '../../../src/lib/scheduler/index.js'
import type { Node, Task } from '../../../src/lib/types/index.js'
import { node, task } from './build.js'

const wanting = (id: string, kind: string, n: number, extra: Partial<Task> = {}): Task => {
  const t = task(id, 'gpu-svc', {})
  t.Spec.Resources = { Reservations: { GenericResources: [{ DiscreteResourceSpec: { Kind: kind, Value: n } }] } }
  return { ...t, ...extra }
}
const sched = (nodes: Node[], pending: Task[], existing: Task[] = []) =>
  scheduleTasks({ nodes, tasks: existing, pending: pending.map((t) => ({ task: t })) })

describe('generic resources', () => {
  it('places a task only on a node that advertises the kind (label), and claims named resources by name', () => {
    const nodes = [node('n1'), node('n2', { labels: { 'tsw.generic-resource.gpu': 'UUID1,UUID2' } })]
    const r = sched(nodes, [wanting('a', 'gpu', 1), wanting('b', 'gpu', 1), wanting('c', 'gpu', 1)])
    expect(r.assigned).toEqual([
      { taskId: 'a', nodeId: 'n2', genericResources: [{ NamedResourceSpec: { Kind: 'gpu', Value: 'UUID1' } }] },
      { taskId: 'b', nodeId: 'n2', genericResources: [{ NamedResourceSpec: { Kind: 'gpu', Value: 'UUID2' } }] },
    ])
    expect(r.unassigned).toEqual([{ taskId: 'c', reason: 'no suitable node (insufficient resources on 2 nodes)' }])
  })
  it('counts what running tasks hold, and discrete counts from the engine', () => {
    const n = node('n1')
    n.Description.Resources.GenericResources = [{ DiscreteResourceSpec: { Kind: 'ssd', Value: 3 } }, { NamedResourceSpec: { Kind: 'gpu', Value: 'G1' } }, { NamedResourceSpec: { Kind: 'gpu', Value: 'G2' } }]
    const running = [
      wanting('old', 'ssd', 2, { NodeID: 'n1', Status: { Timestamp: '', State: 'running', Message: '' } }),
      wanting('g', 'gpu', 1, { NodeID: 'n1', Status: { Timestamp: '', State: 'running', Message: '' }, AssignedGenericResources: [{ NamedResourceSpec: { Kind: 'gpu', Value: 'G1' } }] }),
    ]
    const r = sched([n], [wanting('x', 'ssd', 1), wanting('y', 'ssd', 1), wanting('z', 'gpu', 1)], running)
    expect(r.assigned).toEqual([
      { taskId: 'x', nodeId: 'n1', genericResources: [{ DiscreteResourceSpec: { Kind: 'ssd', Value: 1 } }] },
      { taskId: 'z', nodeId: 'n1', genericResources: [{ NamedResourceSpec: { Kind: 'gpu', Value: 'G2' } }] },
    ])
    expect(r.unassigned.map((u) => u.taskId)).toEqual(['y'])
  })
  it('a label replaces the engine resources of its kind', () => {
    const n = node('n1', { labels: { 'tsw.generic-resource.ssd': '1' } })
    n.Description.Resources.GenericResources = [{ DiscreteResourceSpec: { Kind: 'ssd', Value: 5 } }]
    expect(sched([n], [wanting('x', 'ssd', 2)]).assigned).toEqual([])
  })
})
