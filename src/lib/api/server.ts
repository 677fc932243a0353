// The manager's front door: HTTPS with client certificates (mTLS). Every
// route but the open ones (ping and the join handshake) needs a certificate
// signed by the swarm's CA; worker certificates may only act on their own node.
import { createServer, type Server } from 'node:https'
import type { Socket } from 'node:net'
import type { TLSSocket } from 'node:tls'
import { ForbiddenError, NotFoundError } from '../errors/index.js'
import { MAX_BODY_BYTES, MAX_OPEN_BODY_BYTES, parseJsonBody, readJsonBody, send, sendError, type ApiRequest, type Caller } from './http.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { MANAGER_OU } from '../pki/roles.js'
import type { Authorize } from './authorize.js'
import { FORWARDED, FORWARDED_CN, FORWARDED_OU } from './forward.js'
import { stripVersion, type Handler, type Router } from './router.js'

export interface ServerTls {
  key: string
  cert: string
  ca: string
}

/** The caller as its own certificate says (not a forwarded identity). */
function peerOf(req: IncomingMessage): Caller | undefined {
  const socket = req.socket as TLSSocket
  if (!socket.authorized) return undefined
  const peer = socket.getPeerCertificate()
  return { commonName: String(peer.subject?.CN ?? ''), organizationalUnit: String(peer.subject?.OU ?? '') }
}

/**
 * Removes the forwarding headers (forward.ts) from a request that does not come with
 * a manager certificate of this swarm: a client may not speak for another caller,
 * nor mark its request as one hop (not even on the open routes, which a follower
 * passes on with the headers it got).
 */
export function stripForwardedHeaders(req: IncomingMessage): void {
  if (peerOf(req)?.organizationalUnit === MANAGER_OU) return
  delete req.headers[FORWARDED]
  delete req.headers[FORWARDED_CN]
  delete req.headers[FORWARDED_OU]
}

/** How a follower passes requests on to the leader (forward.ts). */
export interface Forwarding {
  must(method: string, path: string, req: IncomingMessage, caller?: Caller): boolean
  /** Relays the request; resolves with its body when this manager is to answer it after all. */
  pass(req: IncomingMessage, res: ServerResponse, caller?: Caller): Promise<Buffer | undefined>
}

/** What one client may hold of the server: slow or endless clients are cut off, others keep being served. */
export const SERVER_LIMITS = {
  /** TLS handshake, from the TCP connection. */
  handshakeTimeoutMs: 10_000,
  /** A request's headers, from its first byte. */
  headersTimeoutMs: 10_000,
  /** A whole request (headers and body); answers (logs -f) are not bound. */
  requestTimeoutMs: 60_000,
  /** Open connections in all, and from one address. */
  maxConnections: 2048,
  maxConnectionsPerAddress: 256,
  /**
   * An idle kept-alive connection, before the server closes it: longer than Go's 90 s idle
   * timeout, so the docker CLI always closes first. With Node's 5 s a POST sent as the server
   * closed was reset (docker stack deploy creates a service after a slower registry query).
   */
  keepAliveTimeoutMs: 100_000,
}

