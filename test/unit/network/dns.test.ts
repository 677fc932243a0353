import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import dgram from 'node:dgram'
import net from 'node:net'
import {
  answerAddresses, buildQuery, readHeader, startDnsServer, parseUpstream, resolvConfUpstreams,
  Rcode, TYPE_A, TYPE_AAAA, type DnsServer,
} from '../../../src/lib/network/dns/index.js'
import { frame, resolverFor, tcpExchange, udpExchange } from './dns-helpers.js'

const many = (n: number, net8 = 10): string[] => Array.from({ length: n }, (_, i) => `${net8}.0.${i >> 8}.${i & 255}`)

const names: Record<string, string[]> = {
  web: ['10.0.0.3', '10.0.0.2'],
  'tasks.web': ['10.0.0.5', '10.0.0.6', '10.0.0.7'],
  empty: [],
  big: many(200),
  mixed: ['fd00::1', '10.0.0.9'],
}

describe('startDnsServer', () => {
  let server: DnsServer
  const lookedUp: string[] = []
  const logs: string[] = []

  beforeAll(async () => {
    server = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstream: [],
      log: (m) => logs.push(m),
      lookup: (name) => {
        lookedUp.push(name)
        if (name === 'boom') throw new Error('store gone')
        return names[name]
      },
    })
  })
  afterAll(() => server.close())

  describe('with Node\'s resolver', () => {
    it('answers A for a known name in lookup\'s order, case-insensitively', async () => {
      const r = resolverFor(server.port)
      expect(await r.resolve4('web')).toEqual(['10.0.0.3', '10.0.0.2'])
      expect(await r.resolve4('TASKS.Web.')).toEqual(['10.0.0.5', '10.0.0.6', '10.0.0.7'])
      expect(lookedUp).toContain('tasks.web')
      expect(await r.resolve4('web', { ttl: true })).toEqual([{ address: '10.0.0.3', ttl: 0 }, { address: '10.0.0.2', ttl: 0 }])
    })

    it('answers ENODATA, not ENOTFOUND, for AAAA of a known name and for a known name without tasks', async () => {
      const r = resolverFor(server.port)
      await expect(r.resolve6('web')).rejects.toMatchObject({ code: 'ENODATA' })
      await expect(r.resolve4('empty')).rejects.toMatchObject({ code: 'ENODATA' })
      await expect(r.resolveTxt('web')).rejects.toMatchObject({ code: 'ENODATA' })
    })

    it('leaves non-IPv4 addresses out of A answers', async () => {
      expect(await resolverFor(server.port).resolve4('mixed')).toEqual(['10.0.0.9'])
    })

    it('answers ENOTFOUND for an unknown name when there is no upstream', async () => {
      await expect(resolverFor(server.port).resolve4('nowhere.example')).rejects.toMatchObject({ code: 'ENOTFOUND' })
    })

    it('gets all 200 addresses of a big answer by retrying over TCP after TC', async () => {
      expect(await resolverFor(server.port).resolve4('big')).toEqual(names.big)
    })

    it('answers SERVFAIL when lookup throws, and logs it', async () => {
      await expect(resolverFor(server.port).resolve4('boom')).rejects.toMatchObject({ code: 'ESERVFAIL' })
      expect(logs.some((l) => l.includes('store gone'))).toBe(true)
    })
  })

  describe('over raw UDP', () => {
    it('cuts an answer without EDNS to 512 bytes with TC, keeping lookup\'s order', async () => {
      const res = await udpExchange(server.port, buildQuery('big', TYPE_A, { id: 4242 }))
      expect(res!.length).toBeLessThanOrEqual(512)
      const fit = Math.floor((512 - 12 - (5 + 4)) / 16)
      expect(readHeader(res!)).toMatchObject({ id: 4242, tc: true, aa: true, ra: true, rd: true, counts: [1, fit, 0, 0] })
      expect(answerAddresses(res!)).toEqual(names.big.slice(0, fit))
    })

    it('uses the EDNS size a client advertises, up to 1232', async () => {
      const res = await udpExchange(server.port, buildQuery('big', TYPE_A, { ednsUdpSize: 4096 }))
      const fit = Math.floor((1232 - 12 - 9 - 11) / 16)
      expect(readHeader(res!)).toMatchObject({ tc: true, counts: [1, fit, 0, 1] })
      const small = await udpExchange(server.port, buildQuery('tasks.web', TYPE_A, { ednsUdpSize: 4096 }))
      expect(readHeader(small!)).toMatchObject({ tc: false, counts: [1, 3, 0, 1] })
    })

    it('copies RD and answers REFUSED to other opcodes', async () => {
      const q = buildQuery('web', TYPE_A, { rd: false })
      expect(readHeader((await udpExchange(server.port, q))!)).toMatchObject({ rd: false, ra: true, rcode: 0 })
      q.writeUInt16BE(2 << 11, 2) // STATUS
      expect(readHeader((await udpExchange(server.port, q))!)).toMatchObject({ rcode: Rcode.REFUSED })
    })

    it('drops malformed packets and pointer loops, and keeps answering', async () => {
      const loop = buildQuery('web', TYPE_A)
      loop.writeUInt16BE(0xc00c, 12) // the question's name points at itself
      const response = buildQuery('web', TYPE_A)
      response.writeUInt16BE(0x8100, 2)
      for (const bad of [Buffer.from('hello'), Buffer.alloc(0), Buffer.alloc(600, 0xc0), loop, response]) {
        expect(await udpExchange(server.port, bad, 150)).toBeUndefined()
      }
      expect(answerAddresses((await udpExchange(server.port, buildQuery('web', TYPE_A)))!)).toEqual(names.web)
    })

    it('answers NOERROR with no answers for AAAA of a known name', async () => {
      const res = await udpExchange(server.port, buildQuery('web', TYPE_AAAA))
      expect(readHeader(res!)).toMatchObject({ rcode: 0, counts: [1, 0, 0, 0] })
    })
  })

  describe('over raw TCP', () => {
    it('answers several framed queries in one segment and a query split byte by byte', async () => {
      const two = Buffer.concat([frame(buildQuery('web', TYPE_A, { id: 1 })), frame(buildQuery('tasks.web', TYPE_A, { id: 2 }))])
      const { replies } = await tcpExchange(server.port, [two], 2)
      expect(replies.map((r) => readHeader(r).id).sort()).toEqual([1, 2])
      const bytes = [...frame(buildQuery('web', TYPE_A, { id: 3 }))].map((b) => Buffer.from([b]))
      const split = await tcpExchange(server.port, bytes, 1)
      expect(answerAddresses(split.replies[0])).toEqual(names.web)
    })

    it('does not truncate over TCP', async () => {
      const { replies } = await tcpExchange(server.port, [frame(buildQuery('big', TYPE_A))], 1)
      expect(readHeader(replies[0])).toMatchObject({ tc: false, counts: [1, 200, 0, 0] })
    })

    it('answers a query sent before the client half-closes', async () => {
      const reply = await new Promise<Buffer>((resolve, reject) => {
        const sock = net.connect(server.port, '127.0.0.1', () => sock.end(frame(buildQuery('web', TYPE_A))))
        const chunks: Buffer[] = []
        sock.on('data', (c: Buffer) => chunks.push(c))
        sock.on('end', () => resolve(Buffer.concat(chunks).subarray(2)))
        sock.on('error', reject)
      })
      expect(answerAddresses(reply)).toEqual(names.web)
    })

    it('closes the connection on a malformed message or a too-short frame', async () => {
      const garbage = await tcpExchange(server.port, [frame(Buffer.from('not dns at all'))], 1)
      expect(garbage).toEqual({ replies: [], closed: true })
      const short = await tcpExchange(server.port, [Buffer.from([0, 3, 1, 2, 3])], 1)
      expect(short).toEqual({ replies: [], closed: true })
      const empty = await tcpExchange(server.port, [Buffer.from([0, 0])], 1)
      expect(empty.closed).toBe(true)
    })
  })
})

