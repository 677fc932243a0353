// Health checks on the executor's side: a container whose check fails is
// stopped and its task failed with swarm's wording, so the orchestrator starts
// another (the task leaves the load balancer as soon as it is marked).
import { UNHEALTHY, type Task, type TaskState } from '../types/index.js'
import type { SweepOps } from './reconcile-sweep.js'
import type { TaskRunner } from './runner.js'

/** A task's stop grace period in seconds (docker's default 10 s). */
export function stopGraceSeconds(task: Task): number {
  return task.Spec.ContainerSpec.StopGracePeriod !== undefined ? task.Spec.ContainerSpec.StopGracePeriod / 1e9 : 10
}

/** As swarm's controller: an unhealthy container is stopped and its task fails (unless the task moved on meanwhile). */
export async function failUnhealthy(ops: SweepOps, runner: TaskRunner, task: Task, containerId: string,
  note: (taskId: string, state: TaskState, extra: Partial<Task['Status']>) => Promise<boolean>): Promise<void> {
  if (!(await note(task.ID, task.Status.State, { Err: UNHEALTHY }))) return
  ops.log(`executor: task ${task.ID}: container unhealthy, stopping it`)
  await runner.stop(containerId, stopGraceSeconds(task))
  const info = await runner.inspect(containerId).catch(() => undefined)
  const code = info?.exitCode ?? -1
  await ops.advance(task.ID, 'failed', 'started', {
    ContainerStatus: { ...task.Status.ContainerStatus, ContainerID: containerId, ExitCode: code }, Err: `task: non-zero exit (${code}): ${UNHEALTHY}`,
  })
}
