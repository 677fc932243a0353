// A heartbeat's /_ping as one raw GET on a kept-alive connection: with
// thousands of nodes pinged every few seconds, dockerode's request building
// cost about twice the CPU of the request itself, and a new TCP (or TLS)
// connection per beat far more (engine/agents.ts keeps them).
import { UnavailableError } from '../errors/index.js'
import type { EngineConnection } from './connect.js'
import { engineAgents as agents } from './agents.js'
import { withDeadline } from './call.js'
import { readAll, requestEngine } from './http.js'


// A kept socket the engine closed as it was reused answers so; the beat is then sent once more, on a new one.
const STALE_SOCKET = /socket hang up|ECONNRESET|EPIPE/

/** GET /_ping on a tcp:// engine within timeoutMs, on a kept-alive connection; else UnavailableError (or the engine's error). */
export async function keepAlivePing(conn: EngineConnection, timeoutMs: number): Promise<void> {
  const started = Date.now()
  try {
    await pingOnce(conn, timeoutMs)
  } catch (err) {
    const left = timeoutMs - (Date.now() - started)
    if (!(err instanceof UnavailableError) || !STALE_SOCKET.test(err.message) || left < 50) throw err
    await pingOnce(conn, left)
  }
}

// One GET /_ping, with withDeadline's deadline and words (the dispatcher tells a missed deadline by them).
function pingOnce(conn: EngineConnection, timeoutMs: number): Promise<void> {
  const agent = conn.address.kind === 'tcp' && (conn.docker as unknown as { modem: { protocol?: string } }).modem.protocol === 'https' ? agents.https : agents.http
  return withDeadline(conn, timeoutMs, async (signal) => {
    // requestEngine's own deadline is a backstop: withDeadline's comes first and aborts the request.
    const answer = await requestEngine(conn, { method: 'GET', path: '/_ping', agent }, timeoutMs + 1000, signal)
    if (answer.upgraded) {
      answer.socket.destroy()
      throw new Error('unexpected upgrade answering GET /_ping')
    }
    const text = (await readAll(answer.res, 1 << 16)).toString('utf8')
    const status = answer.res.statusCode ?? 500
    if (status >= 400) throw Object.assign(new Error(`(HTTP code ${status}) ${text.trim()}`), { statusCode: status })
  })
}
