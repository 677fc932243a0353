// Requests that ask for a hijacked connection (Connection: Upgrade, Upgrade:
// tcp): docker attach, `docker run` without -d, `docker exec -it`. Node hands
// them to the server's 'upgrade' event with the bare socket, not to its request
// handler; this routes them through the same router, with the same client
// certificate check, and lets the route take the socket (hijack.ts).
// A route that does not take it answers as usual, on that socket.

import { ServerResponse, type IncomingMessage } from 'node:http'
import type { Server } from 'node:https'
import type { Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { InvalidArgumentError, TswError } from '../errors/index.js'
import type { Authorize } from './authorize.js'
import { holdUpgradeClient, type UpgradeClient } from './hijack.js'
import { MAX_BODY_BYTES, parseJsonBody, send, sendError } from './http.js'
import type { Router } from './router.js'
import { routeRequest } from './server.js'

/** Bounds reading the JSON body that precedes the raw stream (exec start's {"Detach":false,"Tty":true}). */
const BODY_TIMEOUT_MS = 10_000

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
    request.body = parseJsonBody(await upgradeBody(req, socket, head))
    holdUpgradeClient(req, client)
    const answer = await request.route(request)
    if (!client.taken) send(res, answer, method === 'HEAD')
  } catch (err) {
    if (client.taken) socket.destroy()
    else sendError(res, err)
  }
}

/**
 * The request body that came with the upgrade request (Content-Length bytes:
 * Node stops parsing at the headers), from `head` and then the socket, at most
 * http.ts's MAX_BODY_BYTES. Bytes past the body belong to the raw stream and go
 * back to the socket.
 */
async function upgradeBody(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<Buffer> {
  if (req.headers['transfer-encoding']) throw new InvalidArgumentError('a chunked body cannot precede a hijacked stream: send Content-Length')
  const length = Number(req.headers['content-length'] ?? 0)
  if (!Number.isInteger(length) || length < 0) throw new InvalidArgumentError('invalid Content-Length')
  if (length > MAX_BODY_BYTES) throw new TswError(`http: request body too large (at most ${MAX_BODY_BYTES >> 20} MiB on this route)`, 413)
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
