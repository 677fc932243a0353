// Request/response plumbing shared by every route: JSON in, JSON out, typed
// errors turned into dockerd's status codes and {"message": …} bodies.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { InvalidArgumentError, TswError } from '../errors/index.js'
import { API_VERSION } from './versions.js'

/** What a route handler sees of a request. */
export interface ApiRequest {
  method: string
  /** Path without the /v1.xx prefix. */
  path: string
  /** The API version the client asked for in that prefix (API_VERSION without one). */
  apiVersion?: string
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  /** The caller, from its client certificate (undefined for the open routes). */
  caller?: Caller
  raw: IncomingMessage
}

export interface Caller {
  commonName: string
  organizationalUnit: string
  /** The serial of the caller's own certificate (unset for an identity another manager forwarded). */
  serial?: string
}

/** A handler's answer: a body to send as JSON (or text), or nothing (204). */
export interface ApiResponse {
  status?: number
  body?: unknown
  text?: string
  headers?: Record<string, string>
  /** Streams the body itself (logs); called after the status line and headers are sent. */
  stream?: (res: ServerResponse) => Promise<void>
}

/** The largest request body a route that needs a certificate reads (a service spec is a few KiB). */
export const MAX_BODY_BYTES = 4 << 20
/** The largest body an open route reads: the join handshake sends a token, a public key and an engine address. */
export const MAX_OPEN_BODY_BYTES = 64 << 10
/** How long a request body may take to arrive once its headers are in. */
export const BODY_TIMEOUT_MS = 30_000
/** How long a refused body is still read (and dropped) before the connection is closed. */
const LINGER_MS = 500

/**
 * Reads a request body whole, `limit` bytes at most: a Content-Length past it
 * is refused before anything is read, a body that grows past it (chunked) as
 * soon as it does. Throws TswError 413 (Go's wording, as dockerd's net/http
 * says it) or InvalidArgumentError when the body does not arrive in time.
 * After a throw the connection must not be reused (sendError closes it).
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) return Promise.reject(tooLarge(limit))
  // Events rather than for-await: leaving a for-await destroys the request, and the 413 could not be sent.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const settle = (err?: Error) => {
      clearTimeout(timer)
      req.off('data', onData).off('end', onEnd).off('error', settle)
      if (err) {
        req.pause()
        reject(err)
      } else resolve(Buffer.concat(chunks))
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) return settle(tooLarge(limit))
      chunks.push(chunk)
    }
    const onEnd = () => settle()
    const timer = setTimeout(() => settle(new InvalidArgumentError(`the request body did not arrive within ${BODY_TIMEOUT_MS / 1000} s`)), BODY_TIMEOUT_MS)
    req.on('data', onData).on('end', onEnd).on('error', settle)
  })
}

/** Reads and parses a JSON request body (empty body → undefined), `limit` bytes at most (see readBody). */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  return parseJsonBody(await readBody(req, limit))
}

function tooLarge(limit: number): TswError {
  return new TswError(`http: request body too large (at most ${limit >= 1 << 20 ? `${limit >> 20} MiB` : `${limit >> 10} KiB`} on this route)`, 413)
}

/** Parses a JSON request body read already (empty → undefined). */
export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8').trim()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidArgumentError('invalid JSON in request body')
  }
}

/** Sends an answer the way dockerd does: JSON with a trailing newline. */
export function send(res: ServerResponse, answer: ApiResponse, headOnly = false): void {
  const headers: Record<string, string> = { 'Api-Version': API_VERSION, Server: SERVER, ...answer.headers }
  if (answer.stream) {
    res.writeHead(answer.status ?? 200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream', ...headers })
    answer.stream(res).catch(() => undefined).finally(() => res.end())
    return
  }
  let payload = ''
  if (answer.text !== undefined) {
    payload = answer.text
    headers['Content-Type'] ??= 'text/plain; charset=utf-8'
  } else if (answer.body !== undefined) {
    payload = JSON.stringify(answer.body) + '\n'
    headers['Content-Type'] = 'application/json'
  }
  const status = answer.status ?? (answer.body === undefined && answer.text === undefined ? 204 : 200)
  headers['Content-Length'] = String(Buffer.byteLength(payload))
  res.writeHead(status, headers)
  res.end(headOnly ? undefined : payload)
}

/** Sends an error as {"message": …} with the status its type carries. */
export function sendError(res: ServerResponse, err: unknown): void {
  const status = err instanceof TswError ? err.status : 500
  const message = err instanceof Error ? err.message : String(err)
  if (res.headersSent) return void res.destroy()
  // The rest of a refused (or unread) body is never read: the connection cannot carry another request.
  if (status === 413 || res.req?.complete === false) {
    const socket = res.socket
    // What the client still sends is read and dropped for a moment, so that closing does not reset
    // the connection before it has read the answer (a lingering close, as Go's net/http does): Node
    // would destroy the socket once the answer is written, and a close with unread bytes is a reset
    // that makes the client drop the answer. So: FIN now, read on, destroy after LINGER_MS.
    if (socket) {
      socket.destroySoon = () => {
        socket.end()
        setTimeout(() => socket.destroy(), LINGER_MS).unref()
      }
    }
    res.once('finish', () => res.req?.resume())
    send(res, { status, body: { message }, headers: { Connection: 'close' } })
    return
  }
  send(res, { status, body: { message } })
}

export { API_VERSION } from './versions.js'
export const SERVER = 'tsw/0.1.0 (linux)'
