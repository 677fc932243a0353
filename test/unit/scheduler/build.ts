// Literal Node/Task fixtures for the scheduler tests.
import type { Node, NodeAvailability, NodeRole, NodeState, PortConfig, Task, TaskState } from '../../../src/lib/types/index.js'

const CPU = 1e9
const GiB = 1024 ** 3
const meta = { Version: { Index: 1 }, CreatedAt: '2024-01-01T00:00:00Z', UpdatedAt: '2024-01-01T00:00:00Z' }

export interface NodeOpts {
  hostname?: string
  role?: NodeRole
  state?: NodeState
  availability?: NodeAvailability
  labels?: Record<string, string>
  engineLabels?: Record<string, string>
  cpus?: number
  memoryGiB?: number
  os?: string
  arch?: string
}

/** A ready, active worker with 2 CPUs and 4 GiB unless told otherwise. */
export function node(id: string, o: NodeOpts = {}): Node {
  return {
    ID: id, ...meta,
    Spec: { Labels: o.labels ?? {}, Role: o.role ?? 'worker', Availability: o.availability ?? 'active' },
    Description: {
      Hostname: o.hostname ?? `host-${id}`,
      Platform: { Architecture: o.arch ?? 'x86_64', OS: o.os ?? 'linux' },
      Resources: { NanoCPUs: (o.cpus ?? 2) * CPU, MemoryBytes: (o.memoryGiB ?? 4) * GiB },
      Engine: { EngineVersion: '27.0.0', Labels: o.engineLabels },
    },
    Status: { State: o.state ?? 'ready', Addr: '10.0.0.1' },
  }
}

export interface TaskOpts {
  nodeId?: string
  state?: TaskState
  desired?: TaskState
  constraints?: string[]
  spread?: string[]
  maxReplicas?: number
  cpus?: number
  memoryGiB?: number
  platforms?: Array<{ OS?: string; Architecture?: string }>
  hostPorts?: PortConfig[]
}

/** A task of a service: pending with no node, or running on opts.nodeId. */
export function task(id: string, serviceId: string, o: TaskOpts = {}): Task {
  const reserve = o.cpus !== undefined || o.memoryGiB !== undefined
  return {
    ID: id, ...meta, Labels: {}, ServiceID: serviceId, NodeID: o.nodeId,
    Spec: {
      ContainerSpec: { Image: 'nginx' },
      Resources: reserve ? { Reservations: { NanoCPUs: (o.cpus ?? 0) * CPU, MemoryBytes: (o.memoryGiB ?? 0) * GiB } } : undefined,
      Placement: {
        Constraints: o.constraints,
        Preferences: o.spread?.map((d) => ({ Spread: { SpreadDescriptor: d } })),
        MaxReplicas: o.maxReplicas,
        Platforms: o.platforms,
      },
    },
    Status: { Timestamp: meta.CreatedAt, State: o.state ?? (o.nodeId ? 'running' : 'pending'), Message: '' },
    DesiredState: o.desired ?? 'running',
    HostPorts: o.hostPorts,
  }
}

/** n pending tasks of a service, ids `${serviceId}.1`… */
export function tasks(n: number, serviceId: string, o: TaskOpts = {}): Task[] {
  return Array.from({ length: n }, (_, i) => task(`${serviceId}.${i + 1}`, serviceId, o))
}

/** Tasks per node ID among assignments. */
export function perNode(assigned: Array<{ nodeId: string }>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const a of assigned) out[a.nodeId] = (out[a.nodeId] ?? 0) + 1
  return out
}
