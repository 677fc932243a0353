// The manager's DNS server for service discovery on overlay networks.
// Containers' embedded resolver (127.0.0.11) forwards names it does not know
// here. Swarm names are answered from `lookup`; everything else is relayed to
// the upstream resolvers untouched. UDP and TCP share one port.
import dgram from 'node:dgram'
import { setMaxListeners } from 'node:events'
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import { InvalidArgumentError } from '../../errors/index.js'
import { buildResponse, parseQuery, readHeader, udpLimit, CLASS_IN, Rcode, TYPE_A, type DnsQuery } from './wire.js'

export interface DnsServerOptions {
  host: string // address to bind (e.g. the manager's advertise address)
  port?: number // default 53
  /** Addresses for a name (lower-cased, no trailing dot), or undefined when the swarm does not know it. */
  lookup: (name: string) => string[] | undefined
  /** Upstream resolvers ("ip" or "ip:port") for names the swarm does not know; default: nameservers of /etc/resolv.conf that are not loopback and not `host` itself. */
  upstream?: string[]
  log?: (msg: string) => void
  ttl?: number // default 0 (answers change as tasks move)
  /**
   * Whether to answer a source address (the swarm's tasks and nodes); others
   * get REFUSED, so the server is no open resolver. Default: every source.
   */
  allow?: (address: string) => boolean
  /** Queries a second per source address, and the burst above it; past it queries are dropped (UDP) or the connection closed (TCP). */
  rate?: { perSecond: number; burst: number }
}

export interface DnsServer {
  port: number
  close(): Promise<void>
}

export interface Upstream {
  host: string
  port: number
}

const FORWARD_TIMEOUT_MS = 2_000
/** A TCP connection with no complete query for this long is closed (RFC 7766 suggests seconds): trickling bytes does not keep it. */
const TCP_IDLE_MS = 5_000
/** TCP connections open at once, in all and from one address. */
export const TCP_MAX_CONNECTIONS = 256
export const TCP_MAX_PER_SOURCE = 16
/** Per source address: well above what a node's tasks ask, far below a flood. */
export const DEFAULT_RATE = { perSecond: 1000, burst: 2000 }
const BIND_ATTEMPTS = 20
const TCP_MAX = 65_535
const MAX_FORWARDS = 256
const TCP_BACKLOG = 1 << 20

