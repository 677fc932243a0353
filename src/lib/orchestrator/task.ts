// Making tasks from services, and telling whether a task still matches its service.
import { newId } from '../identity/index.js'
import type { NetworkAllocator } from '../network/allocator.js'
import { publishesIngress } from '../network/service-networks.js'
import { isJob, jobIteration } from './jobs.js'
import type { Service, Task, TaskState } from '../types/index.js'

/** Ports a service publishes in host mode (they travel with its tasks to the engine). */
export function hostPorts(service: Service) {
  return (service.Spec.EndpointSpec?.Ports ?? []).filter((p) => p.PublishMode === 'host')
}

/** A new task for a slot (replicated) or a node (global), pending placement; with its network addresses when an allocator is given. */
export function newTask(service: Service, where: { slot?: number; nodeId?: string }, now: Date, allocator?: NetworkAllocator): Task {
  const ts = now.toISOString()
  const attachments = allocator?.attach(service) ?? []
  const job = isJob(service)
  return {
    ID: newId(),
    Version: { Index: 0 },
    CreatedAt: ts,
    UpdatedAt: ts,
    Labels: {},
    Spec: structuredClone(service.Spec.TaskTemplate),
    ServiceID: service.ID,
    ...(where.slot !== undefined ? { Slot: where.slot } : {}),
    ...(where.nodeId ? { NodeID: where.nodeId } : {}),
    Status: { Timestamp: ts, State: 'pending', Message: 'pending task scheduling' },
    // A job's task is wanted until it completes (swarm's desired state Complete).
    DesiredState: job ? 'complete' : 'running',
    ...(job ? { JobIteration: { Index: jobIteration(service) } } : {}),
    SpecVersion: { Index: service.Version.Index },
    HostPorts: hostPorts(service),
    ...(attachments.length ? { NetworksAttachments: attachments } : {}),
  }
}

/** A key for what a task runs: its spec and its host ports. Two tasks with the same key are interchangeable. */
export function specKey(task: Pick<Task, 'Spec' | 'HostPorts' | 'NetworksAttachments'>): string {
  const ingress = (task.NetworksAttachments ?? []).some((a) => a.Network.Spec?.Ingress)
  return stableJson({ spec: task.Spec, ports: task.HostPorts ?? [], ...(ingress ? { ingress } : {}) })
}

/** Whether a task runs an older spec than its service asks for (so an update must replace it). */
export function isDirty(task: Task, service: Service): boolean {
  const ingress = publishesIngress(service)
  return specKey(task) !== stableJson({ spec: service.Spec.TaskTemplate, ports: hostPorts(service), ...(ingress ? { ingress } : {}) })
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val)
}

/** A copy of the task in a new state (never an earlier one). */
export function withState(task: Task, state: TaskState, message: string, extra: Partial<Task['Status']> = {}): Task {
  return { ...task, Status: { ...task.Status, ...extra, Timestamp: new Date().toISOString(), State: state, Message: message } }
}
