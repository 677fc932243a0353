import type { Labels, StoredObject } from './common.js'
import type { GenericResource, PortConfig, TaskSpec } from './service.js'

/** SwarmKit's task states, in the order a task moves through them (never backwards). */
export const TASK_STATES = [
  'new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running',
  'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned',
] as const

export type TaskState = (typeof TASK_STATES)[number]

export interface TaskStatus {
  Timestamp: string
  State: TaskState
  Message: string
  Err?: string
  ContainerStatus?: { ContainerID?: string; PID?: number; ExitCode?: number }
  PortStatus?: { Ports?: PortConfig[] }
}

/** A task, exactly as GET /tasks returns it. */
export interface Task extends StoredObject {
  Name?: string
  Labels: Labels
  Spec: TaskSpec
  ServiceID: string
  /** Replicated services: the slot 1..N; global services have none. */
  Slot?: number
  NodeID?: string
  Status: TaskStatus
  DesiredState: TaskState
  /** Version of the service spec the task was made from. */
  SpecVersion?: { Index: number }
  NetworksAttachments?: NetworkAttachment[]
  /** Job tasks: the job iteration the task belongs to. */
  JobIteration?: { Index: number }
  /** tsw: the service's host-mode ports when the task was made (they are part of what it runs). */
  HostPorts?: PortConfig[]
  /** The node's generic resources the scheduler gave this task (named ones by name). */
  AssignedGenericResources?: GenericResource[]
}

/** Index of a state in the task model (for "at least running" comparisons). */
export function stateIndex(state: TaskState): number {
  return TASK_STATES.indexOf(state)
}

/** Whether a task has stopped for good (complete, shutdown, failed, rejected, remove, orphaned). */
export function isTerminal(state: TaskState): boolean {
  return stateIndex(state) >= stateIndex('complete')
}

/** A task's place in a network: which network (with its name) and its address there ("10.0.1.5/24"). */
export interface NetworkAttachment {
  Network: { ID: string; Spec?: { Name: string; Ingress?: boolean } }
  Addresses: string[]
}

/** Whether the manager wants the task's container up: desired state running, or complete for a job's task (it runs until it exits). */
export function wantsRun(task: Pick<Task, 'DesiredState'>): boolean {
  return task.DesiredState === 'running' || task.DesiredState === 'complete'
}

/** The error a task carries while its unhealthy container is being stopped, as docker's executor words it. */
export const UNHEALTHY = 'dockerexec: unhealthy container'

/** Whether a task takes traffic (virtual IPs, DNS answers, routing mesh): running (healthy when checked) and not being failed for ill health. */
export function isServing(task: Pick<Task, 'DesiredState' | 'Status'>): boolean {
  return task.Status.State === 'running' && wantsRun(task) && task.Status.Err !== UNHEALTHY
}
