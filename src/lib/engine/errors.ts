// An engine's failures as typed errors that carry the engine's own message
// ("No such image: …") without dockerode's decoration: one status → error
// mapping for dockerode errors (typedEngineError) and raw HTTP answers
// (engineError) alike.

import {
  ConflictError, InvalidArgumentError, NotFoundError, TswError, UnavailableError,
} from '../errors/index.js'

/** An engine's answer that was an HTTP error, as dockerode reports it. */
interface DockerodeError {
  message?: string
  statusCode?: number
  code?: string
  json?: unknown
}

/** The engine's own message in a dockerode error ("No such container: …"), else the error's message. */
export function engineMessage(err: unknown): string {
  const e = err as DockerodeError | undefined
  const json = e?.json
  if (json && typeof json === 'object' && !Buffer.isBuffer(json)) {
    const m = (json as { message?: unknown }).message
    if (typeof m === 'string' && m) return m
  }
  if (Buffer.isBuffer(json) && json.length) {
    const text = json.toString('utf8').trim()
    if (text) return text
  }
  const message = e?.message ?? String(err)
  // "(HTTP code 404) no such container - No such container: x ", "(HTTP code 304) container already stopped - "
  const m = /^\(HTTP code \d+\) ([^-]*)- (.*)$/s.exec(message)
  if (m) return m[2]!.trim() || m[1]!.trim()
  return message.trim()
}

/** The HTTP status of an engine's error answer, if it was one (also on errors typedEngineError made). */
export function engineStatus(err: unknown): number | undefined {
  const e = err as (DockerodeError & { engineStatus?: number }) | undefined
  const status = e?.statusCode ?? e?.engineStatus
  return typeof status === 'number' ? status : undefined
}

/** Maps a dockerode failure to a typed error: 404 NotFound, 409 Conflict, 400 InvalidArgument, no answer Unavailable. */
export function typedEngineError(url: string, err: unknown): TswError {
  if (err instanceof TswError) return err
  const status = engineStatus(err)
  const typed = typedError(url, err, status, engineMessage(err))
  if (status !== undefined) Object.defineProperty(typed, 'engineStatus', { value: status, enumerable: false })
  return typed
}

function typedError(url: string, err: unknown, status: number | undefined, message: string): TswError {
  if (status !== undefined) return statusError(status, message)
  const code = (err as DockerodeError | undefined)?.code
  const why = code && !message.includes(code) ? `${code}: ${message}` : message
  return new UnavailableError(`cannot reach engine ${url}: ${why}`)
}

/** The typed error of an engine's error answer: its status and its {"message"} (or text). */
export function engineError(status: number, text: string): TswError {
  let message = text.trim()
  try {
    const m = (JSON.parse(text) as { message?: unknown }).message
    if (typeof m === 'string') message = m
  } catch { /* not JSON: keep the text */ }
  return statusError(status, message)
}

/** The typed error of an HTTP status: 404 NotFound, 409 Conflict, 400 InvalidArgument, else a TswError of that status (500 if it is none). */
export function statusError(status: number, message: string): TswError {
  switch (status) {
    case 404: return new NotFoundError(message)
    case 409: return new ConflictError(message)
    case 400: return new InvalidArgumentError(message)
    default: return new TswError(message, status >= 400 && status < 600 ? status : 500)
  }
}
