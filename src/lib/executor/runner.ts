// TaskRunner: how a task becomes a container on one engine and back — pull,
// create + start (a bounded number at a time), inspect, list, stop, remove,
// events and logs. Every engine call has a deadline.

import type Dockerode from 'dockerode'
import type { EngineConnection } from '../engine/index.js'
import { ConflictError, NotFoundError, TswError, UnavailableError } from '../errors/index.js'
import type { PortConfig } from '../types/index.js'
import type { ContainerConfig } from './container-config.js'
import { engineCall } from '../engine/call.js'
import { engineMessage, engineStatus, typedEngineError } from '../engine/errors.js'
import { watchContainerEvents, type ContainerEvent, type EventWatch, type WatchOptions } from './events.js'
import {
  LABEL_CLUSTER_ID, LABEL_TASK_ID, nodeIdOfContainer, serviceIdOfContainer, taskIdOfContainer,
} from './labels.js'
import { Limiter } from './limiter.js'
import { LineSplitter } from './lines.js'
import { containerLogs, type LogOptions, type LogStream } from './logs.js'

/** A container's state as the engine reports it (State.Status). */
export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead'

/** What inspect tells about a task's container. */
export interface ContainerStatus {
  containerId: string
  /** The container's name, without docker's leading "/". */
  name: string
  state: ContainerState
  exitCode: number
  /** 0 unless running. */
  pid: number
  /** The engine's error for the container ("" if none), e.g. why it could not start. */
  error: string
  oomKilled: boolean
  /** ISO times; docker's zero time "0001-01-01T00:00:00Z" when it has not happened. */
  startedAt: string
  finishedAt: string
  /** Only for containers with a health check. */
  health?: 'starting' | 'healthy' | 'unhealthy' | 'none'
  labels: Record<string, string>
  /** Host-mode published ports as bound by the engine (PortStatus). */
  ports: PortConfig[]
}

/** One task container found on the engine. */
export interface TaskContainer {
  containerId: string
  taskId: string
  serviceId: string
  nodeId: string
  name: string
  state: ContainerState
  /** Known for exited containers (parsed from the engine's "Exited (3) …" status). */
  exitCode?: number
  /** For running containers with a health check (parsed from "Up 3 seconds (health: starting)"). */
  health?: 'starting' | 'healthy' | 'unhealthy'
  labels: Record<string, string>
}

/** Tuning for a TaskRunner. */
export interface TaskRunnerOptions {
  /** Container create+start running at once on this engine; default 5. */
  concurrency?: number
  /** Deadline of each ordinary engine call (create, start, inspect, list, remove…); default 30 000 ms. */
  callTimeoutMs?: number
  /** A pull that sends nothing for this long is abandoned; default 60 000 ms. */
  pullIdleTimeoutMs?: number
  /** A pull that takes longer than this is abandoned; default 600 000 ms. */
  pullTimeoutMs?: number
}

/** How long a successful pull stands for the next tasks of the same image. */
const PULL_FRESH_MS = 10_000

/** Runs tasks' containers on one engine for one cluster. */
export class TaskRunner {
  /** Bounds concurrent create+start calls on this engine. */
  readonly limiter: Limiter
  private readonly callTimeoutMs: number
  private readonly pullIdleTimeoutMs: number
  private readonly pullTimeoutMs: number
  /** Pulls in flight, by image: many tasks of one service share one pull. */
  private readonly pulls = new Map<string, Promise<string | undefined>>()
  /** When each image was last pulled successfully. */
  private readonly pulledAt = new Map<string, number>()

  constructor(
    readonly conn: EngineConnection,
    readonly clusterId: string,
    private readonly log: (msg: string) => void,
    opts: TaskRunnerOptions = {},
  ) {
    this.limiter = new Limiter(opts.concurrency ?? 5)
    this.callTimeoutMs = opts.callTimeoutMs ?? 30_000
    this.pullIdleTimeoutMs = opts.pullIdleTimeoutMs ?? 60_000
    this.pullTimeoutMs = opts.pullTimeoutMs ?? 600_000
  }

  private get docker(): Dockerode { return this.conn.docker }
  private get url(): string { return this.conn.address.url }

  private call<T>(what: string, request: (signal: AbortSignal) => Promise<T>, timeoutMs = this.callTimeoutMs): Promise<T> {
    return engineCall(this.url, what, timeoutMs, request)
  }

