// The convergence state machine of docker's ServiceProgress, without I/O:
// step() takes one look at the service and its tasks (and the time) and says
// what to show and whether the wait is over. The service has converged when
// every task of the current spec runs, and stays so for a stable period.
import { JobUpdater } from './job-updater.js'
import type { Service, Task, UpdateStatus } from '../../types/index.js'
import { isUpToDate, rank, terminalState } from './states.js'
import { makeUpdater, tasksByNode, tasksBySlot, type ProgressEvent, type Updater } from './updaters.js'

/** One look at a service: the service, its tasks, and the nodes that are not down. */
export interface Snapshot {
  service: Service
  tasks: Task[]
  activeNodes: Set<string>
}

export interface StepResult {
  events: ProgressEvent[]
  /** The wait is over (converged, or failed when `error` is set). */
  done: boolean
  error?: string
}

export interface MonitorOptions {
  /** How the user named the service (printed in "Service web converged"). */
  ref: string
  /** How long all tasks must keep running (ms); default: the service's update monitor when set to other than swarm's 5 s, else 1 s. */
  stableMs?: number
  /** The service's UpdateStatus before this command changed it: seeing it again means no new update. */
  previousStatus?: UpdateStatus
  /** The command asked for the rollback (so one is not a failure). */
  rollbackRequested?: boolean
}

const SWARM_DEFAULT_MONITOR_NS = 5e9

/** The stable period for a service, in ms. */
export function stablePeriodMs(service: Service, override?: number): number {
  if (override !== undefined) return override
  const monitor = service.Spec.UpdateConfig?.Monitor
  return monitor && monitor !== SWARM_DEFAULT_MONITOR_NS ? monitor / 1e6 : 1000
}

export class ConvergenceMonitor {
  private updater?: Updater
  private converged = false
  private convergedAt?: number
  private rollback = false
  private finalMessage?: ProgressEvent

  constructor(private readonly opts: MonitorOptions) {}

  /** What one look at the service at time `now` (ms) shows, and whether the wait is over. */
  step(snap: Snapshot, now: number): StepResult {
    const { service } = snap
    const events: ProgressEvent[] = []
    const monitor = stablePeriodMs(service, this.opts.stableMs)
    try {
      this.updater ??= service.Spec.Mode?.ReplicatedJob || service.Spec.Mode?.GlobalJob ? new JobUpdater() : makeUpdater(service)
    } catch (err) {
      return { events, done: true, error: (err as Error).message }
    }
    const status = this.freshStatus(service.UpdateStatus)
    let inProgress = false
    switch (status?.State) {
      case 'updating':
        this.rollback = false
        inProgress = true
        break
      case 'paused':
        return { events, done: true, error: `service update paused: ${status.Message}` }
      case 'rollback_started':
        if (!this.rollback && status.Message) events.push({ id: 'rollback', action: status.Message })
        this.rollback = true
        inProgress = true
        break
      case 'rollback_paused':
        return { events, done: true, error: `service rollback paused: ${status.Message}` }
      case 'rollback_completed':
        if (!this.converged) this.finalMessage = { id: 'rollback', action: status.Message, message: true }
        this.rollback = true
        break
    }
    if (this.converged && this.convergedAt !== undefined && now - this.convergedAt >= monitor) {
      events.push({ id: 'verify', action: `Service ${this.opts.ref} converged` })
      if (this.finalMessage) events.push(this.finalMessage)
      // An update that rolled back by itself did not do what was asked.
      const error = this.rollback && !this.opts.rollbackRequested ? `service update rolled back: ${status?.Message ?? ''}` : undefined
      return { events, done: true, error }
    }
    const current = snap.tasks.filter((t) => isUpToDate(t, service))
    const result = this.updater.update(service, current, snap.activeNodes, this.rollback)
    events.push(...result.events)
    this.converged = result.converged && !inProgress
    if (this.converged) {
      this.convergedAt ??= now
      const wait = monitor - (now - this.convergedAt)
      // Docker counts whole seconds left, rounding up (its clock has always moved on a little).
      if (wait >= 0) events.push({ id: 'verify', action: `Waiting ${Math.max(1, Math.ceil(wait / 1000))} seconds to verify that tasks are stable...` })
    } else {
      if (this.convergedAt !== undefined) events.push({ id: 'verify', action: 'Detected task failure' })
      this.convergedAt = undefined
    }
    return { events, done: false }
  }

  /** The status, unless it is the one the service had before this command. */
  private freshStatus(status: UpdateStatus | undefined): UpdateStatus | undefined {
    const prev = this.opts.previousStatus
    if (!status || !prev) return status
    const same = status.State === prev.State && status.StartedAt === prev.StartedAt && status.CompletedAt === prev.CompletedAt
    return same ? undefined : status
  }
}

/** "5m0s"-style rendering of ms. */
function goDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  return `${h ? `${h}h` : ''}${m}m${s % 60}s`
}

/** The message for a wait that ran out of time: how far it got, and which tasks do not run and why. */
export function describeNotConverged(ref: string, snap: Snapshot, timeoutMs: number): string {
  const { service } = snap
  const name = service.Spec.Name || ref
  const current = snap.tasks.filter((t) => isUpToDate(t, service))
  const global = !!service.Spec.Mode?.Global
  const counted = global ? tasksByNode(current) : tasksBySlot(current, snap.activeNodes)
  const want = global ? counted.size : (service.Spec.Mode?.Replicated?.Replicas ?? 0)
  const running = [...counted.values()].filter((t) => !terminalState(t.DesiredState) && t.Status.State === 'running')
  const lines = [`service ${ref} did not converge within ${goDuration(timeoutMs)}: ${running.length} out of ${want} tasks running`]
  const lastFailure = (t: Task) => current
    .filter((o) => (global ? o.NodeID === t.NodeID : o.Slot === t.Slot) && o.ID !== t.ID && o.Status.Err)
    .sort((a, b) => (b.Status.Timestamp ?? '').localeCompare(a.Status.Timestamp ?? ''))[0]
  for (const [key, t] of [...counted].sort(([a], [b]) => String(a).localeCompare(String(b), undefined, { numeric: true }))) {
    if (running.includes(t)) continue
    const why = t.Status.Err || t.Status.Message
    const failed = lastFailure(t)
    const label = global ? `${name} on node ${String(key).slice(0, 12)}` : `${name}.${key}`
    lines.push(`  ${label}: ${t.Status.State}${why ? `: ${why}` : ''}${failed ? ` (last failure: ${failed.Status.Err})` : ''}`)
  }
  if (!global && counted.size < want) lines.push(`  ${want - counted.size} task(s) not created or not on an available node yet`)
  const stale = snap.tasks.filter((t) => !isUpToDate(t, service) && rank(t.DesiredState) <= rank('running') && t.Status.State === 'running')
  if (stale.length) lines.push(`  ${stale.length} task(s) still run a previous spec of the service`)
  const st = service.UpdateStatus
  if (st && (st.State === 'updating' || st.State === 'rollback_started')) lines.push(`  update status: ${st.State}${st.Message ? `: ${st.Message}` : ''}`)
  return lines.join('\n')
}
