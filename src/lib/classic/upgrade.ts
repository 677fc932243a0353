// Requests that ask for a hijacked connection (Connection: Upgrade, Upgrade:
// tcp): docker attach, `docker run` without -d, `docker exec -it`. Node hands
// them to the server's 'upgrade' event with the bare socket, not to its request
// handler; this routes them through the same router, with the same client
// certificate check, and lets the route take the socket (see upgradeClient).
// A route that does not take it answers as usual, on that socket.

import { ServerResponse, type IncomingMessage } from 'node:http'
import type { Server } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { send, sendError } from '../api/http.js'
import type { Router } from '../api/router.js'
import { routeRequest, type Authorize } from '../api/server.js'
import { InvalidArgumentError } from '../errors/index.js'

/** Bounds reading the JSON body that precedes the raw stream (exec start's {"Detach":false,"Tty":true}). */
const BODY_TIMEOUT_MS = 10_000

/** The client's socket of an upgrade request; a route that pipes it sets `taken`, so nothing else answers on it. */
export interface UpgradeClient {
  socket: Duplex
  taken: boolean
}

const clients = new WeakMap<IncomingMessage, UpgradeClient>()

/** The socket of a request that asked for a hijacked connection, or undefined for an ordinary request. */
export function upgradeClient(raw: IncomingMessage): UpgradeClient | undefined {
  return clients.get(raw)
}

/** Serves server's upgrade requests through router (the routes' handlers decide whether to hijack). */
export function serveUpgrades(server: Server, router: Router, authorize: Authorize): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    void onUpgrade(router, authorize, req, socket as TLSSocket, head)
  })
}

async function onUpgrade(router: Router, authorize: Authorize, req: IncomingMessage, socket: TLSSocket, head: Buffer): Promise<void> {
  // The client half-closes when its stdin ends and still reads the output:
  // keep our side open until the engine is done.
  socket.allowHalfOpen = true
  socket.on('error', () => socket.destroy())
  const res = new ServerResponse(req)
  res.shouldKeepAlive = false
  res.assignSocket(socket as Socket)
  res.on('finish', () => socket.end())
  const client: UpgradeClient = { socket, taken: false }
  const method = req.method ?? 'GET'
  try {
    const request = await routeRequest(router, authorize, req)
    request.body = parseBody(await readBody(req, socket, head))
    clients.set(req, client)
    const answer = await request.route(request)
    if (!client.taken) send(res, answer, method === 'HEAD')
  } catch (err) {
    if (client.taken) socket.destroy()
    else sendError(res, err)
  }
}

/**
 * The request body that came with the upgrade request (Content-Length bytes:
 * Node stops parsing at the headers), from `head` and then the socket. Bytes
 * past the body belong to the raw stream and go back to the socket.
 */
async function readBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Buffer> {
  if (req.headers['transfer-encoding']) throw new InvalidArgumentError('a chunked body cannot precede a hijacked stream: send Content-Length')
  const length = Number(req.headers['content-length'] ?? 0)
  if (!Number.isInteger(length) || length < 0) throw new InvalidArgumentError('invalid Content-Length')
  let have = head
  if (have.length < length) {
    have = await new Promise<Buffer>((resolve, reject) => {
      const chunks = [have]
      let size = have.length
      const done = (err?: Error) => {
        clearTimeout(timer)
        socket.off('data', onData)
        socket.off('end', onEnd)
        socket.pause()
        if (err) reject(err)
        else resolve(Buffer.concat(chunks))
      }
      const onData = (chunk: Buffer) => {
        chunks.push(chunk)
        size += chunk.length
        if (size >= length) done()
      }
      const onEnd = () => done(new InvalidArgumentError('the connection ended before the request body'))
      const timer = setTimeout(() => done(new InvalidArgumentError(`no request body within ${BODY_TIMEOUT_MS} ms`)), BODY_TIMEOUT_MS)
      socket.on('data', onData)
      socket.on('end', onEnd)
      socket.resume()
    })
  }
  if (have.length > length) socket.unshift(have.subarray(length))
  return have.subarray(0, length)
}

function parseBody(bytes: Buffer): unknown {
  const text = bytes.toString('utf8').trim()
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new InvalidArgumentError('invalid JSON in request body')
  }
}
