// pingEngine on a tcp:// engine (a local HTTP server standing in for one): beats share one
// kept-alive connection, a connection the engine closed while idle costs no miss, and an engine
// that does not answer is a miss in withDeadline's words (the dispatcher's stall excuse reads them).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { connectEngine, pingEngine } from '../../../src/lib/engine/index.js'
import { UnavailableError } from '../../../src/lib/errors/index.js'

describe('pingEngine on a kept-alive connection', () => {
  let server: http.Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    await new Promise((r) => server?.close(r))
  })

  async function engine(opts: { keepAliveTimeout?: number; hang?: boolean } = {}) {
    const seen = { connections: 0, pings: 0 }
    server = http.createServer({ keepAliveTimeout: opts.keepAliveTimeout ?? 60_000 }, (req, res) => {
      if (req.url !== '/_ping') return res.writeHead(404).end()
      seen.pings++
      if (!opts.hang) res.writeHead(200, { 'Content-Type': 'text/plain' }).end('OK')
    })
    server.on('connection', () => seen.connections++)
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const conn = await connectEngine({ URL: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}` })
    return { conn, seen }
  }

  it('sends every beat on one connection', async () => {
    const { conn, seen } = await engine()
    for (let i = 0; i < 20; i++) await pingEngine(conn, 2000)
    expect(seen).toEqual({ connections: 1, pings: 20 })
  })

  it('answers after the engine closed the idle connection', async () => {
    const { conn, seen } = await engine({ keepAliveTimeout: 30 })
    await pingEngine(conn, 2000)
    await new Promise((r) => setTimeout(r, 150)) // the engine has closed it by now
    await pingEngine(conn, 2000)
    expect(seen.pings).toBe(2)
    expect(seen.connections).toBe(2)
  })

  it('is a miss with withDeadline\'s words when the engine does not answer', async () => {
    const { conn } = await engine({ hang: true })
    const err = await pingEngine(conn, 200).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(UnavailableError)
    expect((err as Error).message).toBe(`cannot reach engine ${conn.address.url}: no answer within 200 ms`)
  })
})
