// The one way to call an engine with a deadline: no hung promise when an
// engine's link is cut. engineCall turns failures into typed errors (errors.ts);
// withDeadline, for ping and probe, turns every failure into UnavailableError.

import { UnavailableError } from '../errors/index.js'
import { engineCallObservers, secondsSince } from '../metrics/hooks.js'
import type { EngineConnection } from './connect.js'
import { typedEngineError } from './errors.js'

/**
 * Runs request(signal) and settles within timeoutMs: on time-out the signal
 * aborts the request and the promise rejects with onTimeout(). Other failures
 * pass through mapError.
 */
export async function raceDeadline<T>(
  timeoutMs: number,
  onTimeout: () => Error,
  mapError: (err: unknown) => Error,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(onTimeout())
      controller.abort()
    }, timeoutMs)
  })
  try {
    return await Promise.race([request(controller.signal), deadline])
  } catch (err) {
    throw mapError(err)
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Runs request(signal) against conn's engine and settles within timeoutMs.
 * Failures become UnavailableError ("cannot reach engine URL: …"), HTTP error
 * answers included.
 */
export function withDeadline<T>(
  conn: EngineConnection,
  timeoutMs: number,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return raceDeadline(
    timeoutMs,
    () => new UnavailableError(`cannot reach engine ${conn.address.url}: no answer within ${timeoutMs} ms`),
    (err) => (err instanceof UnavailableError ? err : unavailable(conn, err)),
    request,
  )
}

/**
 * Runs request(signal) and settles within timeoutMs: on time-out the signal
 * aborts the request and the promise rejects with UnavailableError naming the
 * engine and what was asked. Failures become typed errors (typedEngineError).
 */
export function engineCall<T>(
  url: string,
  what: string,
  timeoutMs: number,
  request: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const call = raceDeadline(
    timeoutMs,
    () => new UnavailableError(`engine ${url}: no answer to ${what} within ${timeoutMs} ms`),
    (err) => typedEngineError(url, err),
    request,
  )
  if (!engineCallObservers.size) return call
  // The metrics' engine call latency (metrics/hooks.ts): nothing to do when nobody listens.
  const start = process.hrtime.bigint()
  const tell = (ok: boolean) => {
    for (const fn of engineCallObservers) fn(url, what.split(' ')[0] ?? what, secondsSince(start), ok)
  }
  call.then(() => tell(true), () => tell(false))
  return call
}

// withDeadline's failure: the reason, without dockerode's padding, with the socket error code.
function unavailable(conn: EngineConnection, err: unknown): UnavailableError {
  const e = err as { message?: string; statusCode?: number; code?: string }
  let why = e?.message ?? String(err)
  if (e?.statusCode) why = why.replace(/\s+$/, '') // dockerode pads its HTTP errors
  else if (e?.code && !why.includes(e.code)) why = `${e.code}: ${why}`
  return new UnavailableError(`cannot reach engine ${conn.address.url}: ${why}`)
}
