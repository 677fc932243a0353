// The orchestrator and scheduler loops together, against a real (in-memory)
// store: what they write when services, tasks and nodes change. No engines:
// the test plays the executor's part by moving task states itself.
import { afterEach, describe, expect, it } from 'vitest'
import { Orchestrator } from '../../../src/lib/orchestrator/index.js'
import { SchedulerLoop } from '../../../src/lib/scheduler/loop.js'
import { modify, SqliteStore } from '../../../src/lib/store/index.js'
import type { Node, Service, Task } from '../../../src/lib/types/index.js'
import { node, service } from './fixtures.js'
import { until } from '../until.js'


describe('orchestrator + scheduler loops on a store', () => {
  let stop: () => Promise<void> = async () => {}
  afterEach(() => stop())

  async function start(nodes: Node[]) {
    const store = new SqliteStore(':memory:')
    for (const n of nodes) await store.create('node', n)
    const loops = [new Orchestrator({ store, log: () => {} }), new SchedulerLoop({ store, log: () => {} })]
    loops.forEach((l) => l.start())
    stop = async () => {
      loops.forEach((l) => l.stop())
      await store.close()
    }
    const live = async () => (await store.list<Task>('task')).filter((t) => t.DesiredState === 'running')
    const perNode = async () => {
      const counts: Record<string, number> = {}
      for (const t of await live()) if (t.NodeID) counts[t.NodeID] = (counts[t.NodeID] ?? 0) + 1
      return counts
    }
    return { store, live, perNode }
  }

  it('places 6 replicas 2/2/2, then replaces the tasks of a node that goes down', async () => {
    const { store, live, perNode } = await start([node('n1'), node('n2'), node('n3')])
    await store.create('service', service('web', { replicas: 6 }))
    await until(async () => (await live()).filter((t) => t.Status.State === 'assigned').length === 6 && true, '6 assigned')
    expect(await perNode()).toEqual({ n1: 2, n2: 2, n3: 2 })
    await modify<Node>(store, 'node', 'n3', (n) => { n.Status.State = 'down' })
    await until(async () => {
      const c = await perNode()
      return !c.n3 && c.n1 + c.n2 === 6 && true
    }, 'n3 emptied')
    expect(await perNode()).toEqual({ n1: 3, n2: 3 })
    const slots = (await live()).map((t) => t.Slot).sort()
    expect(slots).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('keeps a task pending with the reason until a node fits', async () => {
    const { store, live } = await start([node('n1')])
    const svc = service('picky')
    svc.Spec.TaskTemplate.Placement = { Constraints: ['node.labels.disk==ssd'] }
    await store.create('service', svc)
    const [pending] = await until(async () => {
      const ts = await live()
      return ts.length === 1 && ts[0].Status.Err ? ts : false
    }, 'reason')
    expect(pending.Status).toMatchObject({ State: 'pending', Err: 'no suitable node (scheduling constraints not satisfied on 1 node)' })
    await modify<Node>(store, 'node', 'n1', (n) => { n.Spec.Labels = { disk: 'ssd' } })
    await until(async () => (await live())[0]?.Status.State === 'assigned', 'assigned once the label is there')
  })

  it('a removed service: its tasks are stopped, and deleted once stopped', async () => {
    const { store } = await start([node('n1')])
    const svc = await store.create<Service>('service', service('gone', { replicas: 2 }))
    await until(async () => (await store.list<Task>('task')).filter((t) => t.Status.State === 'assigned').length === 2, '2 assigned')
    await store.delete('service', svc.ID)
    const tasks = await until(async () => {
      const ts = await store.list<Task>('task')
      return ts.every((t) => t.DesiredState === 'remove') && ts
    }, 'desired remove')
    // The executor's part: the containers are stopped.
    for (const t of tasks) await modify<Task>(store, 'task', t.ID, (x) => { x.Status.State = 'shutdown' })
    await until(async () => (await store.list<Task>('task')).length === 0, 'tasks deleted')
  })
})