/** An HTTPS server answering the Engine API through `router`. */
export function createApiServer(
  tls: ServerTls, router: Router, authorize: Authorize, forwarding?: Forwarding, managers?: () => string,
  trustForwarder?: (peer: Caller) => Promise<boolean>,
): Server {
  const server = createServer(
    {
      key: tls.key, cert: tls.cert + tls.ca, ca: tls.ca, requestCert: true, rejectUnauthorized: false,
      handshakeTimeout: SERVER_LIMITS.handshakeTimeoutMs,
      headersTimeout: SERVER_LIMITS.headersTimeoutMs,
      requestTimeout: SERVER_LIMITS.requestTimeoutMs,
      // How often those two are checked (30 s by default: a slow client would hold on that long).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      // The managers that run now, for clients to fall back on (client.ts).
      const known = managers?.()
      if (known) res.setHeader('X-Tsw-Managers', known)
      void (async () => {
        try {
          const request = await routeRequest(router, authorize, req, trustForwarder)
          const method = request.method
          if (forwarding?.must(method, request.path, req, peerOf(req))) {
            const body = await forwarding.pass(req, res, request.caller)
            if (!body) return
            request.body = parseJsonBody(body)
          } else if (method === 'POST' || method === 'PUT') {
            request.body = await readJsonBody(req, request.caller ? MAX_BODY_BYTES : MAX_OPEN_BODY_BYTES)
          }
          const answer = await request.route(request)
          send(res, answer, method === 'HEAD')
        } catch (err) {
          sendError(res, err)
        }
      })()
    },
  )
  server.maxConnections = SERVER_LIMITS.maxConnections
  server.keepAliveTimeout = SERVER_LIMITS.keepAliveTimeoutMs
  capPerAddress(server, SERVER_LIMITS.maxConnectionsPerAddress)
  return server
}

/**
 * Makes `listening` answer as `built` would from now on (its request and upgrade
 * handlers), without closing the port: a locked manager's server, once unlocked.
 */
export function handOver(listening: Server, built: Server): void {
  for (const event of ['request', 'upgrade'] as const) {
    listening.removeAllListeners(event)
    for (const fn of built.listeners(event)) listening.on(event, fn as (...args: unknown[]) => void)
  }
}

/** Closes a new connection at once when its address already holds `max`. */
function capPerAddress(server: Server, max: number): void {
  const open = new Map<string, number>()
  server.on('connection', (socket: Socket) => {
    const addr = socket.remoteAddress ?? ''
    const n = open.get(addr) ?? 0
    if (n >= max) return void socket.destroy()
    open.set(addr, n + 1)
    socket.once('close', () => {
      const left = (open.get(addr) ?? 1) - 1
      if (left > 0) open.set(addr, left)
      else open.delete(addr)
    })
  })
}

/**
 * Finds the route of a request and, unless it is open, checks the caller's
 * client certificate and authorisation. Throws NotFoundError, ForbiddenError.
 * Shared by plain requests and upgraded (hijacked) ones.
 */
export async function routeRequest(
  router: Router, authorize: Authorize, req: IncomingMessage, trustForwarder?: (peer: Caller) => Promise<boolean>,
): Promise<ApiRequest & { route: Handler }> {
  stripForwardedHeaders(req)
  const url = new URL(req.url ?? '/', 'https://manager')
  const path = stripVersion(url.pathname)
  const method = req.method ?? 'GET'
  const found = router.match(method, path)
  if (!found) throw new NotFoundError('page not found')
  const socket = req.socket as TLSSocket
  const request: ApiRequest = { method, path, params: found.params, query: url.searchParams, body: undefined, raw: req }
  if (!found.route.open) {
    if (!socket.authorized) {
      throw new ForbiddenError('a client certificate signed by the swarm CA is required: use the bundle in <data-dir>/tls (tsw swarm init/join writes it)', 401)
    }
    const peer = socket.getPeerCertificate()
    request.caller = { commonName: String(peer.subject.CN ?? ''), organizationalUnit: String(peer.subject.OU ?? ''), serial: peer.serialNumber }
    // Forwarded by another manager (forward.ts): it checked the caller; the caller's rights apply.
    // Only a node that is a manager now may speak for another caller (a demoted one keeps its old certificate).
    const cn = req.headers[FORWARDED_CN]
    if (typeof cn === 'string' && request.caller.organizationalUnit === MANAGER_OU && await trustForwarder?.(request.caller)) {
      request.caller = { commonName: cn, organizationalUnit: String(req.headers[FORWARDED_OU] ?? '') }
    }
    await authorize(request.caller, request)
  }
  return { ...request, route: found.route.handler }
}
