// One engine's container events for one cluster, as a callback that survives
// the engine going away: the stream is reopened with backoff (asking the engine
// to replay what was missed), and a silent stream is checked with a ping.

import type Dockerode from 'dockerode'
import type { EngineConnection } from '../engine/index.js'
import { engineCall } from '../engine/call.js'
import { LABEL_CLUSTER_ID, serviceIdOfContainer, taskIdOfContainer } from './labels.js'
import { LineSplitter } from './lines.js'

/** The container actions the executor follows by default. */
export const WATCHED_ACTIONS = ['start', 'die', 'oom', 'destroy', 'health_status'] as const

/** start, die, oom, destroy, or "health_status: healthy|unhealthy|starting". */
export type ContainerEventAction = 'start' | 'die' | 'oom' | 'destroy' | `health_status${string}` | (string & {})

/** A container event, reduced to what the executor uses. */
export interface ContainerEvent {
  containerId: string
  taskId?: string
  serviceId?: string
  /** The container's name. */
  name?: string
  action: ContainerEventAction
  /** For die: the container's exit code. */
  exitCode?: number
  /** The engine's time of the event, unix ms. */
  time: number
}

/** Tuning for watchContainerEvents. */
export interface WatchOptions {
  /** Actions to ask for; default WATCHED_ACTIONS ("health_status" matches every health status). */
  actions?: readonly string[]
  /** Deadline to open the stream; default 30 000 ms. */
  connectTimeoutMs?: number
  /** After this long without an event (up to half as long again: jitter) the engine is pinged; default 15 000 ms. */
  idleCheckMs?: number
  /** Deadline of that ping; a miss reopens the stream; default 5 000 ms. */
  pingTimeoutMs?: number
  /** First and longest wait between attempts to reopen; default 250 and 10 000 ms. */
  minBackoffMs?: number
  maxBackoffMs?: number
  /** Called each time the stream opens; `reconnected` is false the first time. After a reconnect, list containers: the engine's replay may not cover everything (e.g. it restarted). */
  onConnect?: (reconnected: boolean) => void
  /** Called when an open stream is lost (the engine may be gone: worth a health check now). */
  onDisconnect?: (why: string) => void
}

/** A running watch. */
export interface EventWatch {
  /** Resolves when the stream is first open (events from then on are reported). */
  ready: Promise<void>
  /** Whether the stream is open now. */
  readonly connected: boolean
  /** Ends the watch for good. */
  stop(): void
}

interface RawEvent {
  Type?: string
  Action?: string
  status?: string
  id?: string
  Actor?: { ID?: string; Attributes?: Record<string, string> }
  time?: number
  timeNano?: number
}

