// What the scheduler is given about a task to place.
import type { PortConfig, Task } from '../types/index.js'

/** A host-mode published port: one per (protocol, port) on a node. */
export interface HostPort {
  port: number
  protocol: 'tcp' | 'udp' | 'sctp'
}

/**
 * A task to place. The Docker Task shape has no endpoint, so the caller
 * passes the task's host-mode published ports (see hostPorts) alongside;
 * MaxReplicas, constraints, platforms and preferences come from
 * task.Spec.Placement, reservations from task.Spec.Resources.
 */
export interface SchedTask {
  task: Task
  /** Host-mode ports the task will publish; default: taskHostPorts(task). */
  hostPorts?: HostPort[]
}

/** The host-mode published ports among `ports` (e.g. a service's Endpoint.Spec.Ports); ingress ones are skipped. */
export function hostPorts(ports: PortConfig[] | undefined): HostPort[] {
  const out: HostPort[] = []
  for (const p of ports ?? []) {
    if (p.PublishMode === 'host' && p.PublishedPort) out.push({ port: p.PublishedPort, protocol: p.Protocol ?? 'tcp' })
  }
  return out
}

/** The host-mode ports a task holds: from task.HostPorts (set when it was made), else Status.PortStatus. */
export function taskHostPorts(task: Task): HostPort[] {
  return hostPorts(task.HostPorts ?? task.Status.PortStatus?.Ports)
}

/** The key a host port is tracked under on a node: "tcp/8080". */
export function hostPortKey(p: HostPort): string {
  return `${p.protocol}/${p.port}`
}
