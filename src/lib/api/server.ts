// The manager's front door: HTTPS with client certificates (mTLS). Every
// route but the open ones (ping and the join handshake) needs a certificate
// signed by the swarm's CA; worker certificates may only act on their own node.
import { createServer, type Server } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { ForbiddenError, NotFoundError } from '../errors/index.js'
import { parseJsonBody, readJsonBody, send, sendError, type ApiRequest, type Caller } from './http.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { MANAGER_OU } from '../pki/roles.js'
import type { Authorize } from './authorize.js'
import { FORWARDED_CN, FORWARDED_OU } from './forward.js'
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

/** How a follower passes requests on to the leader (forward.ts). */
export interface Forwarding {
  must(method: string, path: string, req: IncomingMessage, caller?: Caller): boolean
  /** Relays the request; resolves with its body when this manager is to answer it after all. */
  pass(req: IncomingMessage, res: ServerResponse, caller?: Caller): Promise<Buffer | undefined>
}

/** An HTTPS server answering the Engine API through `router`. */
export function createApiServer(
  tls: ServerTls, router: Router, authorize: Authorize, forwarding?: Forwarding, managers?: () => string,
  trustForwarder?: (peer: Caller) => Promise<boolean>,
): Server {
  return createServer(
    { key: tls.key, cert: tls.cert + tls.ca, ca: tls.ca, requestCert: true, rejectUnauthorized: false },
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
          } else if (method === 'POST' || method === 'PUT') request.body = await readJsonBody(req)
          const answer = await request.route(request)
          send(res, answer, method === 'HEAD')
        } catch (err) {
          sendError(res, err)
        }
      })()
    },
  )
}

/**
 * Finds the route of a request and, unless it is open, checks the caller's
 * client certificate and authorisation. Throws NotFoundError, ForbiddenError.
 * Shared by plain requests and upgraded (hijacked) ones.
 */
export async function routeRequest(
  router: Router, authorize: Authorize, req: IncomingMessage, trustForwarder?: (peer: Caller) => Promise<boolean>,
): Promise<ApiRequest & { route: Handler }> {
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
    request.caller = { commonName: String(peer.subject.CN ?? ''), organizationalUnit: String(peer.subject.OU ?? '') }
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
