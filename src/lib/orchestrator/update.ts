// Rolling updates and rollbacks. A service whose UpdateStatus says updating
// (or rollback_started) gets a job that replaces its out-of-date tasks batch by
// batch: Parallelism slots at a time, stop-first or start-first, each batch
// watched for Monitor, Delay between batches. Failures beyond MaxFailureRatio
// pause the update, roll it back, or are ignored (FailureAction). The job's
// progress lives in the store (which tasks are dirty, UpdateStatus), so a
// manager restarted mid-update picks it up where it was.
import { modify, type Store } from '../store/index.js'
import { isTerminal, type Service, type Task, type UpdateConfig } from '../types/index.js'
import { bySlot, isLive } from './slots.js'
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

  constructor(private readonly opts: { store: Store; log: (msg: string) => void }) {}

  start(): void {
    this.unwatch = this.opts.store.watch((e) => {
      if (e.kind === 'service' && e.object) this.maybeStart(e.object as Service)
    })
    void this.opts.store.list<Service>('service').then((all) => all.forEach((s) => this.maybeStart(s)))
  }

  stop(): void {
    this.stopped = true
    this.unwatch?.()
  }

  private maybeStart(service: Service): void {
    const state = service.UpdateStatus?.State
    if ((state !== 'updating' && state !== 'rollback_started') || this.jobs.has(service.ID) || this.stopped) return
    this.jobs.add(service.ID)
    void this.run(service.ID)
      .catch((err: Error) => this.opts.log(`updater: service ${service.ID}: ${err.message}`))
      .finally(() => {
        this.jobs.delete(service.ID)
        void this.opts.store.get<Service>('service', service.ID).then((s) => s && this.maybeStart(s))
      })
  }

  private async run(serviceId: string): Promise<void> {
    const { store } = this.opts
    let failures = 0
    const failed = new Set<string>()
    for (;;) {
      if (this.stopped) return
      const service = await store.get<Service>('service', serviceId)
      const state = service?.UpdateStatus?.State
      if (!service || (state !== 'updating' && state !== 'rollback_started')) return
      const rollingBack = state === 'rollback_started'
      const cfg = { ...UPDATE_DEFAULTS, ...(rollingBack ? service.Spec.RollbackConfig : service.Spec.UpdateConfig) }
      const tasks = (await store.list<Task>('task')).filter((t) => t.ServiceID === serviceId)
      const slots = [...bySlot(tasks).values()].map((list) => list.filter(isLive)).filter((live) => live.length > 0)
      const dirty = slots.filter((live) => live.some((t) => isDirty(t, service)))
      if (dirty.length === 0) {
        await this.finish(serviceId, service.Version.Index, rollingBack)
        return
      }
      const batch = cfg.Parallelism > 0 ? dirty.slice(0, cfg.Parallelism) : dirty
      const started = Date.now()
      await Promise.all(batch.map((live) => this.replace(service, live, cfg.Order)))
      const outcome = await this.watchBatch(serviceId, batch.map((live) => live[0]), started, cfg.Monitor / 1e6)
      for (const id of outcome.failed) {
        if (failed.has(id)) continue
        failed.add(id)
        failures++
      }
      if (outcome.failed.length && failures > cfg.MaxFailureRatio * slots.length) {
        const culprit = outcome.failed[0]
        if (cfg.FailureAction === 'continue') {
          // go on with the next batch
        } else if (cfg.FailureAction === 'rollback' && !rollingBack && service.PreviousSpec) {
          await this.rollback(serviceId, culprit)
          failures = 0
          failed.clear()
          continue
        } else {
          await this.pause(serviceId, rollingBack, culprit)
          return
        }
      }
      if (cfg.Delay > 0) await sleep(cfg.Delay / 1e6)
    }
  }

  // Replaces a slot's task: stop-first stops it (the orchestrator then starts the new one); start-first starts the new one first.
  private async replace(service: Service, live: Task[], order: string): Promise<void> {
    const { store } = this.opts
    const old = live.filter((t) => isDirty(t, service))
    if (order === 'start-first' && !live.some((t) => !isDirty(t, service))) {
      const slot = old[0].Slot
      const fresh = await store.create('task', newTask(service, slot !== undefined ? { slot } : { nodeId: old[0].NodeID }, new Date()))
      await this.until(async () => {
        const t = await store.get<Task>('task', fresh.ID)
        return !t || t.Status.State === 'running' || isTerminal(t.Status.State)
      }, BATCH_TIMEOUT_MS)
    }
    for (const t of old) {
      await modify<Task>(store, 'task', t.ID, (x) => {
        if (isLive(x)) x.DesiredState = 'shutdown'
      })
    }
  }

  // Waits until each slot of the batch runs an up-to-date task, then watches them for `monitorMs`.
  private async watchBatch(serviceId: string, oldTasks: Task[], since: number, monitorMs: number): Promise<{ failed: string[] }> {
    const { store } = this.opts
    const keys = oldTasks.map((t) => (t.Slot !== undefined ? `s${t.Slot}` : `n${t.NodeID}`))
    const fresh = async () => {
      const service = await store.get<Service>('service', serviceId)
      const tasks = (await store.list<Task>('task')).filter((t) => t.ServiceID === serviceId && Date.parse(t.CreatedAt) >= since - 1000)
      return { service, tasks: tasks.filter((t) => keys.includes(t.Slot !== undefined ? `s${t.Slot}` : `n${t.NodeID}`) && service && !isDirty(t, service)) }
    }
    const failedOf = (tasks: Task[]) => tasks.filter((t) => ['failed', 'rejected', 'complete'].includes(t.Status.State)).map((t) => t.ID)
    let failed: string[] = []
    await this.until(async () => {
      const { service, tasks } = await fresh()
      if (!service) return true
      failed = failedOf(tasks)
      const running = keys.filter((k) => tasks.some((t) => (t.Slot !== undefined ? `s${t.Slot}` : `n${t.NodeID}`) === k && t.Status.State === 'running'))
      return failed.length > 0 || running.length === keys.length
    }, BATCH_TIMEOUT_MS)
    if (failed.length) return { failed }
    const end = Date.now() + monitorMs
    while (Date.now() < end && !this.stopped) {
      failed = failedOf((await fresh()).tasks)
      if (failed.length) return { failed }
      await sleep(Math.min(POLL_MS * 4, Math.max(1, end - Date.now())))
    }
    return { failed: [] }
  }

  private async finish(serviceId: string, _version: number, rollingBack: boolean): Promise<void> {
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
