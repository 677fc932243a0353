// Rolling updates and rollbacks. A service whose UpdateStatus says updating
// (or rollback_started) gets a job that replaces its out-of-date tasks:
// Parallelism slots at a time, stop-first or start-first, Delay between a
// worker's slots, new tasks watched for Monitor. Failures beyond MaxFailureRatio
// pause the update, roll it back, or are ignored (FailureAction). The job's
// progress lives in the store (which tasks are dirty, UpdateStatus), so a
// manager restarted mid-update picks it up where it was.
import { modify, type Store } from '../store/index.js'
import { StoreCache } from '../store/cache.js'
import { isTerminal, type Service, type Task, type UpdateConfig } from '../types/index.js'
import { bySlot, isLive } from './slots.js'
import type { NetworkAllocator } from '../network/allocator.js'
import { isDirty, newTask } from './task.js'

export const UPDATE_DEFAULTS: Required<UpdateConfig> = {
  Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first',
}

const POLL_MS = 50
/** How long a batch may take to start before the update counts it as failed. */
const BATCH_TIMEOUT_MS = 5 * 60_000

export class Updater {
  private readonly jobs = new Set<string>()
  private unwatch?: () => void
  private stopped = false
  private readonly cache: StoreCache

  /** `cache`: tasks as the store's watch keeps them (shared by the loops); default: its own. */
  constructor(private readonly opts: { store: Store; log: (msg: string) => void; allocator?: NetworkAllocator; cache?: StoreCache }) {
    this.cache = opts.cache ?? new StoreCache({ store: opts.store, kinds: ['task'], log: opts.log, indexes: [{ kind: 'task', field: 'ServiceID' }] })
  }

  start(): void {
    this.cache.start()
    this.unwatch = this.opts.store.watch((e) => {
      if (e.kind === 'service' && e.object) this.maybeStart(e.object as Service)
    })
    this.resume()
  }

  // Updates under way when this manager started (or began to lead) go on; the store may be away a moment.
  private resume(): void {
    this.opts.store.list<Service>('service').then((all) => all.forEach((s) => this.maybeStart(s)), (err: Error) => {
      this.opts.log(`updater: ${err.message}`)
      if (!this.stopped) setTimeout(() => this.resume(), 1000).unref()
    })
  }

  stop(): void {
    this.stopped = true
    this.unwatch?.()
    this.cache.stop()
  }

  private maybeStart(service: Service): void {
    const state = service.UpdateStatus?.State
    if ((state !== 'updating' && state !== 'rollback_started') || this.jobs.has(service.ID) || this.stopped) return
    this.jobs.add(service.ID)
    void this.run(service.ID)
      .catch((err: Error) => this.opts.log(`updater: service ${service.ID}: ${err.message}`))
      .finally(() => {
        this.jobs.delete(service.ID)
        this.opts.store.get<Service>('service', service.ID).then((s) => s && this.maybeStart(s), (err: Error) => {
          this.opts.log(`updater: service ${service.ID}: ${err.message}`)
          if (!this.stopped) setTimeout(() => this.resume(), 1000).unref()
        })
      })
  }

  // As swarmkit's updater: `Parallelism` workers each take the next out-of-date
  // slot, replace its task, wait for the new one to run, wait `Delay`, and take
  // the next. A new task that fails within `Monitor` of starting counts as a
  // failure; the update completes once the last new task has been watched for
  // `Monitor`.
  private async run(serviceId: string): Promise<void> {
    const { store } = this.opts
    const failed = new Set<string>()
    const busy = new Map<string, Promise<void>>()
    for (;;) {
      if (this.stopped) return
      const service = await store.get<Service>('service', serviceId)
      const state = service?.UpdateStatus?.State
      if (!service || (state !== 'updating' && state !== 'rollback_started')) return
      const rollingBack = state === 'rollback_started'
      const cfg = { ...UPDATE_DEFAULTS, ...(rollingBack ? service.Spec.RollbackConfig : service.Spec.UpdateConfig) }
      const since = Date.parse(service.UpdateStatus?.StartedAt ?? '') || 0
      const tasks = await this.cache.listBy<Task>('task', 'ServiceID', serviceId)
      const slots = [...bySlot(tasks).entries()].map(([key, list]) => ({ key, live: list.filter(isLive) })).filter((s) => s.live.length > 0)
      // Failures: new tasks that ended within Monitor of running (or never ran).
      const monitorMs = cfg.Monitor / 1e6
      for (const t of tasks) {
        if (Date.parse(t.CreatedAt) < since || isDirty(t, service) || failed.has(t.ID)) continue
        if (['failed', 'rejected', 'complete'].includes(t.Status.State)) failed.add(t.ID)
      }
      if (failed.size > 0 && failed.size > cfg.MaxFailureRatio * slots.length && cfg.FailureAction !== 'continue') {
        const culprit = [...failed][0]
        await Promise.allSettled(busy.values())
        if (cfg.FailureAction === 'rollback' && !rollingBack && service.PreviousSpec) {
          await this.rollback(serviceId, culprit)
          failed.clear()
          continue
        }
        await this.pause(serviceId, rollingBack, culprit)
        return
      }
      const dirty = slots.filter((s) => s.live.some((t) => isDirty(t, service)) && !busy.has(s.key))
      if (dirty.length === 0 && busy.size === 0) {
        // Everything replaced: done once the newest task has been watched for Monitor.
        const newest = Math.max(0, ...tasks.filter((t) => !isDirty(t, service) && t.Status.State === 'running').map((t) => Date.parse(t.Status.Timestamp)))
        if (Date.now() - newest >= monitorMs) {
          await this.finish(serviceId, rollingBack)
          return
        }
      }
      const room = cfg.Parallelism > 0 ? cfg.Parallelism - busy.size : dirty.length
      for (const slot of dirty.slice(0, Math.max(0, room))) {
        // A slot whose turn failed (the store away a moment) is still out of date: a later round takes it again.
        const work = this.updateSlot(service, slot.live, cfg)
          .catch((err: Error) => this.opts.log(`updater: service ${serviceId}: ${err.message}`))
          .finally(() => busy.delete(slot.key))
        busy.set(slot.key, work)
      }
      await sleep(POLL_MS)
    }
  }

