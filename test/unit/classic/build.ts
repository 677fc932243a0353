// Literal EngineState fixtures for the classic placement tests.
import type { EngineContainer, EngineState } from '../../../src/lib/classic/placement/index.js'
import type { NodeAvailability, NodeState } from '../../../src/lib/types/index.js'

export const CPU = 1e9
export const GiB = 1024 ** 3
const meta = { Version: { Index: 1 }, CreatedAt: '2024-01-01T00:00:00Z', UpdatedAt: '2024-01-01T00:00:00Z' }

export interface EngineOpts {
  state?: NodeState
  availability?: NodeAvailability
  engineLabels?: Record<string, string>
  nodeLabels?: Record<string, string>
  cpus?: number
  memoryGiB?: number
  containers?: Array<Partial<EngineContainer>>
  images?: string[]
}

/** A ready, active engine `hostname` (node ID `id-<hostname>`) with 2 CPUs and 4 GiB unless told otherwise. */
export function engine(hostname: string, o: EngineOpts = {}): EngineState {
  return {
    node: {
      ID: `id-${hostname}`, ...meta,
      Spec: { Labels: o.nodeLabels ?? {}, Role: 'worker', Availability: o.availability ?? 'active' },
      Description: {
        Hostname: hostname,
        Platform: { Architecture: 'x86_64', OS: 'linux' },
        Resources: { NanoCPUs: (o.cpus ?? 2) * CPU, MemoryBytes: (o.memoryGiB ?? 4) * GiB },
        Engine: { EngineVersion: '27.0.0', Labels: o.engineLabels },
      },
      Status: { State: o.state ?? 'ready', Addr: '10.0.0.1' },
    },
    containers: (o.containers ?? []).map((c, i) => container(`${hostname}-c${i}`, c)),
    images: o.images ?? [],
  }
}

/** A running container with no limits or ports unless told otherwise. */
export function container(id: string, c: Partial<EngineContainer> = {}): EngineContainer {
  return { id, names: [id], image: 'busybox', running: true, labels: {}, memory: 0, nanoCpus: 0, hostPorts: [], ...c }
}

/** n running containers with no limits. */
export function running(n: number): Array<Partial<EngineContainer>> {
  return Array.from({ length: n }, () => ({}))
}
