// The executor's safety net, node by node: a node's task containers on its
// engine against the store's tasks of that node. A container no task wants
// there is stale and goes; a task whose container runs, exited or turned
// unhealthy without the executor hearing of it moves on; a running task
// whose container is gone fails (the orchestrator replaces it).
import type { Store } from '../store/index.js'
import { isTerminal, stateIndex, wantsRun, type Node, type Task, type TaskState } from '../types/index.js'
import type { TaskRunner } from './runner.js'

/** What the sweep needs of the executor. */
export interface SweepOps {
  store: Store
  log: (msg: string) => void
  /** Tasks being started or stopped now: the sweep leaves them alone. */
  inFlight: ReadonlySet<string>
  runner(nodeId: string): Promise<TaskRunner | undefined>
  stopContainer(runner: TaskRunner, containerId: string, task: Task): Promise<void>
  advance(taskId: string, state: TaskState, message: string, extra?: Partial<Task['Status']>): Promise<boolean>
  exited(task: Task, exitCode: number): Promise<void>
  onUnhealthy(nodeId: string, taskId: string, containerId: string): void
}

/** Compares one node's task containers with its tasks; true when it changed something (a container removed, a task moved on). */
export async function reconcileNode(ops: SweepOps, node: Node, tasks: Task[]): Promise<boolean> {
  const byId = new Map(tasks.map((t) => [t.ID, t]))
  const runner = await ops.runner(node.ID)
  if (!runner) return false
  let changed = false
  const containers = await runner.listTaskContainers()
  const seen = new Set<string>()
  for (const c of containers) {
    // `tasks` is the cache's copy, which may lag a write (etcd) or miss a task placed here since:
    // ask the store before taking a container for stale.
    let task = byId.get(c.taskId)
    if (!task || task.NodeID !== node.ID || task.DesiredState !== 'running') task = await ops.store.get<Task>('task', c.taskId)
    if (task && ops.inFlight.has(task.ID)) continue
    seen.add(c.taskId)
    const running = c.state === 'running'
    if (!task || task.NodeID !== node.ID || !wantsRun(task)) {
      // A container no task wants here: stale (node came back, task removed or moved).
      changed = true
      {
        ops.log(`executor: removing stale container ${c.containerId.slice(0, 12)} (${c.name}) on ${node.Description.Hostname}`)
        await ops.stopContainer(runner, c.containerId, task ?? ({ Spec: { ContainerSpec: { StopGracePeriod: 1e9 } } } as Task))
      }
      if (task && task.NodeID === node.ID && !isTerminal(task.Status.State)) await ops.advance(task.ID, 'shutdown', 'shutdown')
      continue
    }
    const waiting = task.Status.State === 'starting' && !!task.Status.ContainerStatus?.ContainerID
    if (running && c.health === 'unhealthy' && (waiting || task.Status.State === 'running')) {
      changed = true
      ops.onUnhealthy(node.ID, task.ID, c.containerId)
    } else if (running && c.health === 'starting') {
      if (!waiting && stateIndex(task.Status.State) < stateIndex('running')) {
        changed = true
        await ops.advance(task.ID, 'starting', 'starting', { ContainerStatus: { ContainerID: c.containerId, PID: 0, ExitCode: 0 } })
      }
    } else if (running && stateIndex(task.Status.State) < stateIndex('running')) {
      changed = true
      await ops.advance(task.ID, 'running', 'started', { ContainerStatus: { ContainerID: c.containerId, PID: 0, ExitCode: 0 } })
    } else if (!running && (task.Status.State === 'running' || waiting)) {
      changed = true
      await ops.exited(task, c.exitCode ?? -1)
    }
  }
  for (const t of tasks) {
    if (t.NodeID !== node.ID || seen.has(t.ID) || ops.inFlight.has(t.ID)) continue
    if ((t.Status.State === 'running' || (t.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID)) && wantsRun(t)) {
      changed = true
      await ops.advance(t.ID, 'failed', 'started', { Err: 'task: container is gone' })
    }
  }
  return changed
}
