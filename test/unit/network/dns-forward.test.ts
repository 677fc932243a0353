import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import dgram from 'node:dgram'
import { answerAddresses, buildQuery, readHeader, startDnsServer, Rcode, TYPE_A, type DnsServer } from '../../../src/lib/network/dns/index.js'
import { frame, resolverFor, tcpExchange, udpExchange } from './dns-helpers.js'

const big = Array.from({ length: 200 }, (_, i) => `192.0.2.${i}`)

// A UDP socket that takes queries and never answers.
async function silentPeer(): Promise<dgram.Socket & { port: number }> {
  const sock = dgram.createSocket('udp4')
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r))
  return Object.assign(sock, { port: sock.address().port })
}

// A port nobody listens on (UDP to it gets ICMP port unreachable).
async function closedPort(): Promise<number> {
  const peer = await silentPeer()
  await new Promise<void>((r) => peer.close(() => r()))
  return peer.port
}

describe('forwarding to upstream resolvers', () => {
  let upstream: DnsServer
  let front: DnsServer
  const logs: string[] = []
  const fronts: DnsServer[] = []
  const peers: dgram.Socket[] = []

  // Starts another front with the given upstreams; closed after the suite.
  async function frontWith(upstreams: string[]): Promise<DnsServer> {
    const s = await startDnsServer({ host: '127.0.0.1', port: 0, upstream: upstreams, lookup: () => undefined, log: (m) => logs.push(m) })
    fronts.push(s)
    return s
  }

  beforeAll(async () => {
    upstream = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstream: [],
      ttl: 60,
      lookup: (name) => ({ 'outside.example': ['198.51.100.7'], 'big.outside': big })[name],
    })
    front = await startDnsServer({
      host: '127.0.0.1',
      port: 0,
      upstream: [`127.0.0.1:${upstream.port}`],
      lookup: (name) => (name === 'web' ? ['10.0.0.2'] : undefined),
    })
  })
  afterAll(async () => {
    for (const p of peers) p.close()
    await Promise.all([upstream.close(), front.close(), ...fronts.map((f) => f.close())])
  })

  it('answers swarm names itself and relays the rest, answer and error alike', async () => {
    const r = resolverFor(front.port)
    expect(await r.resolve4('web')).toEqual(['10.0.0.2'])
    expect(await r.resolve4('Outside.Example', { ttl: true })).toEqual([{ address: '198.51.100.7', ttl: 60 }])
    await expect(r.resolve6('outside.example')).rejects.toMatchObject({ code: 'ENODATA' })
    await expect(r.resolve4('nowhere.example')).rejects.toMatchObject({ code: 'ENOTFOUND' })
  })

  it('relays the upstream answer byte for byte', async () => {
    const q = buildQuery('outside.example', TYPE_A, { id: 0xbeef, ednsUdpSize: 1232 })
    const direct = await udpExchange(upstream.port, q)
    const relayed = await udpExchange(front.port, q)
    expect(relayed).toEqual(direct)
    expect(readHeader(relayed!)).toMatchObject({ id: 0xbeef, aa: true })
  })

  it('relays a truncated answer to a UDP client, and fetches the whole one over TCP for a TCP client', async () => {
    const udp = await udpExchange(front.port, buildQuery('big.outside', TYPE_A))
    expect(readHeader(udp!).tc).toBe(true)
    const { replies } = await tcpExchange(front.port, [frame(buildQuery('big.outside', TYPE_A))], 1)
    expect(readHeader(replies[0]).tc).toBe(false)
    expect(answerAddresses(replies[0])).toEqual(big)
    expect(await resolverFor(front.port).resolve4('big.outside')).toEqual(big)
  })

  it('moves on at once from an upstream that refuses', async () => {
    const s = await frontWith([`127.0.0.1:${await closedPort()}`, `127.0.0.1:${upstream.port}`])
    const t0 = Date.now()
    expect(await resolverFor(s.port).resolve4('outside.example')).toEqual(['198.51.100.7'])
    expect(Date.now() - t0).toBeLessThan(1_000)
  })

  it('waits 2 s for a silent upstream before trying the next', async () => {
    const silent = await silentPeer()
    peers.push(silent)
    const s = await frontWith([`127.0.0.1:${silent.port}`, `127.0.0.1:${upstream.port}`])
    const t0 = Date.now()
    const res = await udpExchange(s.port, buildQuery('outside.example', TYPE_A), 4_000)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900)
    expect(answerAddresses(res!)).toEqual(['198.51.100.7'])
  })

  it('answers SERVFAIL when no upstream answers', async () => {
    const s = await frontWith([`127.0.0.1:${await closedPort()}`])
    const res = await udpExchange(s.port, buildQuery('outside.example', TYPE_A, { id: 5 }))
    expect(readHeader(res!)).toMatchObject({ id: 5, rcode: Rcode.SERVFAIL, counts: [1, 0, 0, 0] })
    expect(logs.some((l) => l.includes('no upstream answered for outside.example'))).toBe(true)
  })

  it('answers SERVFAIL at once beyond 256 pending forwards', async () => {
    const silent = await silentPeer()
    peers.push(silent)
    const s = await frontWith([`127.0.0.1:${silent.port}`])
    let seen = 0
    const all = new Promise<void>((resolve) => silent.on('message', () => ++seen === 256 && resolve()))
    const flood = dgram.createSocket('udp4')
    for (let id = 0; id < 256; id++) flood.send(buildQuery(`n${id}.example`, TYPE_A, { id }), s.port, '127.0.0.1')
    await all
    flood.close()
    const t0 = Date.now()
    const res = await udpExchange(s.port, buildQuery('one.more', TYPE_A, { id: 999 }))
    expect(readHeader(res!)).toMatchObject({ id: 999, rcode: Rcode.SERVFAIL })
    expect(Date.now() - t0).toBeLessThan(500)
  })

  it('stops pending forwards on close, without answering', async () => {
    const silent = await silentPeer()
    peers.push(silent)
    const s = await startDnsServer({ host: '127.0.0.1', port: 0, upstream: [`127.0.0.1:${silent.port}`], lookup: () => undefined })
    const got = new Promise<Buffer>((resolve) => silent.once('message', resolve))
    const answer = udpExchange(s.port, buildQuery('outside.example', TYPE_A), 2_500)
    const tcp = tcpExchange(s.port, [frame(buildQuery('outside.example', TYPE_A))], 1, 2_500)
    await got
    const t0 = Date.now()
    await s.close()
    expect(Date.now() - t0).toBeLessThan(500)
    expect(await answer).toBeUndefined()
    expect(await tcp).toEqual({ replies: [], closed: true })
  })
})
