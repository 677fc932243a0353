// The scheduler loop: after every change to tasks or nodes it places the
// pending tasks (scheduleTasks) and writes the assignments; a task nothing
// fits stays pending with the reason in its status, and is tried again on
// the next change.
import { modifyAll, Reactor, type Store } from '../store/index.js'
import { StoreCache } from '../store/cache.js'
import { isTerminal, wantsRun, type Node, type Task } from '../types/index.js'
import { hostPorts } from './sched-task.js'
import { scheduleTasks } from './scheduler.js'

export class SchedulerLoop {
  private readonly reactor: Reactor
  private readonly cache: StoreCache

  /** `cache`: tasks and nodes as the store's watch keeps them (shared by the loops); default: its own. */
  constructor(private readonly opts: { store: Store; log: (msg: string) => void; cache?: StoreCache }) {
    this.cache = opts.cache ?? new StoreCache({ store: opts.store, kinds: ['task', 'node'], log: opts.log })
    this.reactor = new Reactor({
      store: opts.store, log: opts.log, name: 'scheduler', pass: () => this.scheduleAll(),
      wants: (e) => e.kind === 'node' || (e.kind === 'task' && e.action !== 'delete'),
    })
  }

  start(): void {
    this.cache.start()
    this.reactor.start()
  }

  stop(): void {
    this.reactor.stop()
    this.cache.stop()
  }

  private async scheduleAll(): Promise<void> {
    const { store } = this.opts
    const [tasks, nodes] = await Promise.all([this.cache.list<Task>('task'), this.cache.list<Node>('node')])
    const pending = tasks.filter((t) => t.Status.State === 'pending' && wantsRun(t))
    if (pending.length === 0) return
    const active = tasks.filter((t) => !isTerminal(t.Status.State) && t.Status.State !== 'pending')
    // Tasks of global services come with their node: scheduleTasks checks them against it alone.
    const results = [scheduleTasks({ nodes, tasks: active, pending: pending.map(toSched) })]
    const now = () => new Date().toISOString()
    const read = (id: string) => this.cache.get<Task>('task', id)
    for (const r of results) {
      // The assignments of the pass, MAX_BATCH per transaction.
      await modifyAll<Task>(store, 'task', r.assigned.map((a) => ({
        id: a.taskId,
        change: (t) => {
          if (t.Status.State !== 'pending' || !wantsRun(t)) return false
          t.NodeID = a.nodeId
          if (a.genericResources) t.AssignedGenericResources = a.genericResources
          t.Status = {
            Timestamp: now(), State: 'assigned', Message: 'scheduler assigned task to node',
            ...(t.HostPorts?.length ? { PortStatus: { Ports: t.HostPorts } } : {}),
          }
          return true
        },
      })), read)
      const byId = new Map(pending.map((t) => [t.ID, t]))
      const reasons = r.unassigned.filter((u) => byId.get(u.taskId)?.Status.Err !== u.reason)
      await modifyAll<Task>(store, 'task', reasons.map((u) => ({
        id: u.taskId,
        change: (t) => {
          if (t.Status.State !== 'pending') return false
          t.Status = { ...t.Status, Timestamp: now(), Message: 'pending task scheduling', Err: u.reason }
          return true
        },
      })), read)
    }
  }
}

function toSched(task: Task) {
  return { task, hostPorts: hostPorts(task.HostPorts) }
}
