// The reverse proxy: a client's Engine API request, sent on to the one engine
// that has the container (or exec), and the engine's answer streamed back:
// status, headers, body (logs -f, wait, stats never time out once they have
// started), or, for a hijacked request (attach, exec start, `docker run`
// without -d), the engine's 101 and then both raw sockets piped, half-closes
// included (the client ends its stdin, the output keeps flowing).

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ApiRequest, ApiResponse } from '../api/http.js'
import type { EngineConnection } from '../engine/index.js'
import { enginePrefix, requestEngine, type EngineRequest } from '../engine/http.js'
import { upgradeClient } from '../api/hijack.js'

// Headers that describe one hop, not the message; Content-Length is recomputed for the re-serialised body.
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade',
  'host', 'content-length', 'proxy-authorization', 'proxy-authenticate',
])
// The manager speaks for itself in these.
const OWN_HEADERS = new Set(['date', 'server', 'api-version'])

/**
 * Forwards req to conn's engine as `path` (no version prefix, no query: the
 * client's version, clamped to what engines speak, and its query are added)
 * and returns the answer to send. The engine's headers must come within
 * timeoutMs; its body then streams with no deadline. For a hijack request
 * answered 101 the sockets are piped here and the returned answer is unused.
 * Rejects with UnavailableError when the engine cannot be reached in time.
 */
export async function forward(conn: EngineConnection, req: ApiRequest, path: string, timeoutMs: number): Promise<ApiResponse> {
  const rawUrl = req.raw.url ?? '/'
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : ''
  const client = upgradeClient(req.raw)
  const ereq: EngineRequest = {
    method: req.method,
    path: enginePrefix(rawUrl) + path + query,
    headers: requestHeaders(req.raw),
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    upgrade: client !== undefined,
  }
  if (ereq.body !== undefined) ereq.headers!['content-type'] = 'application/json'
  const answer = await requestEngine(conn, ereq, timeoutMs)
  if (answer.upgraded && client) {
    client.taken = true
    splice(client.socket, answer.socket, answer.res, answer.head)
    return { status: 101 }
  }
  if (answer.upgraded) {
    answer.socket.destroy()
    return { status: 502, body: { message: `engine ${conn.address.url} upgraded a request that did not ask for it` } }
  }
  return streamed(answer.res)
}

/** An engine's ordinary answer as an ApiResponse whose body is piped as it comes. */
export function streamed(res: IncomingMessage): ApiResponse {
  return {
    status: res.statusCode ?? 502,
    headers: responseHeaders(res),
    stream: (out) => pipeBody(res, out),
  }
}

/** Pipes an engine's body to the client; resolves when it ends, or when the client goes (the engine's request is then dropped). */
export function pipeBody(from: IncomingMessage, out: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      from.destroy()
      resolve()
    }
    out.on('close', stop)
    from.on('end', () => {
      out.off('close', stop)
      resolve()
    })
    from.on('error', stop)
    // Some answers start long before their body (wait, logs -f, events): the client waits for the headers.
    out.flushHeaders()
    from.pipe(out, { end: false })
  })
}

/** The client's headers worth sending on (X-Registry-Auth, Content-Type…), without hop-by-hop ones. */
function requestHeaders(raw: IncomingMessage): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(raw.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue
    out[name] = value
  }
  return out
}

function responseHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || OWN_HEADERS.has(name) || (HOP_BY_HOP.has(name) && name !== 'content-length')) continue
    out[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return out
}

/**
 * Answers the client with the engine's 101 and its headers, then pipes the
 * two connections. An end on one side ends the other's writing side only
 * (stdin closed, output still coming); an error or a close destroys both.
 */
function splice(client: Duplex, engine: Duplex, res: IncomingMessage, head: Buffer): void {
  const lines = [`HTTP/1.1 101 ${res.statusMessage || 'UPGRADED'}`]
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i]!
    if (OWN_HEADERS.has(name.toLowerCase()) || name.toLowerCase() === 'content-length') continue
    lines.push(`${name}: ${res.rawHeaders[i + 1]}`)
  }
  client.write(lines.join('\r\n') + '\r\n\r\n')
  if (head.length) client.write(head)
  const destroy = () => {
    client.destroy()
    engine.destroy()
  }
  client.on('error', destroy)
  engine.on('error', destroy)
  client.on('close', () => engine.destroy())
  engine.on('close', () => {
    if (!client.writableEnded) client.end()
  })
  engine.pipe(client)
  client.pipe(engine)
}
