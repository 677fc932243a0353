// The shared request-body reader: a cap on what a client can make the manager hold.
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readJsonBody, sendError, send } from '../../../src/lib/api/http.js'
import { LineSplitter } from '../../../src/lib/executor/lines.js'

const LIMIT = 1024
let server: Server
let port: number

beforeAll(async () => {
  server = createServer((req, res) => {
    readJsonBody(req, LIMIT).then((body) => send(res, { body: { got: body } }), (err) => sendError(res, err))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

/** Posts `chunks` (chunked unless `length`), ending after them unless `endless`; the answer's status and body. */
function post(chunks: Buffer[], opts: { length?: number; endless?: boolean } = {}): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: opts.length === undefined ? {} : { 'Content-Length': opts.length } }, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }))
    })
    req.on('error', reject)
    for (const c of chunks) req.write(c)
    if (!opts.endless) req.end()
    else {
      // Keeps writing until the server hangs up.
      const timer = setInterval(() => req.write(Buffer.alloc(256, 0x20)), 5)
      req.on('close', () => clearInterval(timer))
      req.on('response', () => setTimeout(() => clearInterval(timer), 100))
    }
  })
}

describe('readJsonBody', () => {
  it('reads a body under the cap', async () => {
    const r = await post([Buffer.from('{"a":1}')])
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toEqual({ got: { a: 1 } })
  })

  it('refuses a Content-Length past the cap before reading, with 413 and the connection closed', async () => {
    const r = await post([Buffer.alloc(LIMIT + 1, 0x20)], { length: LIMIT + 1 })
    expect(r.status).toBe(413)
    expect(JSON.parse(r.body).message).toBe('http: request body too large (at most 1 KiB on this route)')
    expect(r.connection).toBe('close')
  })

  it('refuses an endless chunked body as soon as it passes the cap', async () => {
    const started = Date.now()
    const r = await post([], { endless: true })
    expect(r.status).toBe(413)
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('says what is wrong with a body that is not JSON', async () => {
    const r = await post([Buffer.from('{not json')])
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body).message).toBe('invalid JSON in request body')
  })
})

describe('LineSplitter', () => {
  it('drops a line longer than its cap and goes on with the next', () => {
    const lines: string[] = []
    const s = new LineSplitter((l) => lines.push(l), 10)
    s.push('ok\n' + 'x'.repeat(8))
    s.push('x'.repeat(8))
    s.push('yy\nnext\n')
    s.end()
    expect(lines).toEqual(['ok', 'next'])
  })
})