/** Starts the server on host:port (port 0 picks a port free for both UDP and TCP). Throws InvalidArgumentError on a bad upstream, or the bind error. */
export async function startDnsServer(opts: DnsServerOptions): Promise<DnsServer> {
  const upstreams = (opts.upstream ?? resolvConfUpstreams(await readFile('/etc/resolv.conf', 'utf8').catch(() => ''), opts.host)).map(parseUpstream)
  const log = (msg: string): void => opts.log?.(`dns: ${msg}`)
  const stopping = new AbortController()
  setMaxListeners(MAX_FORWARDS + 1, stopping.signal) // one per pending forward
  const { udp, tcp, port } = await bind(opts.host, opts.port ?? 53)
  const conns = new Set<net.Socket>()
  const perSource = new Map<string, number>()
  const limiter = new RateLimiter(opts.rate ?? DEFAULT_RATE)
  let forwarding = 0

  // Returns the reply to a message, or undefined to drop it (malformed, over the rate, or closing).
  async function answer(msg: Buffer, overTcp: boolean, source: string): Promise<Buffer | undefined> {
    if (!limiter.take(source)) return undefined
    let q: DnsQuery
    try {
      q = parseQuery(msg)
    } catch {
      return undefined
    }
    const maxSize = overTcp ? TCP_MAX : udpLimit(q)
    if (q.opcode !== 0) return buildResponse(q, { rcode: Rcode.REFUSED, maxSize })
    if (opts.allow && !opts.allow(source)) return buildResponse(q, { rcode: Rcode.REFUSED, maxSize })
    let addresses: string[] | undefined
    if (q.question.class === CLASS_IN) {
      try {
        addresses = opts.lookup(q.question.name)
      } catch (err) {
        log(`lookup ${q.question.name}: ${(err as Error).message}`)
        return buildResponse(q, { rcode: Rcode.SERVFAIL, maxSize })
      }
    }
    if (addresses !== undefined) {
      // A known name has no other record types; answering NXDOMAIN to AAAA would make resolvers drop the name.
      const a = q.question.type === TYPE_A ? addresses.filter((ip) => net.isIPv4(ip)) : []
      return buildResponse(q, { addresses: a, ttl: opts.ttl ?? 0, authoritative: true, maxSize })
    }
    if (upstreams.length === 0) return buildResponse(q, { rcode: Rcode.NXDOMAIN, maxSize })
    // Each forward holds a socket: a flood of unknown names (or two servers
    // forwarding to each other) must not run the process out of descriptors.
    if (forwarding >= MAX_FORWARDS) return buildResponse(q, { rcode: Rcode.SERVFAIL, maxSize })
    forwarding++
    const reply = await forward(msg, upstreams, overTcp, stopping.signal).finally(() => forwarding--)
    if (stopping.signal.aborted) return undefined
    // Never more than the client can take over UDP: a larger answer becomes an empty truncated one (it asks again over TCP).
    if (reply && reply.length > maxSize) return buildResponse(q, { maxSize, truncated: true })
    if (reply) return reply
    log(`no upstream answered for ${q.question.name}`)
    return buildResponse(q, { rcode: Rcode.SERVFAIL, maxSize })
  }

  udp.on('message', (msg, rinfo) => {
    answer(msg, false, rinfo.address).then((reply) => {
      if (reply && !stopping.signal.aborted) udp.send(reply, rinfo.port, rinfo.address, (err) => err && log(`udp send: ${err.message}`))
    }, (err: Error) => log(`udp: ${err.message}`))
  })
  udp.on('error', (err) => log(`udp: ${err.message}`))

  tcp.on('connection', (sock) => {
    const source = sock.remoteAddress ?? ''
    const fromSource = perSource.get(source) ?? 0
    if (conns.size >= TCP_MAX_CONNECTIONS || fromSource >= TCP_MAX_PER_SOURCE) return void sock.destroy()
    conns.add(sock)
    perSource.set(source, fromSource + 1)
    // Restarted by each complete query, not by any byte: a trickled query does not hold the connection.
    let idle = setTimeout(() => sock.destroy(), TCP_IDLE_MS)
    sock.on('close', () => {
      clearTimeout(idle)
      conns.delete(sock)
      const left = (perSource.get(source) ?? 1) - 1
      if (left > 0) perSource.set(source, left)
      else perSource.delete(source)
    })
    sock.on('error', () => sock.destroy())
    let buf = Buffer.alloc(0)
    let pending = 0
    let ended = false
    sock.on('end', () => {
      ended = true
      if (pending === 0) sock.end()
    })
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0)
        if (buf.length < 2 + len) break
        const msg = buf.subarray(2, 2 + len)
        buf = buf.subarray(2 + len)
        pending++
        clearTimeout(idle)
        idle = setTimeout(() => sock.destroy(), TCP_IDLE_MS)
        // Answers may leave out of order (RFC 7766 6.2.1.1): a forwarded one need not hold up the rest.
        answer(msg, true, source).then((reply) => {
          pending--
          if (!reply) return void sock.destroy()
          const frame = Buffer.alloc(2 + reply.length)
          frame.writeUInt16BE(reply.length, 0)
          reply.copy(frame, 2)
          if (sock.writable) sock.write(frame)
          // A client that pipelines queries but never reads must not pile up answers here.
          if (sock.writableLength > TCP_BACKLOG) return void sock.destroy()
          if (ended && pending === 0) sock.end()
        }, (err: Error) => {
          log(`tcp: ${err.message}`)
          sock.destroy()
        })
      }
    })
  })
  tcp.on('error', (err) => log(`tcp: ${err.message}`))

  let closing: Promise<void> | undefined
  return {
    port,
    close() {
      closing ??= (async () => {
        stopping.abort()
        limiter.stop()
        for (const sock of conns) sock.destroy()
        await Promise.all([
          new Promise<void>((resolve) => udp.close(() => resolve())),
          new Promise<void>((resolve) => tcp.close(() => resolve())),
        ])
      })()
      return closing
    },
  }
}

// Binds UDP, then TCP on the port UDP got; with port 0, retries when TCP finds that port taken.
async function bind(host: string, port: number): Promise<{ udp: dgram.Socket; tcp: net.Server; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const udp = dgram.createSocket(net.isIPv6(host) ? 'udp6' : 'udp4')
    await new Promise<void>((resolve, reject) => {
      udp.once('error', (err) => {
        udp.close()
        reject(err)
      })
      udp.bind(port, host, () => {
        udp.removeAllListeners('error')
        resolve()
      })
    })
    const bound = udp.address().port
    const tcp = net.createServer({ allowHalfOpen: true })
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject)
        tcp.listen(bound, host, () => {
          tcp.off('error', reject)
          resolve()
        })
      })
      return { udp, tcp, port: bound }
    } catch (err) {
      udp.close()
      if (port !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= BIND_ATTEMPTS) throw err
    }
  }
}

/** Returns the first answer of upstreams tried in order (UDP; over TCP when a TCP client gets a truncated one), or undefined. */
async function forward(msg: Buffer, upstreams: Upstream[], overTcp: boolean, signal: AbortSignal): Promise<Buffer | undefined> {
  for (const up of upstreams) {
    if (signal.aborted) return undefined
    const reply = await exchangeUdp(msg, up, signal)
    if (!reply) continue
    if (overTcp && readHeader(reply).tc) return (await exchangeTcp(msg, up, signal)) ?? reply
    return reply
  }
  return undefined
}

