import { once } from 'node:events'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { describe, expect, test } from 'vitest'
import { ApiError, ManagerClient } from '../../../src/lib/client/client.js'
import { FrameDemuxer, openStream } from '../../../src/lib/cli/stream.js'
import { createRootCA, issueKeyAndCertificate } from '../../../src/lib/pki/index.js'

const frame = (stream: number, text: string): Buffer => {
  const payload = Buffer.from(text)
  const head = Buffer.alloc(8)
  head[0] = stream
  head.writeUInt32BE(payload.length, 4)
  return Buffer.concat([head, payload])
}

describe('FrameDemuxer', () => {
  test('frames split anywhere come out whole, with their stream', () => {
    const data = Buffer.concat([frame(1, 'out\n'), frame(2, 'err\n'), frame(1, '')])
    const d = new FrameDemuxer()
    const got = [...d.push(data.subarray(0, 3)), ...d.push(data.subarray(3, 13)), ...d.push(data.subarray(13))]
    expect(got.map((f) => [f.stream, f.payload.toString()])).toEqual([[1, 'out\n'], [2, 'err\n'], [1, '']])
    expect(d.pending).toBe(0)
  })
  test('an unknown stream type is an error, as in stdcopy', () => {
    expect(() => new FrameDemuxer().push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]))).toThrow('Unrecognized input header: 9')
  })
})

describe('openStream', () => {
  test('streams the answer over mTLS; a 4xx answer is an ApiError with its message', async () => {
    const ca = await createRootCA()
    const server = await issueKeyAndCertificate({ ca, commonName: 'm', organizationalUnit: 'swarm-manager', organization: 'c', ips: ['127.0.0.1'], usage: 'server' })
    const client = await issueKeyAndCertificate({ ca, commonName: 'n', organizationalUnit: 'swarm-manager', organization: 'c', usage: 'client' })
    const seen: string[] = []
    const srv = createServer({ ca: ca.certPem, cert: server.certPem, key: server.keyPem, requestCert: true, rejectUnauthorized: true }, (req, res) => {
      seen.push(req.url ?? '')
      if (/^\/v1\.\d+\/services\/nope\//.test(req.url ?? '')) {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"service nope not found"}')
        return
      }
      res.writeHead(200)
      res.write(frame(1, 'a\n'))
      setTimeout(() => res.end(frame(2, 'b\n')), 20)
    })
    srv.listen(0, '127.0.0.1')
    await once(srv, 'listening')
    try {
      const mc = new ManagerClient('127.0.0.1', (srv.address() as AddressInfo).port, { ca: ca.certPem, cert: client.certPem, key: client.keyPem })
      const res = await openStream(mc, '/services/web/logs', { stdout: 1, follow: undefined, tail: 'all' })
      const d = new FrameDemuxer()
      const got: string[] = []
      for await (const chunk of res) for (const f of d.push(chunk as Buffer)) got.push(`${f.stream}:${f.payload}`)
      expect(got).toEqual(['1:a\n', '2:b\n'])
      expect(seen[0]).toMatch(/^\/v1\.\d+\/services\/web\/logs\?stdout=1&tail=all$/)
      const err = await openStream(mc, '/services/nope/logs').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ApiError)
      expect((err as ApiError).message).toBe('service nope not found')
    } finally {
      srv.close()
    }
  })
})
