// The cluster page's routes on the observability address: GET / (the page),
// GET /ui/stream (Server-Sent Events: a `state` snapshot at once and after
// store changes, a `swarm` message per docker event). Both need the page token,
// as ?token= once (then a cookie) or the cookie.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ClusterEvents } from '../events/index.js'
import type { PageHandler } from '../metrics/index.js'
import type { Store } from '../store/index.js'
import { pageHtml } from './page.js'
import { snapshot } from './snapshot.js'
import { tokenMatches } from './token.js'

export interface PageOptions {
  store: Store
  events: ClusterEvents
  token: string
  /** The leader's node ID now, for the page to mark it. */
  leader: () => Promise<string | undefined>
}

const COOKIE = 'tsw_page'
/** Store changes arriving together make one snapshot (ms). */
const COALESCE_MS = 100

/** The page's request handler. */
export function pageHandler(opts: PageOptions): PageHandler {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://manager')
    if (req.method !== 'GET' || (url.pathname !== '/' && url.pathname !== '/ui/stream')) return false
    const given = url.searchParams.get('token') ?? cookie(req, COOKIE)
    if (!tokenMatches(opts.token, given ?? undefined)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('the cluster page needs its token: open the address "tsw manager" printed (…/?token=…); the token is in <data-dir>/manager/ui.token\n')
      return true
    }
    if (url.pathname === '/') {
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store',
        'Set-Cookie': `${COOKIE}=${given}; HttpOnly; SameSite=Strict; Path=/`,
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'",
      })
      res.end(pageHtml())
      return true
    }
    stream(opts, res)
    return true
  }
}

function stream(opts: PageOptions, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' })
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
  let timer: NodeJS.Timeout | undefined
  let closed = false
  const push = async () => {
    timer = undefined
    try {
      const s = await snapshot(opts.store, await opts.leader().catch(() => undefined))
      if (!closed) send('state', s)
    } catch { /* the store is away for a moment: the next change sends again */ }
  }
  const soon = () => { timer ??= setTimeout(() => void push(), COALESCE_MS) }
  const offChange = opts.events.onChange(soon)
  const offEvents = opts.events.subscribe((e) => send('swarm', e.message))
  // A comment now and then keeps proxies from closing a quiet stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000)
  res.once('close', () => {
    closed = true
    offChange()
    offEvents()
    clearTimeout(timer)
    clearInterval(keepAlive)
  })
  void push()
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}
