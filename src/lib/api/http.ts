// Request/response plumbing shared by every route: JSON in, JSON out, typed
// errors turned into dockerd's status codes and {"message": …} bodies.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { InvalidArgumentError, TswError } from '../errors/index.js'

/** What a route handler sees of a request. */
export interface ApiRequest {
  method: string
  /** Path without the /v1.xx prefix. */
  path: string
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

/** Reads and parses a JSON request body (empty body → undefined); also the body before a hijacked stream (upgrade.ts). */
export async function readJsonBody(req: AsyncIterable<Buffer>): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return parseJsonBody(Buffer.concat(chunks))
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
  send(res, { status, body: { message } })
}

/** The Engine API version this manager speaks. */
export const API_VERSION = '1.41'
export const SERVER = 'tsw/0.1.0 (linux)'