describe('startDnsServer lifecycle', () => {
  it('binds UDP and TCP on the same port and releases both on close', async () => {
    const s = await startDnsServer({ host: '127.0.0.1', port: 0, upstream: [], lookup: () => ['10.9.9.9'] })
    expect(s.port).toBeGreaterThan(0)
    expect(answerAddresses((await udpExchange(s.port, buildQuery('x', TYPE_A)))!)).toEqual(['10.9.9.9'])
    expect((await tcpExchange(s.port, [frame(buildQuery('x', TYPE_A))], 1)).replies).toHaveLength(1)
    await Promise.all([s.close(), s.close()])
    const again = await startDnsServer({ host: '127.0.0.1', port: s.port, upstream: [], lookup: () => undefined })
    await again.close()
  })

  it('fails when a fixed port is taken', async () => {
    const taken = dgram.createSocket('udp4')
    await new Promise<void>((r) => taken.bind(0, '127.0.0.1', r))
    const start = startDnsServer({ host: '127.0.0.1', port: taken.address().port, upstream: [], lookup: () => undefined })
    await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' })
    taken.close()
  })

  it('rejects a bad upstream', async () => {
    await expect(startDnsServer({ host: '127.0.0.1', port: 0, upstream: ['dns.google'], lookup: () => undefined })).rejects.toThrow(/dns upstream/)
  })
})

describe('parseUpstream', () => {
  it.each([
    ['10.0.0.1', { host: '10.0.0.1', port: 53 }],
    ['10.0.0.1:5353', { host: '10.0.0.1', port: 5353 }],
    ['fd00::1', { host: 'fd00::1', port: 53 }],
    ['[fd00::1]', { host: 'fd00::1', port: 53 }],
    ['[fd00::1]:54', { host: 'fd00::1', port: 54 }],
  ])('parses %s', (s, want) => {
    expect(parseUpstream(s)).toEqual(want)
  })

  it.each(['', 'example.com', '10.0.0.1:0', '10.0.0.1:70000', '10.0.0.1:', '[10.0.0.1', '1.2.3.4:5:6'])('rejects %j', (s) => {
    expect(() => parseUpstream(s)).toThrow(/dns upstream/)
  })
})

describe('resolvConfUpstreams', () => {
  it('keeps nameservers that are not loopback, unspecified or the server itself', () => {
    const conf = [
      '# generated', 'search example.com', 'nameserver 127.0.0.53', 'nameserver 10.0.0.2', '  nameserver   192.168.1.1  # lan',
      'nameserver ::1', 'nameserver 0.0.0.0', 'nameserver 2001:db8::53', 'nameserver 10.0.0.5', 'nameserver bogus', 'options edns0',
    ].join('\n')
    expect(resolvConfUpstreams(conf, '10.0.0.5')).toEqual(['10.0.0.2', '192.168.1.1', '[2001:db8::53]'])
    expect(resolvConfUpstreams('', '10.0.0.5')).toEqual([])
  })
})
