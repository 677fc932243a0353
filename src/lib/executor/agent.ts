// The executor loop: for every ready node, makes the store's tasks real on the
// node's engine and reports back. Assigned tasks are pulled, created and
// started; tasks the orchestrator no longer wants are stopped and removed.
// Engine events move task states; a periodic pass over each engine's
// containers is the safety net (missed events, a manager restart, a node that
// comes back with stale containers).
import type { EnginePool } from '../engine/pool.js'
import type { StoredEngine } from '../engine/record.js'
import type { EngineConnection } from '../engine/index.js'
import { runPaced, sweepPeriodMs } from '../engine/pacing.js'
import { modify, Reactor, type Store } from '../store/index.js'
import { StoreCache } from '../store/cache.js'
import { isTerminal, stateIndex, wantsRun, type Node, type Service, type Task, type TaskState } from '../types/index.js'
import type Dockerode from 'dockerode'
import { engineCall } from '../engine/call.js'
import { FailedPreconditionError } from '../errors/index.js'
import { containerConfig } from './container-config.js'
import { Limiter } from './limiter.js'
import { dropSecrets, putConfigs, stageSecrets, taskFiles, withSecretsMount } from './task-files.js'
import { TaskRunner } from './runner.js'
import { reconcileNode, type SweepOps } from './reconcile-sweep.js'
import { failUnhealthy, stopGraceSeconds } from './health.js'

export interface ExecutorOptions {
  store: Store
  engines: EnginePool
  clusterId: string
  log: (msg: string) => void
  /** Period of the safety-net pass over each engine's containers. */
  reconcileMs?: number
  /** Told when a node's event stream drops or comes back: its engine may have gone or returned. */
  onEngineSignal?: (nodeId: string) => void
  /** Sets up a node's overlay networks before a task's container joins them. */
  networks?: { prepare(nodeId: string, networkIds: string[]): Promise<void>; helperImage?(docker: Dockerode): Promise<string> }
  /** DNS servers for tasks on overlay networks (the manager's resolver of service names). */
  dnsServers?: string[]
  /** Makes the runner of a node's engine connection (unit tests pass a fake engine); default a TaskRunner. */
  runnerFor?: (conn: EngineConnection) => TaskRunner
  /** Tasks, nodes and services as the store's watch keeps them (shared by the loops, with tasks by node); default: its own. */
  cache?: StoreCache
}

/** Engines reconciled at once, at most, and a second, at most (the safety-net sweep of thousands of engines takes longer than its period). */
export const MAX_RECONCILES = 16
export const RECONCILE_PER_S = 50
/** Task starts and stops in flight at once, over every engine (each engine also has its own bound, runner.ts). */
export const MAX_TASK_WORK = 256

/** How long one engine may take to check an image before the next is asked (ms). */
const CHECK_IMAGE_MS = 5000

/** How long putting a task's secrets on its engine may take (helper image import included). */
const SECRETS_STAGING_MS = 120_000

const STARTABLE: TaskState[] = ['assigned', 'accepted', 'preparing', 'ready', 'starting']

export class Executor {
  private readonly inFlight = new Set<string>()
  private readonly taskWork = new Limiter(MAX_TASK_WORK)
  private readonly runners = new Map<string, { runner: TaskRunner; events?: { stop(): void } }>()
  private readonly reactor: Reactor
  private sweep?: NodeJS.Timeout
  private readonly cache: StoreCache
  private readonly sweepOps: SweepOps

  constructor(private readonly opts: ExecutorOptions) {
    this.cache = opts.cache ?? new StoreCache({
      store: opts.store, kinds: ['task', 'node', 'service'], log: opts.log, indexes: [{ kind: 'task', field: 'NodeID' }],
    })
    this.sweepOps = {
      store: opts.store, log: opts.log, inFlight: this.inFlight,
      runner: (id) => this.runner(id), stopContainer: (r, c, t) => this.stopContainer(r, c, t),
      advance: (id, state, msg, extra) => this.advance(id, state, msg, extra), exited: (t, code) => this.exited(t, code),
      onUnhealthy: (nodeId, taskId, containerId) => this.onUnhealthy(nodeId, taskId, containerId),
    }
    this.reactor = new Reactor({
      store: opts.store, log: opts.log, name: 'executor', pass: () => this.dispatchAll(),
      wants: (e) => e.kind === 'task' || e.kind === 'node',
    })
  }

