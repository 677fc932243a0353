// What the swarm's DNS server gives a stranger or a flood: REFUSED to sources
// it does not know, nothing past the rate, no answer larger than the client's
// UDP size, and TCP connections that cannot be held open by trickling bytes.
import dgram from 'node:dgram'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildQuery, buildResponse, parseQuery, readHeader, startDnsServer, Rcode, TYPE_A, type DnsServer } from '../../../src/lib/network/dns/index.js'
import { RateLimiter, TCP_MAX_PER_SOURCE } from '../../../src/lib/network/dns/server.js'
import { swarmSources } from '../../../src/lib/network/dns-sources.js'
import { frame, tcpExchange, udpExchange } from './dns-helpers.js'
import { net as network } from './overlay-fixtures.js'

const servers: DnsServer[] = []
const start = async (o: Partial<Parameters<typeof startDnsServer>[0]> = {}) => {
  const s = await startDnsServer({ host: '127.0.0.1', port: 0, upstream: [], lookup: (n) => (n === 'web' ? ['10.0.0.2'] : undefined), ...o })
  servers.push(s)
  return s
}
afterAll(() => Promise.all(servers.map((s) => s.close())))

describe('sources', () => {
  it('answers allowed sources and REFUSES the others, swarm names and forwarded names alike', async () => {
    const open = await start({ allow: () => true })
    const closed = await start({ allow: (a) => a !== '127.0.0.1' })
    expect(readHeader((await udpExchange(open.port, buildQuery('web', TYPE_A)))!).rcode).toBe(Rcode.NOERROR)
    for (const name of ['web', 'example.com']) {
      const reply = await udpExchange(closed.port, buildQuery(name, TYPE_A, { id: 77 }))
      expect(readHeader(reply!).rcode).toBe(Rcode.REFUSED)
      expect(reply!.readUInt16BE(0)).toBe(77)
      expect(reply!.readUInt16BE(6)).toBe(0) // no answer records
    }
    const tcp = await tcpExchange(closed.port, [frame(buildQuery('web', TYPE_A))], 1)
    expect(readHeader(tcp.replies[0]).rcode).toBe(Rcode.REFUSED)
  })

  it('are the overlay subnets and the nodes\' data-path addresses', () => {
    const nodes = [
      { ID: 'n1', Status: { State: 'ready', Addr: '10.213.0.1' } },
      { ID: 'n2', Status: { State: 'ready', Addr: '192.168.5.2' } },
    ] as never
    const engines = [{ ID: 'n1', Ref: { URL: 'tcp://10.213.0.11:2375' } }, { ID: 'n2', Ref: { URL: 'unix:///var/run/docker.sock' } }] as never
    const list = swarmSources([network('a', 'app', { subnet: '10.0.1.0/24' })], nodes, engines)
    for (const ok of ['10.0.1.0', '10.0.1.77', '10.213.0.11', '192.168.5.2']) expect(list.check(ok, 'ipv4'), ok).toBe(true)
    // The manager node's advertised address is not its engine's host: not a source.
    for (const no of ['10.0.2.1', '10.213.0.1', '10.213.0.12', '8.8.8.8']) expect(list.check(no, 'ipv4'), no).toBe(false)
  })
})

describe('rate per source', () => {
  it('lets a burst through, then drops until tokens come back', () => {
    let now = 0
    const r = new RateLimiter({ perSecond: 10, burst: 3 }, () => now)
    expect([r.take('a'), r.take('a'), r.take('a'), r.take('a')]).toEqual([true, true, true, false])
    expect(r.take('b')).toBe(true) // another source has its own bucket
    now += 100
    expect([r.take('a'), r.take('a')]).toEqual([true, false])
    r.stop()
  })

  it('drops UDP queries past the rate: no reply at all', async () => {
    const s = await start({ rate: { perSecond: 0.001, burst: 2 } })
    const replies = []
    for (let i = 0; i < 4; i++) replies.push(await udpExchange(s.port, buildQuery('web', TYPE_A), 300))
    expect(replies.map((r) => r !== undefined)).toEqual([true, true, false, false])
  })
})

describe('forwarded answers', () => {
  let upstream: dgram.Socket
  beforeAll(async () => {
    // An upstream that answers with 200 records whatever size the query allows.
    upstream = dgram.createSocket('udp4')
    upstream.on('message', (msg, rinfo) => {
      const big = buildResponse(parseQuery(msg), { addresses: Array.from({ length: 200 }, (_, i) => `192.0.2.${i}`) })
      upstream.send(big, rinfo.port, rinfo.address)
    })
    await new Promise<void>((r) => upstream.bind(0, '127.0.0.1', r))
  })
  afterAll(() => upstream.close())

  it('are never larger than the client\'s UDP size: a truncated empty answer instead', async () => {
    const s = await start({ upstream: [`127.0.0.1:${upstream.address().port}`] })
    const reply = (await udpExchange(s.port, buildQuery('out.example', TYPE_A)))!
    expect(reply.length).toBeLessThanOrEqual(512)
    expect(readHeader(reply).tc).toBe(true)
    expect(reply.readUInt16BE(6)).toBe(0)
  })
})

describe('TCP', () => {
  it('closes a connection that trickles a query byte by byte for longer than the idle time', async () => {
    const s = await start()
    const sock = net.connect(s.port, '127.0.0.1')
    const msg = frame(buildQuery('web', TYPE_A))
    let i = 0
    const timer = setInterval(() => { if (i < msg.length - 1 && !sock.destroyed) sock.write(msg.subarray(i, ++i)) }, 100)
    const started = Date.now()
    await new Promise<void>((resolve) => { sock.on('close', () => resolve()); sock.on('error', () => undefined) })
    clearInterval(timer)
    const heldMs = Date.now() - started
    expect(heldMs).toBeGreaterThan(4_000)
    expect(heldMs).toBeLessThan(7_000)
  }, 15_000)

  it(`takes ${TCP_MAX_PER_SOURCE} connections from one address and closes the next at once`, async () => {
    const s = await start()
    const socks: net.Socket[] = []
    for (let i = 0; i < TCP_MAX_PER_SOURCE; i++) {
      const c = net.connect(s.port, '127.0.0.1')
      c.on('error', () => undefined)
      await new Promise((r) => c.once('connect', r))
      socks.push(c)
    }
    const extra = await tcpExchange(s.port, [frame(buildQuery('web', TYPE_A))], 1)
    expect(extra).toEqual({ replies: [], closed: true })
    socks.pop()!.destroy()
    await new Promise((r) => setTimeout(r, 100))
    const again = await tcpExchange(s.port, [frame(buildQuery('web', TYPE_A))], 1)
    expect(readHeader(again.replies[0]).rcode).toBe(Rcode.NOERROR)
    for (const c of socks) c.destroy()
  })
})
