// The scheduler loop: after every change to tasks or nodes it places the
// pending tasks (scheduleTasks) and writes the assignments; a task nothing
// fits stays pending with the reason in its status, and is tried again on
// the next change.
import { modify, Reactor, type Store } from '../store/index.js'
import { isTerminal, wantsRun, type Node, type Task } from '../types/index.js'
import { hostPorts } from './sched-task.js'
import { scheduleTasks } from './scheduler.js'

export class SchedulerLoop {
  private readonly reactor: Reactor

  constructor(private readonly opts: { store: Store; log: (msg: string) => void }) {
    this.reactor = new Reactor({
      store: opts.store, log: opts.log, name: 'scheduler', pass: () => this.scheduleAll(),
      wants: (e) => e.kind === 'node' || (e.kind === 'task' && e.action !== 'delete'),
    })
  }

  start(): void {
    this.reactor.start()
  }

  stop(): void {
    this.reactor.stop()
  }

  private async scheduleAll(): Promise<void> {
    const { store } = this.opts
    const [tasks, nodes] = await Promise.all([store.list<Task>('task'), store.list<Node>('node')])
    const pending = tasks.filter((t) => t.Status.State === 'pending' && wantsRun(t))
    if (pending.length === 0) return
    const active = tasks.filter((t) => !isTerminal(t.Status.State) && t.Status.State !== 'pending')
    // Tasks of global services come with their node: scheduleTasks checks them against it alone.
    const results = [scheduleTasks({ nodes, tasks: active, pending: pending.map(toSched) })]
    const now = () => new Date().toISOString()
    for (const r of results) {
      for (const a of r.assigned) {
        await modify<Task>(store, 'task', a.taskId, (t) => {
          if (t.Status.State !== 'pending' || !wantsRun(t)) return
          t.NodeID = a.nodeId
          if (a.genericResources) t.AssignedGenericResources = a.genericResources
          t.Status = {
            Timestamp: now(), State: 'assigned', Message: 'scheduler assigned task to node',
            ...(t.HostPorts?.length ? { PortStatus: { Ports: t.HostPorts } } : {}),
          }
        })
      }
      const byId = new Map(pending.map((t) => [t.ID, t]))
      for (const u of r.unassigned) {
        const task = byId.get(u.taskId)
        if (task?.Status.Err === u.reason) continue
        await modify<Task>(store, 'task', u.taskId, (t) => {
          if (t.Status.State !== 'pending') return
          t.Status = { ...t.Status, Timestamp: now(), Message: 'pending task scheduling', Err: u.reason }
        })
      }
    }
  }
}

function toSched(task: Task) {
  return { task, hostPorts: hostPorts(task.HostPorts) }
}
