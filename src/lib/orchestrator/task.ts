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

// Keys computed before, by object: a rolling update asks isDirty of every task of
// a service every few tens of ms, and the text of a spec is the costly part. An
// entry counts while the fields it was made of are the same objects (a copy made
// to change them is a new object; nobody mutates a spec in place after reading it).
const taskKeys = new WeakMap<object, { parts: unknown[]; key: string }>()
const serviceKeys = new WeakMap<object, { parts: unknown[]; key: string }>()

function memo(cache: WeakMap<object, { parts: unknown[]; key: string }>, owner: object, parts: unknown[], make: () => string): string {
  const have = cache.get(owner)
  if (have && have.parts.length === parts.length && have.parts.every((p, i) => p === parts[i])) return have.key
  const key = make()
  cache.set(owner, { parts, key })
  return key
}

/** A key for what a task runs: its spec and its host ports. Two tasks with the same key are interchangeable. */
export function specKey(task: Pick<Task, 'Spec' | 'HostPorts' | 'NetworksAttachments'>): string {
  return memo(taskKeys, task, [task.Spec, task.HostPorts, task.NetworksAttachments], () => {
    const ingress = (task.NetworksAttachments ?? []).some((a) => a.Network.Spec?.Ingress)
    return stableJson({ spec: task.Spec, ports: task.HostPorts ?? [], ...(ingress ? { ingress } : {}) })
  })
}

/** The key a task of `service` made now would have (specKey's). */
export function serviceSpecKey(service: Service): string {
  return memo(serviceKeys, service, [service.Spec, service.Spec.TaskTemplate, service.Spec.EndpointSpec, service.Spec.TaskTemplate.Networks], () => {
    const ingress = publishesIngress(service)
    return stableJson({ spec: service.Spec.TaskTemplate, ports: hostPorts(service), ...(ingress ? { ingress } : {}) })
  })
}

/** Whether a task runs an older spec than its service asks for (so an update must replace it). */
export function isDirty(task: Task, service: Service): boolean {
  return specKey(task) !== serviceSpecKey(service)
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