  /**
   * Pulls image. If the pull fails but the engine has the image, succeeds and
   * reports "pull of X failed (why), using the local copy" to onWarning; if it
   * has not, throws: NotFoundError "No such image: X" when the registry does not
   * know it, else the registry's or engine's answer. `registryAuth` (an
   * X-Registry-Auth value) goes to the engine with the pull.
   */
  async pullImage(image: string, onWarning?: (warning: string) => void, registryAuth?: string): Promise<void> {
    // A burst of tasks (create 30, scale, update) pulls once: a pull that
    // succeeded a moment ago stands for the next few seconds.
    const key = registryAuth ? `${image}\0${registryAuth}` : image
    const fresh = this.pulledAt.get(key)
    if (fresh !== undefined && Date.now() - fresh < PULL_FRESH_MS) return
    let pull = this.pulls.get(key)
    if (!pull) {
      pull = this.pullOrLocal(image, registryAuth).finally(() => this.pulls.delete(key))
      this.pulls.set(key, pull)
    }
    const warning = await pull
    if (warning) onWarning?.(warning)
    else this.pulledAt.set(key, Date.now())
  }

  private async pullOrLocal(image: string, registryAuth?: string): Promise<string | undefined> {
    try {
      await this.pull(image, registryAuth)
      return undefined
    } catch (pullErr) {
      const why = (pullErr as Error).message
      if (await this.imageExists(image)) {
        const warning = `pull of ${image} failed (${why}), using the local copy`
        this.log(`engine ${this.url}: ${warning}`)
        return warning
      }
      this.log(`engine ${this.url}: pull of ${image} failed: ${why}`)
      if (pullErr instanceof UnavailableError) throw pullErr
      if (isNotFound(pullErr)) throw new NotFoundError(`No such image: ${image}`)
      throw pullErr
    }
  }

  /** Whether the engine has image locally. */
  async imageExists(image: string): Promise<boolean> {
    try {
      await this.call(`inspect of image ${image}`, (abortSignal) => dial(this.docker, {
        path: `/images/${image}/json`, method: 'GET', abortSignal, statusCodes: { 200: true, 404: 'no such image', 500: 'server error' },
      }))
      return true
    } catch (err) {
      if (err instanceof NotFoundError) return false
      throw err
    }
  }

