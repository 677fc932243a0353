// Literal nodes, services and tasks for the orchestrator's pure decisions.
import type { Node, Service, Task, TaskState } from '../../../src/lib/types/index.js'

export const T0 = Date.parse('2026-01-01T00:00:00Z')
export const iso = (ms: number) => new Date(ms).toISOString()

export function node(id: string, opts: Partial<{ state: Node['Status']['State']; availability: Node['Spec']['Availability']; labels: Record<string, string> }> = {}): Node {
  return {
    ID: id, Version: { Index: 1 }, CreatedAt: iso(T0), UpdatedAt: iso(T0),
    Spec: { Labels: opts.labels ?? {}, Role: 'worker', Availability: opts.availability ?? 'active' },
    Description: { Hostname: id, Platform: { Architecture: 'x86_64', OS: 'linux' }, Resources: { NanoCPUs: 2e9, MemoryBytes: 4e9 }, Engine: { EngineVersion: '20.10' } },
    Status: { State: opts.state ?? 'ready', Addr: '10.0.0.1' },
  }
}

export function service(id: string, opts: Partial<{ replicas: number; global: boolean; restart: Service['Spec']['TaskTemplate']['RestartPolicy']; image: string; update: Service['UpdateStatus'] }> = {}): Service {
  return {
    ID: id, Version: { Index: 10 }, CreatedAt: iso(T0), UpdatedAt: iso(T0),
    Spec: {
      Name: id,
      TaskTemplate: { ContainerSpec: { Image: opts.image ?? 'busybox' }, ...(opts.restart ? { RestartPolicy: opts.restart } : {}) },
      Mode: opts.global ? { Global: {} } : { Replicated: { Replicas: opts.replicas ?? 1 } },
    },
    ...(opts.update ? { UpdateStatus: opts.update } : {}),
  }
}

let seq = 0
export function task(svc: Service, opts: Partial<{ slot: number; node: string; state: TaskState; desired: TaskState; at: number; image: string }> = {}): Task {
  const at = opts.at ?? T0 + seq++
  return {
    ID: `t${seq++}`, Version: { Index: seq }, CreatedAt: iso(at), UpdatedAt: iso(at), Labels: {},
    Spec: { ContainerSpec: { Image: opts.image ?? svc.Spec.TaskTemplate.ContainerSpec.Image } },
    ServiceID: svc.ID,
    ...(opts.slot !== undefined ? { Slot: opts.slot } : {}),
    ...(opts.node ? { NodeID: opts.node } : {}),
    Status: { Timestamp: iso(at), State: opts.state ?? 'running', Message: '' },
    DesiredState: opts.desired ?? 'running',
    HostPorts: [],
  }
}
