// Shared fixtures for the service command tests: services, tasks, and a fake
// manager client that answers from scripted states.
import { ApiError } from '../../../src/lib/client/client.js'
import type { RequestOptions } from '../../../src/lib/client/client.js'
import type { Node, Service, ServiceSpec, Task, TaskState, UpdateStatus } from '../../../src/lib/types/index.js'

export const SPEC: ServiceSpec = {
  Name: 'web',
  TaskTemplate: { ContainerSpec: { Image: 'nginx:1' }, ForceUpdate: 0 },
  Mode: { Replicated: { Replicas: 3 } },
}

export function service(over: Partial<Service> = {}, spec: Partial<ServiceSpec> = {}): Service {
  return { ID: 'svc1', Version: { Index: 10 }, CreatedAt: '', UpdatedAt: '', Spec: { ...structuredClone(SPEC), ...spec }, ...over }
}

let seq = 0
export function task(slot: number | string, state: TaskState, over: Partial<Task> & { err?: string; image?: string } = {}): Task {
  const { err, image, ...rest } = over
  const global = typeof slot === 'string'
  return {
    ID: `task${++seq}`, Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Labels: {},
    Spec: { ContainerSpec: { Image: image ?? 'nginx:1' }, ForceUpdate: 0 },
    ServiceID: 'svc1', Slot: global ? undefined : slot, NodeID: global ? slot : 'node1',
    Status: { Timestamp: new Date(seq * 1000).toISOString(), State: state, Message: state, ...(err ? { Err: err } : {}) },
    DesiredState: 'running',
    ...rest,
  }
}

export const status = (State: UpdateStatus['State'], Message = '', StartedAt = '2024-01-01T00:00:00Z'): UpdateStatus => ({ State, Message, StartedAt })

export const NODES: Node[] = [{ ID: 'node1', Status: { State: 'ready' } }, { ID: 'node2', Status: { State: 'ready' } }] as Node[]

export interface Call { method: string; path: string; opts: RequestOptions }

/** A manager client that serves GET /services/x, /tasks and /nodes from a list of states (one per poll), and records writes. */
/** The digest the fake registry reports for every image (GET /distribution/{image}/json). */
export const FAKE_DIGEST = `sha256:${'ab'.repeat(32)}`

export class FakeClient {
  calls: Call[] = []
  private i = 0
  rejectUpToDate = false
  postAnswer: unknown = { ID: 'svc1', Warnings: null }
  /** The manager cannot reach the registry: GET /distribution fails. */
  registryDown = false

  constructor(public states: Array<{ service: Service; tasks: Task[] }>, public nodes: Node[] = NODES) {}

  private get state() {
    return this.states[Math.min(this.i, this.states.length - 1)]
  }

  async get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'GET', path, opts })
    if (path.startsWith('/services/')) {
      const ref = decodeURIComponent(path.slice('/services/'.length))
      const svc = this.state.service
      if (ref !== svc.ID && ref !== svc.Spec.Name) throw new ApiError(`service ${ref} not found`, 404)
      return structuredClone(svc) as T
    }
    if (path === '/tasks') {
      if (this.rejectUpToDate && String(opts.query?.filters).includes('_up-to-date')) throw new ApiError("invalid filter '_up-to-date'", 400)
      const tasks = this.state.tasks
      this.i++ // the next poll sees the next state
      return structuredClone(tasks) as T
    }
    if (path === '/nodes') return structuredClone(this.nodes) as T
    if (path.startsWith('/distribution/') && this.registryDown) throw new ApiError('connection refused', 500)
    if (path.startsWith('/distribution/')) return { Descriptor: { digest: FAKE_DIGEST }, Platforms: [{ architecture: 'amd64', os: 'linux' }] } as T
    throw new ApiError(`no route ${path}`, 404)
  }

  async post<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'POST', path, opts })
    return this.postAnswer as T
  }

  async delete<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    this.calls.push({ method: 'DELETE', path, opts })
    return undefined as T
  }
}

/** A clock that only moves when the code under test sleeps. */
export function fakeTime(start = 1_000_000) {
  let t = start
  return { now: () => t, delay: async (ms: number) => { t += ms } }
}