  /** One pull, its progress stream read to the end; errors in the stream reject. */
  private pull(image: string, registryAuth?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const controller = new AbortController()
      let stream: NodeJS.ReadableStream | undefined
      let settled = false
      let ended = false
      const finish = (err?: Error): void => {
        if (settled) return
        settled = true
        clearTimeout(total)
        clearTimeout(idle)
        if (err) {
          controller.abort()
          ;(stream as { destroy?: () => void } | undefined)?.destroy?.()
          reject(err)
        } else {
          resolve()
        }
      }
      const total = setTimeout(() => finish(new UnavailableError(
        `engine ${this.url}: pull of ${image} did not finish within ${this.pullTimeoutMs} ms`)), this.pullTimeoutMs)
      let idle: NodeJS.Timeout | undefined
      const bump = (): void => {
        clearTimeout(idle)
        idle = setTimeout(() => finish(new UnavailableError(
          `engine ${this.url}: pull of ${image} made no progress for ${this.pullIdleTimeoutMs} ms`)), this.pullIdleTimeoutMs)
      }
      bump()
      const auth = registryAuth ? { authconfig: { base64: registryAuth } } : {}
      this.docker.pull(image, { abortSignal: controller.signal, ...auth }).then((s: NodeJS.ReadableStream) => {
        stream = s
        if (settled) { (s as { destroy?: () => void }).destroy?.(); return }
        bump()
        const lines = new LineSplitter((line) => {
          let msg: { error?: string; errorDetail?: { message?: string } }
          try { msg = JSON.parse(line) } catch { return } // blank or not JSON: progress noise
          if (msg.error || msg.errorDetail) finish(new TswError(msg.errorDetail?.message || msg.error || 'pull failed', 500))
        })
        s.on('data', (chunk: Buffer | string) => { bump(); lines.push(chunk) })
        s.on('end', () => { ended = true; lines.end(); finish() })
        s.on('error', (err: unknown) => finish(typedEngineError(this.url, err)))
        s.on('close', () => {
          if (!ended) finish(new UnavailableError(`cannot reach engine ${this.url}: the connection closed during the pull of ${image}`))
        })
      }, (err: unknown) => finish(typedEngineError(this.url, err)))
    })
  }

  /**
   * Creates and starts a container (at most `concurrency` at a time on this
   * engine). A failed start removes the created container and throws
   * "starting container failed: <engine's reason>". Idempotent: if a
   * container of the same task already exists (an earlier attempt whose answer
   * was lost), it is started if need be and its ID returned.
   */
  createAndStart(config: ContainerConfig, beforeStart?: (containerId: string) => Promise<void>): Promise<{ containerId: string }> {
    return this.limiter.run(async () => {
      const { name, connect, ...body } = config
      let containerId: string
      try {
        const created = await this.call(`create of container ${name}`, (abortSignal) =>
          this.docker.createContainer({ _query: { name }, _body: body, abortSignal } as unknown as Dockerode.ContainerCreateOptions))
        containerId = created.id
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
        const existing = await this.sameTaskContainer(name, config)
        if (!existing) throw err
        if (existing.state === 'running') return { containerId: existing.containerId }
        if (existing.state !== 'created') {
          throw new ConflictError(`container ${name} of this task already exists and is ${existing.state}`)
        }
        containerId = existing.containerId
      }
      for (const c of connect ?? []) {
        await this.call(`connect of container ${name} to network ${c.network}`, (abortSignal) =>
          this.docker.getNetwork(c.network).connect({ Container: containerId, EndpointConfig: c.EndpointConfig, abortSignal } as never) as unknown as Promise<unknown>)
          .catch((err: Error) => { if (!/already exists|already attached/i.test(err.message)) throw err })
      }
      try {
        // What must be in the container before it runs (a task's configs).
        await beforeStart?.(containerId)
        await this.call(`start of container ${name}`, (abortSignal) => this.docker.getContainer(containerId).start({ abortSignal }))
      } catch (err) {
        if (engineStatus(err) === 304 || (err as Error).message?.includes('already started')) return { containerId }
        await this.remove(containerId).catch((rmErr: Error) =>
          this.log(`engine ${this.url}: cannot remove container ${name} that failed to start: ${rmErr.message}`))
        if (err instanceof UnavailableError) throw err
        const status = err instanceof TswError ? err.status : 500
        throw new TswError(`starting container failed: ${(err as Error).message}`, status)
      }
      return { containerId }
    })
  }

  /** The existing container named name, if it is this cluster's container of config's task. */
  private async sameTaskContainer(name: string, config: ContainerConfig): Promise<ContainerStatus | undefined> {
    try {
      const existing = await this.inspect(name)
      const want = config.Labels ?? {}
      const same = existing.labels[LABEL_CLUSTER_ID] === want[LABEL_CLUSTER_ID] &&
        existing.labels[LABEL_TASK_ID] === want[LABEL_TASK_ID]
      return same ? existing : undefined
    } catch (err) {
      if (err instanceof NotFoundError) return undefined
      throw err
    }
  }

  /** Stops a container, waiting up to graceSeconds before the engine kills it; tolerates "not running" and "no such container". */
  async stop(containerId: string, graceSeconds: number): Promise<void> {
    const t = Math.max(0, Math.ceil(graceSeconds))
    try {
      await this.call(`stop of container ${containerId}`, (abortSignal) =>
        this.docker.getContainer(containerId).stop({ t, abortSignal }), t * 1000 + this.callTimeoutMs)
    } catch (err) {
      if (err instanceof NotFoundError || engineStatus(err) === 304 || /already stopped|is not running/i.test((err as Error).message)) return
      throw err
    }
  }

  /** Removes a container (force: killed if running, with its anonymous volumes); tolerates "no such container" and a removal in progress. */
  async remove(containerId: string): Promise<void> {
    try {
      await this.call(`removal of container ${containerId}`, (abortSignal) =>
        this.docker.getContainer(containerId).remove({ force: true, v: true, abortSignal } as Dockerode.ContainerRemoveOptions))
    } catch (err) {
      if (err instanceof NotFoundError || /already in progress/i.test((err as Error).message)) return
      throw err
    }
  }

  /** A container's state; NotFoundError if there is no such container. */
  async inspect(containerId: string): Promise<ContainerStatus> {
    const info = await this.call(`inspect of container ${containerId}`, (abortSignal) =>
      this.docker.getContainer(containerId).inspect({ abortSignal })) as Dockerode.ContainerInspectInfo
    const state = info.State as Dockerode.ContainerInspectInfo['State'] & { Health?: { Status?: string } }
    const status: ContainerStatus = {
      containerId: info.Id,
      name: info.Name.replace(/^\//, ''),
      state: state.Status as ContainerState,
      exitCode: state.ExitCode ?? 0,
      pid: state.Pid ?? 0,
      error: state.Error ?? '',
      oomKilled: state.OOMKilled ?? false,
      startedAt: state.StartedAt ?? '',
      finishedAt: state.FinishedAt ?? '',
      labels: info.Config?.Labels ?? {},
      ports: hostPorts(info.NetworkSettings?.Ports as PortBindings | undefined),
    }
    if (state.Health?.Status) status.health = state.Health.Status as ContainerStatus['health']
    return status
  }

  /** This cluster's task containers on the engine, in every state. */
  async listTaskContainers(): Promise<TaskContainer[]> {
    const list = await this.call('list of containers', (abortSignal) => this.docker.listContainers({
      all: true,
      filters: { label: [`${LABEL_CLUSTER_ID}=${this.clusterId}`] },
      abortSignal,
    } as Dockerode.ContainerListOptions))
    const out: TaskContainer[] = []
    for (const c of list) {
      const labels = c.Labels ?? {}
      const taskId = taskIdOfContainer(labels)
      if (!taskId || labels[LABEL_CLUSTER_ID] !== this.clusterId) continue
      const item: TaskContainer = {
        containerId: c.Id,
        taskId,
        serviceId: serviceIdOfContainer(labels) ?? '',
        nodeId: nodeIdOfContainer(labels) ?? '',
        name: (c.Names?.[0] ?? '').replace(/^\//, ''),
        state: c.State as ContainerState,
        labels,
      }
      const exited = /^Exited \((-?\d+)\)/.exec(c.Status ?? '')
      if (exited) item.exitCode = Number(exited[1])
      const health = /\((?:health: )?(starting|healthy|unhealthy)\)/.exec(c.Status ?? '')
      if (health) item.health = health[1] as TaskContainer['health']
      out.push(item)
    }
    return out
  }

  /** Follows this cluster's container events (start, die, oom, destroy, health_status) until stop(); reconnects by itself. */
  watchEvents(onEvent: (e: ContainerEvent) => void, opts: WatchOptions = {}): EventWatch {
    return watchContainerEvents(this.conn, this.clusterId, onEvent, this.log, { connectTimeoutMs: this.callTimeoutMs, ...opts })
  }

  /** A container's log, demultiplexed into lines (see containerLogs). */
  logs(containerId: string, opts: LogOptions = {}): Promise<LogStream> {
    return containerLogs(this.conn, containerId, opts, this.callTimeoutMs)
  }
}

/** Whether a failed pull means "the registry has no such image" (rather than "cannot reach it"). */
function isNotFound(err: unknown): boolean {
  if (err instanceof NotFoundError || engineStatus(err) === 404) return true
  return /not found|manifest unknown|does not exist|repository .* not found/i.test(engineMessage(err))
}

type PortBindings = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null>

/** NetworkSettings.Ports → PortConfig[] of published host ports (one per port, IPv4 and IPv6 bindings merged). */
export function hostPorts(ports: PortBindings | undefined): PortConfig[] {
  const out: PortConfig[] = []
  const seen = new Set<string>()
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [target, protocol = 'tcp'] = key.split('/')
    for (const b of bindings ?? []) {
      const published = Number(b.HostPort)
      if (!published) continue
      const id = `${target}/${protocol}/${published}`
      if (seen.has(id)) continue
      seen.add(id)
      out.push({ Protocol: protocol as PortConfig['Protocol'], TargetPort: Number(target), PublishedPort: published, PublishMode: 'host' })
    }
  }
  return out
}

interface DialOptions {
  path: string
  method: string
  abortSignal: AbortSignal
  statusCodes: Record<number, true | string>
}

/** A raw request through dockerode's modem (for calls whose dockerode wrapper drops the abort signal). */
function dial(docker: Dockerode, opts: DialOptions): Promise<unknown> {
  const modem = docker.modem as unknown as { dial(o: DialOptions & { options: object }, cb: (err: unknown, data: unknown) => void): void }
  return new Promise((resolve, reject) => {
    modem.dial({ ...opts, options: {} }, (err, data) => (err ? reject(err) : resolve(data)))
  })
}