  // One worker's turn: replace the slot's task, wait for the new one to run (or fail), then wait Delay.
  private async updateSlot(service: Service, live: Task[], cfg: Required<UpdateConfig>): Promise<void> {
    const key = live[0].Slot !== undefined ? `s${live[0].Slot}` : `n${live[0].NodeID}`
    const keyOf = (t: Task) => (t.Slot !== undefined ? `s${t.Slot}` : `n${t.NodeID}`)
    const started = Date.now()
    await this.replace(service, live, cfg.Order)
    if (this.stopped) return
    await this.until(async () => {
      const current = (await this.cache.get<Service>('service', service.ID)) ?? (await this.opts.store.get<Service>('service', service.ID))
      if (!current) return true
      const tasks = (await this.cache.listBy<Task>('task', 'ServiceID', service.ID)).filter((t) => keyOf(t) === key && !isDirty(t, current))
      return tasks.some((t) => Date.parse(t.CreatedAt) >= started - 1000 && (t.Status.State === 'running' || isTerminal(t.Status.State)))
    }, BATCH_TIMEOUT_MS)
    if (cfg.Delay > 0) await sleep(cfg.Delay / 1e6)
  }

  // Replaces a slot's task: stop-first stops it (the orchestrator then starts the new one); start-first starts the new one first.
  private async replace(service: Service, live: Task[], order: string): Promise<void> {
    const { store } = this.opts
    const old = live.filter((t) => isDirty(t, service))
    if (order === 'start-first' && !live.some((t) => !isDirty(t, service))) {
      const slot = old[0].Slot
      const fresh = await store.create('task', newTask(service, slot !== undefined ? { slot } : { nodeId: old[0].NodeID }, new Date(), this.opts.allocator))
      await this.until(async () => {
        const t = await store.get<Task>('task', fresh.ID)
        return !t || t.Status.State === 'running' || isTerminal(t.Status.State)
      }, BATCH_TIMEOUT_MS)
      // Stopped (this manager no longer leads): the next leader goes on from here, the old task still up.
      if (this.stopped) return
    }
    for (const t of old) {
      await modify<Task>(store, 'task', t.ID, (x) => {
        if (isLive(x)) x.DesiredState = 'shutdown'
      })
    }
  }

  private async finish(serviceId: string, rollingBack: boolean): Promise<void> {
    await modify<Service>(this.opts.store, 'service', serviceId, (s) => {
      s.UpdateStatus = {
        State: rollingBack ? 'rollback_completed' : 'completed', StartedAt: s.UpdateStatus?.StartedAt,
        CompletedAt: new Date().toISOString(), Message: rollingBack ? 'rollback completed' : 'update completed',
      }
    })
  }

  private async pause(serviceId: string, rollingBack: boolean, taskId: string): Promise<void> {
    await modify<Service>(this.opts.store, 'service', serviceId, (s) => {
      s.UpdateStatus = {
        State: rollingBack ? 'rollback_paused' : 'paused', StartedAt: s.UpdateStatus?.StartedAt,
        Message: `${rollingBack ? 'rollback' : 'update'} paused due to failure or early termination of task ${taskId}`,
      }
    })
    this.opts.log(`updater: service ${serviceId} ${rollingBack ? 'rollback' : 'update'} paused (task ${taskId} failed)`)
  }

  private async rollback(serviceId: string, taskId: string): Promise<void> {
    await modify<Service>(this.opts.store, 'service', serviceId, (s) => {
      if (!s.PreviousSpec) return
      const current = s.Spec
      s.Spec = s.PreviousSpec
      s.PreviousSpec = current
      s.UpdateStatus = { State: 'rollback_started', StartedAt: new Date().toISOString(), Message: `update rolled back due to failure or early termination of task ${taskId}` }
    })
    this.opts.log(`updater: service ${serviceId} rolling back (task ${taskId} failed)`)
  }

  private async until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs
    while (!this.stopped && Date.now() < end && !(await check())) await sleep(POLL_MS)
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
