// Waiting for a service to converge (docker's WaitOnService): poll the
// service, its tasks and the nodes every 200 ms, feed ConvergenceMonitor,
// print what it shows. Ends when converged, with ConvergenceError when the
// update pauses or rolls back or the deadline passes, or quietly on Ctrl-C.
import type { ManagerClient } from '../../client/client.js'
import { ApiError } from '../../client/client.js'
import { TswError } from '../../errors/index.js'
import type { Node, Service, Task, UpdateStatus } from '../../types/index.js'
import { ConvergenceMonitor, describeNotConverged, type Snapshot } from './monitor.js'
import { PlainRenderer, TtyRenderer, type Renderer } from './render.js'
import type { ProgressEvent } from './updaters.js'

/** The service did not converge (exit code 1). */
export class ConvergenceError extends TswError {
  constructor(message: string) { super(message, 0) }
}

export type ServiceReader = Pick<ManagerClient, 'get'>

export interface WaitOptions {
  /** Print nothing (-q). */
  quiet?: boolean
  /** Where progress goes (default stdout). */
  write?: (s: string) => void
  /** Draw for a terminal (default: whether stdout is one), and its width. */
  tty?: boolean
  columns?: number
  previousStatus?: UpdateStatus
  rollbackRequested?: boolean
  /** Give up after this long (default TSW_CONVERGE_TIMEOUT_S, else 300 s). */
  timeoutMs?: number
  /** Stable period (default TSW_CONVERGE_STABLE_S, else see stablePeriodMs). */
  stableMs?: number
  intervalMs?: number
  now?: () => number
  delay?: (ms: number, signal: AbortSignal) => Promise<void>
  /** Aborting it stops the wait, as Ctrl-C does (default: SIGINT). */
  signal?: AbortSignal
  /** The program name for the "… service ps" hint. */
  bin?: string
}

function envSeconds(name: string): number | undefined {
  const v = process.env[name]
  return v !== undefined && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) * 1000 : undefined
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

const UP_TO_DATE = '_up-to-date'

/** Reads a service, its current tasks and the nodes that are not down. */
export class SnapshotReader {
  // Docker asks for the tasks of the current spec with `_up-to-date`; a manager that refuses the filter gets asked without it.
  private upToDateFilter = true

  constructor(private readonly client: ServiceReader, private readonly ref: string) {}

  async read(): Promise<Snapshot> {
    const service = await this.client.get<Service>(`/services/${encodeURIComponent(this.ref)}`)
    const tasks = await this.tasks(service.ID)
    const nodes = await this.client.get<Node[]>('/nodes')
    return { service, tasks, activeNodes: new Set(nodes.filter((n) => n.Status?.State !== 'down').map((n) => n.ID)) }
  }

  private async tasks(serviceId: string): Promise<Task[]> {
    const filters: Record<string, Record<string, boolean>> = { service: { [serviceId]: true } }
    if (this.upToDateFilter) filters[UP_TO_DATE] = { true: true }
    try {
      return await this.client.get<Task[]>('/tasks', { query: { filters: JSON.stringify(filters) } })
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400 || !this.upToDateFilter) throw err
      this.upToDateFilter = false
      return this.tasks(serviceId)
    }
  }
}

/** Waits until the service `ref` converges, printing progress unless quiet. Throws ConvergenceError or the client's errors. */
export async function waitOnService(client: ServiceReader, ref: string, opts: WaitOptions = {}): Promise<void> {
  const now = opts.now ?? Date.now
  const delay = opts.delay ?? sleep
  const write = opts.write ?? ((s: string) => void process.stdout.write(s))
  const tty = opts.tty ?? !!process.stdout.isTTY
  const renderer: Renderer | undefined = opts.quiet ? undefined : tty ? new TtyRenderer(opts.columns ?? process.stdout.columns ?? 80) : new PlainRenderer()
  const emit = (events: ProgressEvent[]) => {
    const text = renderer?.write(events)
    if (text) write(text)
  }
  const timeoutMs = opts.timeoutMs ?? envSeconds('TSW_CONVERGE_TIMEOUT_S') ?? 300_000
  const monitor = new ConvergenceMonitor({
    ref, stableMs: opts.stableMs ?? envSeconds('TSW_CONVERGE_STABLE_S'),
    previousStatus: opts.previousStatus, rollbackRequested: opts.rollbackRequested,
  })
  const reader = new SnapshotReader(client, ref)
  const interrupt = new AbortController()
  const onSigint = () => interrupt.abort()
  const signal = opts.signal ?? interrupt.signal
  if (!opts.signal) process.once('SIGINT', onSigint)
  try {
    const deadline = now() + timeoutMs
    for (;;) {
      const snap = await reader.read()
      const result = monitor.step(snap, now())
      emit(result.events)
      if (result.error) throw new ConvergenceError(result.error)
      if (result.done) return
      if (now() >= deadline) throw new ConvergenceError(describeNotConverged(ref, snap, timeoutMs))
      await delay(opts.intervalMs ?? 200, signal)
      if (signal.aborted) {
        emit([
          { id: '', action: 'Operation continuing in background.', message: true },
          { id: '', action: `Use \`${opts.bin ?? 'tsw'} service ps ${ref}\` to check progress.`, message: true },
        ])
        return
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint)
  }
}