  start(): void {
    this.cache.start()
    this.reactor.start()
    // The next sweep starts once this one is done (a sweep of thousands of engines is spread over its period).
    const sweep = () => {
      if (this.reactor.isStopped) return
      const start = Date.now()
      void this.reconcileAll(true).finally(() => {
        if (this.reactor.isStopped) return
        this.sweep = setTimeout(sweep, Math.max(0, (this.opts.reconcileMs ?? 5000) - (Date.now() - start)))
      })
    }
    sweep()
  }

  stop(): void {
    this.reactor.stop()
    this.cache.stop()
    clearTimeout(this.sweep)
    for (const r of this.runners.values()) r.events?.stop()
  }

  /** Resolves once no task is being started or stopped (or after `timeoutMs`). */
  async idle(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs
    while (this.inFlight.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  }

  /** Asks for a dispatch pass soon. */
  poke(): void {
    this.reactor.poke()
  }

  private async dispatchAll(): Promise<void> {
    const { cache } = this
    const nodes = (await cache.list<Node>('node')).filter((n) => n.Status.State === 'ready')
    const tasks = (await Promise.all(nodes.map((n) => cache.listBy<Task>('task', 'NodeID', n.ID)))).flat()
    for (const task of tasks) {
      if (this.inFlight.has(task.ID)) continue
      if (wantsRun(task) && STARTABLE.includes(task.Status.State)) {
        // Started, waiting for its health check to pass: health events (or the periodic pass) move it on.
        if (task.Status.State === 'starting' && task.Status.ContainerStatus?.ContainerID) continue
        const service = await cache.get<Service>('service', task.ServiceID)
        if (service) this.track(task.ID, () => this.run(task, service))
      } else if (!wantsRun(task) && !isTerminal(task.Status.State)) {
        this.track(task.ID, () => this.halt(task, 'shutdown'))
      }
    }
  }

  // In flight from now (the periodic pass and die events leave it alone), run when a turn is free.
  private track(taskId: string, work: () => Promise<void>): void {
    this.inFlight.add(taskId)
    void this.taskWork.run(work).catch((err: Error) => this.opts.log(`executor: task ${taskId}: ${err.message}`)).finally(() => {
      this.inFlight.delete(taskId)
      this.poke()
    })
  }

  // Pull, create, start; each step recorded on the task.
  private async run(task: Task, service: Service): Promise<void> {
    const runner = await this.runner(task.NodeID!)
    if (!runner) return
    await this.advance(task.ID, 'preparing', 'preparing')
    let warning = ''
    try {
      await runner.pullImage(task.Spec.ContainerSpec.Image, (w) => (warning = w), task.Spec.ContainerSpec.PullOptions?.RegistryAuth)
    } catch (err) {
      await this.advance(task.ID, 'rejected', 'preparing', { Err: (err as Error).message })
      return
    }
    const fresh = await this.advance(task.ID, 'starting', warning || 'starting')
    if (!fresh) {
      // Already starting: left so by a manager that stopped (or died, or stopped leading) halfway. Finish it.
      const now = await this.opts.store.get<Task>('task', task.ID)
      if (!now || now.Status.State !== 'starting' || !wantsRun(now) || now.NodeID !== task.NodeID) return
    }
    const config = containerConfig({
      task, serviceName: service.Spec.Name, serviceId: service.ID, clusterId: this.opts.clusterId,
      nodeId: task.NodeID!, hostPorts: task.HostPorts ?? [], dns: this.opts.dnsServers,
    })
    const docker = runner.conn.docker
    let releaseFiller: (() => Promise<void>) | undefined
    try {
      const networkIds = (task.NetworksAttachments ?? []).map((a) => a.Network.ID)
      if (networkIds.length && this.opts.networks) await this.opts.networks.prepare(task.NodeID!, networkIds)
      const files = await taskFiles(this.opts.store, task)
      if (files.secrets.length) {
        const networks = this.opts.networks
        if (!networks?.helperImage) throw new FailedPreconditionError('secrets need the network helper image, and this manager runs no network agent')
        // Bounded: an engine that stops answering halfway fails the task instead of holding it in starting.
        releaseFiller = await engineCall(runner.conn.address.url, `staging of the secrets of task ${task.ID}`, SECRETS_STAGING_MS,
          async () => stageSecrets(docker, await networks.helperImage!(docker), this.opts.clusterId, task.ID, files.secrets))
        withSecretsMount(config, task.ID)
      }
      // Idempotent by container name: a container a previous manager made for this task is adopted.
      const { containerId } = await runner.createAndStart(config, files.configs.length ? (id) => putConfigs(docker, id, files.configs) : undefined)
      await releaseFiller?.()
      const info = await runner.inspect(containerId).catch(() => undefined)
      const containerStatus = { ContainerID: containerId, PID: info?.pid ?? 0, ExitCode: 0 }
      if (info?.health === 'starting' || info?.health === 'unhealthy') {
        // As swarm: a container with a health check keeps its task starting until the check passes.
        const waiting = await this.note(task.ID, 'starting', { ContainerStatus: containerStatus })
        if (!waiting) await this.stopContainer(runner, containerId, task)
        else if (info.health === 'unhealthy') await failUnhealthy(this.sweepOps, runner, task, containerId, (id, st, extra) => this.note(id, st, extra))
        return
      }
      const ok = await this.advance(task.ID, 'running', 'started', { ContainerStatus: containerStatus })
      if (!ok) await this.stopContainer(runner, containerId, task)
    } catch (err) {
      // A half-made volume or filler goes too (the task's container, if any, was removed by createAndStart).
      if (task.Spec.ContainerSpec.Secrets?.length) await dropSecrets(docker, task.ID).catch(() => {})
      await this.advance(task.ID, 'failed', 'starting', { Err: (err as Error).message })
    }
  }

  // Stop and remove a task's container; the task ends in `state`.
  private async halt(task: Task, state: TaskState): Promise<void> {
    const runner = await this.runner(task.NodeID!)
    if (!runner) return
    const containers = await runner.listTaskContainers()
    for (const c of containers.filter((x) => x.taskId === task.ID)) await this.stopContainer(runner, c.containerId, task)
    await this.advance(task.ID, state, state)
  }

  private async stopContainer(runner: TaskRunner, containerId: string, task: Task): Promise<void> {
    await runner.stop(containerId, stopGraceSeconds(task))
    await runner.remove(containerId)
    if (task.Spec.ContainerSpec.Secrets?.length) await dropSecrets(runner.conn.docker, task.ID)
  }

  /**
   * Moves a task forward to `state` (never backwards). Returns false when the
   * task is gone, already further along, or no longer wanted running (for a
   * forward move to a running state).
   */
  private async advance(taskId: string, state: TaskState, message: string, extra: Partial<Task['Status']> = {}): Promise<boolean> {
    let moved = false
    await modify<Task>(this.opts.store, 'task', taskId, (t) => {
      moved = false
      if (stateIndex(t.Status.State) >= stateIndex(state) && !(isTerminal(state) && !isTerminal(t.Status.State))) return
      if (isTerminal(t.Status.State)) return
      if (!isTerminal(state) && !wantsRun(t)) return
      t.Status = { ...t.Status, ...extra, State: state, Message: message, Timestamp: new Date().toISOString() }
      moved = true
    })
    return moved
  }

  /** Sets status fields of a task still in `state` and wanted up; false when it is not. */
  private async note(taskId: string, state: TaskState, extra: Partial<Task['Status']>): Promise<boolean> {
    let ok = false
    await modify<Task>(this.opts.store, 'task', taskId, (t) => {
      ok = t.Status.State === state && wantsRun(t)
      if (ok) t.Status = { ...t.Status, ...extra }
    })
    return ok
  }

  // A health check passed: a starting task is running from now (a rolling update counts its monitor from here).
  private async onHealthy(taskId: string): Promise<void> {
    const task = await this.opts.store.get<Task>('task', taskId)
    if (task?.Status.State === 'starting' && task.Status.ContainerStatus?.ContainerID) await this.advance(taskId, 'running', 'started')
  }

  // As swarm's controller: an unhealthy container is stopped and its task fails.
  // The task leaves the load balancer at once (isServing) while its container stops.
  private onUnhealthy(nodeId: string, taskId: string, containerId: string): void {
    if (this.inFlight.has(taskId)) return
    this.track(taskId, async () => {
      const task = await this.opts.store.get<Task>('task', taskId)
      const runner = await this.runner(nodeId)
      if (!task || !runner || !wantsRun(task) || (task.Status.State !== 'starting' && task.Status.State !== 'running')) return
      await failUnhealthy(this.sweepOps, runner, task, containerId, (id, st, extra) => this.note(id, st, extra))
    })
  }

  /**
   * The runner for a node's engine (and its event stream), or undefined when
   * the node has no engine record. A new connection from the pool (the
   * dispatcher drops one that missed a heartbeat) gets a new runner.
   */
  private async runner(nodeId: string): Promise<TaskRunner | undefined> {
    const engine = await this.opts.store.get<StoredEngine>('engine', nodeId)
    if (!engine) return undefined
    const conn = await this.opts.engines.get(nodeId, engine.Ref)
    const have = this.runners.get(nodeId)
    if (have && have.runner.conn === conn) return have.runner
    have?.events?.stop()
    const runner = this.opts.runnerFor?.(conn) ?? new TaskRunner(conn, this.opts.clusterId, this.opts.log)
    const entry: { runner: TaskRunner; events?: { stop(): void } } = { runner }
    this.runners.set(nodeId, entry)
    entry.events = runner.watchEvents((e) => {
      if (e.action === 'die' && e.taskId) {
        // Missed here (the store away a moment), the periodic pass sees the exit.
        this.onDie(e.taskId, e.exitCode).catch((err: Error) => this.opts.log(`executor: task ${e.taskId}: ${err.message}`))
      } else if (e.action === 'health_status: healthy' && e.taskId) {
        this.onHealthy(e.taskId).catch((err: Error) => this.opts.log(`executor: task ${e.taskId}: ${err.message}`))
      } else if (e.action === 'health_status: unhealthy' && e.taskId) {
        this.onUnhealthy(nodeId, e.taskId, e.containerId)
      }
    }, {
      onDisconnect: () => this.opts.onEngineSignal?.(nodeId),
      onConnect: (reconnected) => reconnected && this.opts.onEngineSignal?.(nodeId),
    })
    void (entry.events as { ready?: Promise<void> }).ready?.then(() => this.opts.log(`executor: watching the events of node ${nodeId}`))
    return runner
  }

  // A task's container exited: complete (exit 0) or failed, unless it was being stopped.
  private async onDie(taskId: string, exitCode: number | undefined): Promise<void> {
    const task = await this.opts.store.get<Task>('task', taskId)
    if (!task || !wantsRun(task) || this.inFlight.has(taskId)) return
    await this.exited(task, exitCode ?? -1)
  }

  private async exited(task: Task, exitCode: number): Promise<void> {
    const status = { ContainerStatus: { ...task.Status.ContainerStatus, ExitCode: exitCode } }
    if (exitCode === 0) await this.advance(task.ID, 'complete', 'finished', status)
    else await this.advance(task.ID, 'failed', 'started', { ...status, Err: `task: non-zero exit (${exitCode})` })
  }

  /** Pulls (with registryAuth, an X-Registry-Auth value, if given) or finds an image on a ready engine; throws with the engine's reason when it cannot. */
  async checkImage(image: string, registryAuth?: string): Promise<void> {
    const nodes = (await this.opts.store.list<Node>('node')).filter((n) => n.Status.State === 'ready')
    for (const node of nodes) {
      const runner = await this.runner(node.ID).catch(() => undefined)
      if (!runner) continue
      // An engine cut off but not yet found down answers nothing: ask the next one.
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), CHECK_IMAGE_MS)))
      const pull = runner.pullImage(image, undefined, registryAuth).then(() => 'done' as const)
      pull.catch(() => undefined) // lost the race: its failure is nobody's to hear
      const answer = await Promise.race([pull, late]).finally(() => clearTimeout(timer))
      if (answer === 'done') return
      this.opts.log(`executor: node ${node.ID} did not answer an image check within ${CHECK_IMAGE_MS} ms; asking another`)
    }
  }

  /** The registry's descriptor of an image, asked through the first ready engine that answers. */
  async distribution(image: string, registryAuth?: string): Promise<unknown> {
    const nodes = (await this.opts.store.list<Node>('node')).filter((n) => n.Status.State === 'ready')
    let last: unknown = new Error('no ready node to ask the registry through')
    for (const node of nodes) {
      const runner = await this.runner(node.ID).catch(() => undefined)
      if (!runner) continue
      try {
        const img = runner.conn.docker.getImage(image) as unknown as { distribution(opts: object): Promise<unknown> }
        // dockerode sends authconfig.base64 as X-Registry-Auth unchanged.
        const opts = registryAuth ? { authconfig: { base64: registryAuth } } : {}
        return await Promise.race([img.distribution(opts), new Promise((_, reject) => setTimeout(() => reject(new Error('registry did not answer in 15 s')), 15_000))])
      } catch (err) {
        last = err
      }
    }
    throw last
  }

  /** Writes a task's container log to `out` as docker's multiplexed frames (stream type, length, line). */
  async taskLogs(task: Task, opts: { follow: boolean; tail?: number; timestamps: boolean; details: boolean; since?: number },
    out: NodeJS.WritableStream, signal: AbortSignal): Promise<void> {
    const runner = await this.runner(task.NodeID!)
    const containerId = task.Status.ContainerStatus?.ContainerID
    if (!runner || !containerId) return
    const stream = await runner.logs(containerId, { follow: opts.follow, tail: opts.tail, timestamps: opts.timestamps, since: opts.since })
    const details = `com.docker.swarm.node.id=${task.NodeID},com.docker.swarm.service.id=${task.ServiceID},com.docker.swarm.task.id=${task.ID}`
    signal.addEventListener('abort', () => stream.destroy())
    for await (const line of stream as AsyncIterable<{ stream: 'stdout' | 'stderr'; text: string; timestamp?: string }>) {
      const payload = Buffer.from(`${opts.timestamps && line.timestamp ? line.timestamp + ' ' : ''}${opts.details ? details + ' ' : ''}${line.text}\n`)
      const header = Buffer.alloc(8)
      header[0] = line.stream === 'stderr' ? 2 : 1
      header.writeUInt32BE(payload.length, 4)
      out.write(Buffer.concat([header, payload]))
    }
  }

  /**
   * The safety net: compares every ready engine's task containers with the store.
   * `paced`: each engine at its phase of the period (longer with thousands of
   * engines: at most RECONCILE_PER_S a second) and MAX_RECONCILES at once.
   */
  async reconcileAll(paced = false): Promise<void> {
    const { cache } = this
    try {
      const ready = (await cache.list<Node>('node')).filter((n) => n.Status.State === 'ready')
      const periodMs = paced ? sweepPeriodMs(ready.length, this.opts.reconcileMs ?? 5000, RECONCILE_PER_S) : 0
      let changed = false
      await runPaced(ready, { periodMs, limit: MAX_RECONCILES, key: (n) => n.ID, stopped: () => this.reactor.isStopped }, async (n) => {
        try {
          // Read at the node's turn: the sweep is spread over its period.
          const tasks = await cache.listBy<Task>('task', 'NodeID', n.ID)
          if (await reconcileNode(this.sweepOps, n, tasks)) changed = true
        } catch (err) {
          this.opts.log(`executor: reconcile of node ${n.ID}: ${(err as Error).message}`)
        }
      })
      if (changed) this.poke()
    } catch (err) {
      this.opts.log(`executor: reconcile: ${(err as Error).message}`)
    }
  }
}