/** Follows conn's container events labelled with clusterId, calling onEvent for each, until stop(). */
export function watchContainerEvents(
  conn: EngineConnection,
  clusterId: string,
  onEvent: (e: ContainerEvent) => void,
  log: (msg: string) => void,
  opts: WatchOptions = {},
): EventWatch {
  const url = conn.address.url
  const actions = opts.actions ?? WATCHED_ACTIONS
  const connectTimeoutMs = opts.connectTimeoutMs ?? 30_000
  const idleCheckMs = opts.idleCheckMs ?? 15_000
  const pingTimeoutMs = opts.pingTimeoutMs ?? 5_000
  const minBackoffMs = opts.minBackoffMs ?? 250
  const maxBackoffMs = opts.maxBackoffMs ?? 10_000

  let stopped = false
  let connected = false
  let everConnected = false
  let backoff = minBackoffMs
  let failures = 0
  let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | undefined
  let controller: AbortController | undefined
  let retryTimer: NodeJS.Timeout | undefined
  let idleTimer: NodeJS.Timeout | undefined
  // Replay on reconnect starts a little before the last event seen; events
  // seen in that window are recognised and skipped.
  let lastSec: number | undefined
  const recent = new Map<string, number>()
  let markReady!: () => void
  const ready = new Promise<void>((resolve) => { markReady = resolve })

  const deliver = (raw: RawEvent): void => {
    if (raw.Type && raw.Type !== 'container') return
    const attrs = raw.Actor?.Attributes ?? {}
    if (attrs[LABEL_CLUSTER_ID] !== clusterId) return
    const containerId = raw.Actor?.ID ?? raw.id ?? ''
    const action = raw.Action ?? raw.status ?? ''
    const sec = raw.time ?? Math.floor((raw.timeNano ?? Date.now() * 1e6) / 1e9)
    const key = `${containerId}|${action}|${raw.timeNano ?? sec}`
    if (recent.has(key)) return
    recent.set(key, sec)
    if (lastSec === undefined || sec > lastSec) {
      lastSec = sec
      for (const [k, s] of recent) if (s < sec - 2) recent.delete(k)
    }
    const event: ContainerEvent = {
      containerId,
      action,
      time: raw.timeNano !== undefined ? Math.floor(raw.timeNano / 1e6) : sec * 1000,
    }
    const taskId = taskIdOfContainer(attrs)
    if (taskId) event.taskId = taskId
    const serviceId = serviceIdOfContainer(attrs)
    if (serviceId) event.serviceId = serviceId
    if (attrs.name) event.name = attrs.name
    if (attrs.exitCode !== undefined && attrs.exitCode !== '') event.exitCode = Number(attrs.exitCode)
    try {
      onEvent(event)
    } catch (err) {
      log(`engine ${url}: event handler failed on ${action} of ${containerId}: ${(err as Error).message}`)
    }
  }

  const armIdleCheck = (): void => {
    clearTimeout(idleTimer)
    if (stopped || !connected) return
    idleTimer = setTimeout(() => {
      const current = stream
      engineCall(url, 'ping', pingTimeoutMs, (abortSignal) =>
        (conn.docker.ping as unknown as (o: { abortSignal: AbortSignal }) => Promise<unknown>).call(conn.docker, { abortSignal }),
      ).then(
        () => { if (stream === current) armIdleCheck() },
        (err: Error) => { if (stream === current) drop(`engine silent and ping failed: ${err.message}`) },
      )
    }, idleCheckMs * (1 + Math.random() / 2)) // jittered: thousands of quiet streams do not ping their engines together
    idleTimer.unref?.()
  }

  const drop = (why: string): void => {
    if (stopped) return
    const wasConnected = connected
    connected = false
    clearTimeout(idleTimer)
    const s = stream
    stream = undefined
    controller?.abort()
    s?.destroy?.()
    if (wasConnected) {
      log(`engine ${url}: event stream lost (${why}), reconnecting`)
      try { opts.onDisconnect?.(why) } catch (err) { log(`engine ${url}: onDisconnect failed: ${(err as Error).message}`) }
    }
    scheduleConnect()
  }

  const scheduleConnect = (): void => {
    if (stopped || retryTimer) return
    const wait = backoff
    backoff = Math.min(backoff * 2, maxBackoffMs)
    retryTimer = setTimeout(() => { retryTimer = undefined; connect() }, wait)
  }

  const connect = (): void => {
    if (stopped) return
    const ctl = new AbortController()
    controller = ctl
    const timer = setTimeout(() => ctl.abort(), connectTimeoutMs)
    const options: Dockerode.GetEventsOptions & { abortSignal: AbortSignal } = {
      filters: { type: ['container'], label: [`${LABEL_CLUSTER_ID}=${clusterId}`], event: [...actions] } as Dockerode.GetEventsOptions['filters'],
      abortSignal: ctl.signal,
    }
    if (lastSec !== undefined) options.since = lastSec - 1
    conn.docker.getEvents(options).then((s) => {
      clearTimeout(timer)
      const opened = s as NodeJS.ReadableStream & { destroy?: () => void }
      if (stopped || controller !== ctl) { opened.destroy?.(); return }
      stream = opened
      connected = true
      backoff = minBackoffMs
      failures = 0
      const reconnected = everConnected
      everConnected = true
      markReady()
      try { opts.onConnect?.(reconnected) } catch (err) { log(`engine ${url}: onConnect failed: ${(err as Error).message}`) }
      armIdleCheck()
      const lines = new LineSplitter((line) => {
        if (!line.trim()) return
        let raw: RawEvent
        try { raw = JSON.parse(line) as RawEvent } catch { log(`engine ${url}: unreadable event ${JSON.stringify(line.slice(0, 200))}`); return }
        deliver(raw)
      })
      opened.on('data', (chunk: Buffer | string) => {
        if (stream !== opened) return
        armIdleCheck()
        lines.push(chunk)
      })
      opened.on('error', (err: Error) => { if (stream === opened) drop(err.message) })
      opened.on('end', () => { if (stream === opened) drop('the engine ended it') })
      opened.on('close', () => { if (stream === opened) drop('connection closed') })
    }, (err: Error) => {
      clearTimeout(timer)
      if (stopped || controller !== ctl) return
      const why = ctl.signal.aborted ? `no answer within ${connectTimeoutMs} ms` : err.message
      failures++
      // The first failure, then about once a minute at the longest backoff.
      if (failures === 1 || failures % 6 === 0) log(`engine ${url}: cannot open the event stream: ${why}`)
      scheduleConnect()
    })
  }

  connect()

  return {
    ready,
    get connected() { return connected },
    stop() {
      if (stopped) return
      stopped = true
      connected = false
      clearTimeout(retryTimer)
      clearTimeout(idleTimer)
      controller?.abort()
      stream?.destroy?.()
      stream = undefined
    },
  }
}