// One socket per forwarded query, connected to the upstream: the kernel drops
// datagrams from anyone else, the query's own ID is kept, and an ICMP
// port-unreachable fails this upstream at once instead of after the timeout.
/**
 * The one way a forward ends: with a reply, on the timeout, or on abort —
 * whichever comes first releases the socket and resolves; later calls do nothing.
 */
function settleOnce(signal: AbortSignal, release: () => void, resolve: (reply?: Buffer) => void): (reply?: Buffer) => void {
  let finished = false
  const done = (reply?: Buffer): void => {
    if (finished) return
    finished = true
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
    release()
    resolve(reply)
  }
  const onAbort = (): void => done()
  const timer = setTimeout(done, FORWARD_TIMEOUT_MS)
  signal.addEventListener('abort', onAbort)
  return done
}

function exchangeUdp(msg: Buffer, up: Upstream, signal: AbortSignal): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(net.isIPv6(up.host) ? 'udp6' : 'udp4')
    const id = msg.readUInt16BE(0)
    const done = settleOnce(signal, () => sock.close(), resolve)
    sock.on('error', () => done())
    sock.on('message', (reply) => {
      if (reply.length >= 12 && reply.readUInt16BE(0) === id && readHeader(reply).qr) done(reply)
    })
    sock.connect(up.port, up.host, () => sock.send(msg))
  })
}

function exchangeTcp(msg: Buffer, up: Upstream, signal: AbortSignal): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect(up.port, up.host)
    let buf = Buffer.alloc(0)
    const done = settleOnce(signal, () => sock.destroy(), resolve)
    sock.on('error', () => done())
    sock.on('close', () => done())
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk])
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) done(buf.subarray(2, 2 + buf.readUInt16BE(0)))
    })
    const frame = Buffer.alloc(2 + msg.length)
    frame.writeUInt16BE(msg.length, 0)
    msg.copy(frame, 2)
    sock.write(frame)
  })
}

/** Parses "ip", "ip:port", "[ipv6]" or "[ipv6]:port" (port default 53). Throws InvalidArgumentError. */
export function parseUpstream(s: string): Upstream {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? (net.isIPv6(s) ? [s, s] : /^([^:]+)(?::(\d+))?$/.exec(s))
  const port = m?.[2] === undefined ? 53 : Number(m[2])
  if (!m || net.isIP(m[1]) === 0 || !(port >= 1 && port <= 65_535)) throw new InvalidArgumentError(`dns upstream "${s}": expected ip or ip:port`)
  return { host: m[1], port }
}

/** Returns the nameservers of a resolv.conf text that are neither loopback nor unspecified nor `host`. */
export function resolvConfUpstreams(text: string, host: string): string[] {
  const out: string[] = []
  for (const line of text.split('\n')) {
    const ip = /^\s*nameserver\s+(\S+)/.exec(line)?.[1]
    if (!ip || net.isIP(ip) === 0 || ip === host || isLocal(ip)) continue
    out.push(net.isIPv6(ip) ? `[${ip}]` : ip)
  }
  return out
}

function isLocal(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/i, '')
  if (net.isIPv4(v4)) return v4.startsWith('127.') || v4 === '0.0.0.0'
  const list = new net.BlockList()
  list.addAddress('::1', 'ipv6')
  list.addAddress('::', 'ipv6')
  return list.check(ip, 'ipv6')
}

/**
 * A token bucket per source address. Buckets full again are forgotten every
 * few seconds, and at most MAX_SOURCES are tracked: past that, new sources
 * share one bucket (a flood from many addresses is still bounded as a whole).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly sweeper: NodeJS.Timeout
  static readonly MAX_SOURCES = 10_000

  constructor(private readonly rate: { perSecond: number; burst: number }, private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 5_000)
    this.sweeper.unref()
  }

  /** Whether `source` may send one more query now (and counts it). */
  take(source: string): boolean {
    const key = this.buckets.has(source) || this.buckets.size < RateLimiter.MAX_SOURCES ? source : '*'
    const now = this.now()
    const b = this.buckets.get(key) ?? { tokens: this.rate.burst, at: now }
    b.tokens = Math.min(this.rate.burst, b.tokens + ((now - b.at) / 1000) * this.rate.perSecond)
    b.at = now
    this.buckets.set(key, b)
    if (b.tokens < 1) return false
    b.tokens--
    return true
  }

  stop(): void {
    clearInterval(this.sweeper)
  }

  private sweep(): void {
    const now = this.now()
    for (const [k, b] of this.buckets) if (b.tokens + ((now - b.at) / 1000) * this.rate.perSecond >= this.rate.burst) this.buckets.delete(k)
  }
}
