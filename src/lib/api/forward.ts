// Followers serve reads from the store themselves and pass everything else to
// the leader, so a client may talk to any manager and never hears "not the
// leader". The follower has already checked the caller's certificate; it
// forwards with its own manager certificate and says who the caller is in
// headers, which the leader trusts from managers only (server.ts).
//
// While no leader is known (an election under way) a forward waits for one,
// FORWARD_WAIT_MS at most. A request is sent again to a (new) leader only when
// the connection to the old one failed before anything was sent, so no write
// is applied twice.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { request } from 'node:https'
import { UnavailableError } from '../errors/index.js'
import { MANAGER_OU } from '../pki/roles.js'
import type { ApiContext } from './context.js'
import { MAX_BODY_BYTES, MAX_OPEN_BODY_BYTES, readBody, type Caller } from './http.js'
import type { RunningManager } from '../cluster/index.js'


/** Set on a forwarded request: its receiver serves it whether it leads or not (one hop). */
export const FORWARDED = 'x-tsw-forwarded'
export const FORWARDED_CN = 'x-tsw-forwarded-cn'
export const FORWARDED_OU = 'x-tsw-forwarded-ou'

const FORWARD_WAIT_MS = 15_000
const CONNECT_TIMEOUT_MS = 2_000
/** How long the leader may take to answer (headers) once connected: service create checks the image first. */
const ANSWER_TIMEOUT_MS = 25_000
/** Writes about this manager itself, answered by it whoever leads. */
const LOCAL_WRITES = new Set(['/swarm/leave', '/swarm/init', '/swarm/join', '/tsw/renew'])

/** Whether any manager answers this request itself (reads of the store), rather than the leader. */
export function servedByAnyManager(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD') return !/\/logs$/.test(path) && !path.startsWith('/distribution/')
  return LOCAL_WRITES.has(path)
}

/**
 * Whether this manager must pass the request on to the leader. The one-hop
 * mark counts only from another manager (`caller`, checked by its certificate).
 */
export function mustForward(ctx: Pick<ApiContext, 'membership'>, method: string, path: string, req: IncomingMessage, caller?: Caller): boolean {
  if (ctx.membership.isLeader || servedByAnyManager(method, path)) return false
  return req.headers[FORWARDED] === undefined || caller?.organizationalUnit !== MANAGER_OU
}

/**
 * Sends the request on to the leader and its answer back; resolves with the
 * request's body instead when this manager came to lead meanwhile (it answers
 * itself then). Throws UnavailableError when no leader answers in time.
 */
export async function forwardToLeader(ctx: ApiContext, req: IncomingMessage, res: ServerResponse, caller?: Caller): Promise<Buffer | undefined> {
  // Open routes (the join handshake) come without a caller: they get the small cap.
  const body = await readBody(req, caller ? MAX_BODY_BYTES : MAX_OPEN_BODY_BYTES)
  const deadline = Date.now() + FORWARD_WAIT_MS
  let last = 'no manager leads the swarm'
  while (Date.now() < deadline) {
    if (ctx.membership.isLeader) return body
    const [leader] = await ctx.membership.managers()
    if (leader && leader.NodeID !== ctx.config.NodeID) {
      const sent = await passOn(ctx, leader, req, body, res, caller)
      if (sent === true) return undefined
      last = `the leader at ${leader.Addr} did not answer (${sent})`
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new UnavailableError(`${last} within ${FORWARD_WAIT_MS / 1000} s: the request was not applied. If etcd lost its quorum, the swarm accepts changes again once it is back`)
}

/** true once the leader's answer is being relayed; the connect error's text when nothing reached it. */
function passOn(ctx: ApiContext, leader: RunningManager, req: IncomingMessage, body: Buffer, res: ServerResponse, caller?: Caller): Promise<true | string> {
  const addr = leader.Addr
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(addr)
  if (!m) return Promise.resolve(`bad address ${addr}`)
  const tls = ctx.managerTls()
  const headers: OutgoingHttpHeaders = { ...req.headers, [FORWARDED]: ctx.config.NodeID, 'content-length': String(body.length) }
  delete headers.host
  delete headers.connection
  delete headers['transfer-encoding']
  // Only this manager says who the caller is (server.ts has stripped a client's own).
  delete headers[FORWARDED_CN]
  delete headers[FORWARDED_OU]
  if (caller) {
    headers[FORWARDED_CN] = caller.commonName
    headers[FORWARDED_OU] = caller.organizationalUnit
  }
  return new Promise((resolve) => {
    let connected = false
    const out = request({
      host: m[1] ?? m[2], port: Number(m[3]), method: req.method, path: req.url, headers,
      key: tls.key, cert: tls.cert, ca: ctx.ca.certPem, agent: false,
      // The caller's request goes only to the leader's own manager certificate of this swarm.
      checkServerIdentity: (_host, cert) => leaderCertError(cert.subject, leader.NodeID, ctx.config.ClusterID),
    }, (answer) => {
      resolve(true)
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
      res.once('close', () => answer.destroy())
      // The leader gone halfway through its answer (a followed log, say): end the client's too.
      answer.once('aborted', () => res.destroy())
      answer.once('error', () => res.destroy())
    })
    const timer = setTimeout(() => out.destroy(Object.assign(new Error('connect timeout'), { code: 'ECONNTIMEOUT' })), CONNECT_TIMEOUT_MS)
    // Connected: the answer's headers are due within ANSWER_TIMEOUT_MS (a leader cut off now answers nothing).
    let answerTimer: NodeJS.Timeout | undefined
    out.once('socket', (s) => s.once('secureConnect', () => {
      connected = true
      clearTimeout(timer)
      answerTimer = setTimeout(() => out.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS)
    }))
    out.once('response', () => clearTimeout(answerTimer))
    out.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      clearTimeout(answerTimer)
      if (!connected) return resolve(err.code ?? err.message)
      // Sent, and the leader went away before answering: it may have applied it.
      if (!res.headersSent) {
        const message = `the leader at ${addr} went away while handling this request (${err.message}): it may or may not have been applied; check, then retry`
        res.writeHead(503, { 'Content-Type': 'application/json' })
        res.end(JSON.stringify({ message }) + '\n')
      } else res.destroy()
      resolve(true)
    })
    out.end(body)
  })
}

/** Why a certificate is not the leader's manager certificate of this swarm; undefined when it is. */
export function leaderCertError(subject: { CN?: string | string[]; OU?: string | string[]; O?: string | string[] } | undefined, nodeId: string, clusterId: string): Error | undefined {
  const one = (v?: string | string[]) => (Array.isArray(v) ? v.join(',') : v ?? '')
  if (one(subject?.OU) === MANAGER_OU && one(subject?.O) === clusterId && one(subject?.CN) === nodeId) return undefined
  return new Error(`the leader's address presents ${one(subject?.CN) || 'a certificate'} (${one(subject?.OU) || 'no role'}), not the manager certificate of node ${nodeId} of this swarm`)
}
