// Raw HTTP to one engine, over the transport of its EngineConnection (tcp,
// TLS, unix socket or SSH channel). The reverse proxy and the classic routes'
// own engine calls (classic/) use it: every request has a deadline on its answer's
// headers, none on a streamed body, and failures are typed errors that carry
// the engine's own message.

import http from 'node:http'
import https from 'node:https'
import type { Duplex } from 'node:stream'
import { TswError, UnavailableError } from '../errors/index.js'
import type { EngineConnection } from './connect.js'
import { engineError } from './errors.js'
import { engineRequestOptions } from './raw.js'

/** The Engine API version the lab's 20.10 engines speak at most; newer request paths are sent as this. */
export const ENGINE_API_VERSION = '1.41'

/** Default deadline of an ordinary engine call (inspect, list, create…). */
export const CALL_TIMEOUT_MS = 10_000

/** One request to an engine. */
export interface EngineRequest {
  method: string
  /** Path and query, e.g. /v1.41/containers/json?all=1. */
  path: string
  headers?: http.OutgoingHttpHeaders
  body?: Buffer | string
  /** Asks for a hijacked connection (Connection: Upgrade, Upgrade: tcp), as docker attach and exec do. */
  upgrade?: boolean
  /** The agent that keeps connections (tcp engines only; an SSH engine's is its tunnel's). */
  agent?: http.Agent
}

/** The engine's answer: a response whose body is still to be read, or a hijacked connection after its 101. */
export type EngineAnswer =
  | { upgraded: false; res: http.IncomingMessage }
  | { upgraded: true; res: http.IncomingMessage; socket: Duplex; head: Buffer }

/**
 * Sends ereq to conn's engine. Resolves once the answer's headers arrive
 * (whatever the status), within timeoutMs; the body then streams without a
 * deadline. Rejects with UnavailableError when the engine cannot be reached or
 * does not answer in time. `signal` aborts the request at any point.
 */
export function requestEngine(conn: EngineConnection, ereq: EngineRequest, timeoutMs: number, signal?: AbortSignal): Promise<EngineAnswer> {
  const options = engineRequestOptions(conn)
  const url = conn.address.url
  const headers: http.OutgoingHttpHeaders = { ...ereq.headers }
  if (ereq.upgrade) {
    headers.Connection = 'Upgrade'
    headers.Upgrade = 'tcp'
  }
  if (ereq.body !== undefined) headers['Content-Length'] = Buffer.byteLength(ereq.body)
  const send = options.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
    }
    const agent = ereq.agent && !options.agent && !options.socketPath ? { agent: ereq.agent } : {}
    const req = send({ ...options, ...agent, method: ereq.method, path: ereq.path, headers, signal })
    const timer = setTimeout(() => {
      settle(() => reject(new UnavailableError(`engine ${url}: no answer to ${ereq.method} ${ereq.path} within ${timeoutMs} ms`)))
      req.destroy()
    }, timeoutMs)
    req.on('response', (res) => settle(() => resolve({ upgraded: false, res })))
    req.on('upgrade', (res, socket, head) => settle(() => resolve({ upgraded: true, res, socket, head })))
    req.on('error', (err) => settle(() => reject(new UnavailableError(`cannot reach engine ${url}: ${err.message}`))))
    req.end(ereq.body)
  })
}

/**
 * A JSON call: sends body (if any) as JSON and parses the answer, all within
 * timeoutMs. An error answer throws the typed error of its status with the
 * engine's message (NotFoundError "No such container: x", ConflictError…).
 */
export async function engineJson<T>(conn: EngineConnection, method: string, path: string, body?: unknown, timeoutMs = CALL_TIMEOUT_MS): Promise<T> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  try {
    const answer = await requestEngine(conn, {
      method, path,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }, timeoutMs, controller.signal)
    if (answer.upgraded) {
      answer.socket.destroy()
      throw new UnavailableError(`engine ${conn.address.url}: unexpected upgrade answering ${method} ${path}`)
    }
    const text = (await readAll(answer.res)).toString('utf8')
    const status = answer.res.statusCode ?? 500
    if (status >= 400) throw engineError(status, text)
    return (text.trim() ? JSON.parse(text) : undefined) as T
  } catch (err) {
    if (controller.signal.aborted && !(err instanceof TswError)) {
      throw new UnavailableError(`engine ${conn.address.url}: no answer to ${method} ${path} within ${timeoutMs} ms`)
    }
    if (err instanceof SyntaxError) throw new UnavailableError(`engine ${conn.address.url}: invalid JSON answering ${method} ${path}`)
    throw err
  } finally {
    clearTimeout(timer)
  }
}

/** The most of an engine's (non-streamed) answer read: a container list of a busy engine is a few MiB. */
export const MAX_ENGINE_ANSWER_BYTES = 64 << 20

/** Reads a stream to its end, `limit` bytes at most. Throws UnavailableError past it (a broken or hostile engine). */
export async function readAll(stream: NodeJS.ReadableStream, limit = MAX_ENGINE_ANSWER_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    size += b.length
    if (size > limit) {
      const readable = stream as NodeJS.ReadableStream & { destroy?: () => void }
      readable.destroy?.()
      throw new UnavailableError(`an engine's answer is larger than ${limit >> 20} MiB: refused`)
    }
    chunks.push(b)
  }
  return Buffer.concat(chunks)
}

/**
 * The /vX.Y prefix to send to an engine for a client's request URL: the
 * client's own version when the engines speak it, ENGINE_API_VERSION when the
 * client asked for a newer one, none when the client gave none.
 */
export function enginePrefix(rawUrl: string): string {
  const m = /^\/v(\d+)\.(\d+)(?=\/)/.exec(rawUrl)
  if (!m) return ''
  const [major, minor] = ENGINE_API_VERSION.split('.').map(Number)
  const newer = Number(m[1]) > major! || (Number(m[1]) === major && Number(m[2]) > minor!)
  return newer ? `/v${ENGINE_API_VERSION}` : `/v${m[1]}.${m[2]}`
}
