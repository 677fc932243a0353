// How the etcd store reaches etcd: endpoint URLs, TLS files, etcd3's retry
// policies, and which failures mean "etcd is unreachable".
import { readFileSync } from 'node:fs'
import type * as Etcd3Module from 'etcd3'
import { InvalidArgumentError, TswError, UnavailableError } from '../errors/index.js'

/** TLS material as etcd's own clients take it (--cacert/--cert/--key): file paths. */
export interface EtcdTls {
  cacert?: string
  cert?: string
  key?: string
}

/**
 * The hosts of an `etcd://h1:2379,h2` URL as etcd3 takes them (`http://h1:2379`,
 * `http://h2:2379`; port 2379 by default; etcds:// gives https://).
 * Throws InvalidArgumentError when the URL is not one.
 */
export function parseEtcdUrl(url: string): string[] {
  const m = /^(etcds?):\/\/([^/]+)\/?$/.exec(url.trim())
  if (!m) throw new InvalidArgumentError(`etcd URL ${url}: expected etcd://host:port[,host:port…] (etcds:// for TLS)`)
  const scheme = m[1] === 'etcds' ? 'https' : 'http'
  return m[2].split(',').map((part) => {
    const host = part.trim()
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(host)) {
      throw new InvalidArgumentError(`etcd URL ${url}: ${JSON.stringify(host)} is not host[:port]`)
    }
    return `${scheme}://${/(^[^[]*|\]):\d+$/.test(host) ? host : `${host}:2379`}`
  })
}

/**
 * etcd3's client options: the hosts, TLS, a deadline of `timeoutMs` on each
 * call, and the fault handling below. Throws InvalidArgumentError when a TLS
 * file cannot be read.
 */
export function clientOptions(
  mod: typeof Etcd3Module, hosts: string[], tls: EtcdTls | undefined, timeoutMs: number, isDown: (name: string) => boolean = () => false,
): Etcd3Module.IOptions {
  return {
    hosts,
    credentials: credentials(tls),
    dialTimeout: timeoutMs,
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + timeoutMs }),
    faultHandling: faultHandling(mod, hosts.length, isDown),
    // A member cut off the network answers nothing, and a stream to it (the
    // watch, lease renewals) would wait forever: pings find that out. etcd
    // refuses pings more often than every 5 s (--grpc-keepalive-min-time).
    grpcOptions: { 'grpc.keepalive_time_ms': 5000, 'grpc.keepalive_timeout_ms': 2000 },
  }
}

/**
 * etcd unreachable, without a leader (lost quorum) or too slow, as
 * UnavailableError "the store (etcd at <where>) is unreachable: …"; other
 * errors as they are.
 */
export function unreachableError(mod: typeof Etcd3Module, err: unknown, where: string, timeoutMs: number): unknown {
  if (err instanceof TswError || !(err instanceof Error)) return err
  const msg = err.message.replace(/^\w*Error: /, '')
  let reason: string
  // etcd answers "context deadline exceeded" (UNKNOWN) when our deadline passed on its side.
  if (err instanceof mod.GRPCDeadlineExceededError || /context deadline exceeded/.test(msg)) {
    reason = `no answer within ${timeoutMs} ms (etcd down or hung, or without a leader: has it lost its quorum?)`
  } else if (/etcdserver: (no leader|request timed out|leader changed)/.test(msg)) {
    reason = `${msg} (has etcd lost its quorum?)`
  } else if (err instanceof mod.GRPCUnavailableError || err instanceof mod.GRPCCancelledError || /etcdserver: too many requests/.test(msg)) {
    const refused = /ECONNREFUSED (\S+?)\.?(\s|$)/.exec(msg)
    const tls = /SSL routines:[^:]*:([^:]+):/.exec(msg)
    reason = refused ? `connection refused by ${refused[1]}`
      : tls ? `TLS handshake failed (${tls[1]}): check the CA, the client certificate and its key`
        : msg.replace(/\. Resolution note:.*$/s, '')
  } else if (err instanceof mod.ClientClosedError) {
    reason = 'the client is closed'
  } else {
    return err
  }
  return new UnavailableError(`the store (etcd at ${where}) is unreachable: ${reason}`)
}

type FaultHandling = NonNullable<Etcd3Module.IOptions['faultHandling']>

/** How long a host that failed a call is passed over (ms). */
const SUSPEND_MS = 5000

/**
 * etcd3's policies (cockatiel's interfaces, written out here). By default it
 * retries a failed call 3 times on one host, each try with its own deadline,
 * and then refuses calls to that host for 5 s, even once it is back. Instead:
 * a call tries each host once (failing over on network errors, no leader,
 * deadline), and a broken watch reconnects after 0.1 s doubling to 2 s.
 * A host that failed a call is passed over for SUSPEND_MS (each call picks a
 * host at random, so a member cut off would otherwise cost one call in three
 * a whole deadline), and so is one whose health checks fail (etcd-health.ts),
 * unless every host is passed over.
 */
function faultHandling(mod: typeof Etcd3Module, hosts: number, isDown: (name: string) => boolean): FaultHandling {
  const global = {
    async execute<T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn({ signal: signal ?? new AbortController().signal })
        } catch (err) {
          if (attempt >= hosts || !(err instanceof Error) || !mod.isRecoverableError(err)) throw err
        }
      }
    },
  }
  const suspended = new Map<string, number>()
  const known = new Set<string>()
  const host = (url: string) => {
    const name = url.replace(/^https?:\/\//, '')
    known.add(name)
    return {
    async execute<T>(fn: (ctx: { signal: AbortSignal }) => PromiseLike<T> | T): Promise<T> {
      const now = Date.now()
      const away = (h: string) => (suspended.get(h) ?? 0) > now || isDown(h)
      const othersAway = [...known].filter((h) => h !== name && away(h)).length
      if (away(name) && othersAway < hosts - 1) throw new mod.GRPCUnavailableError(`${name} failed a call just before`)
      try {
        const out = await fn({ signal: new AbortController().signal })
        suspended.delete(name)
        return out
      } catch (err) {
        if (err instanceof Error && mod.isRecoverableError(err)) suspended.set(name, Date.now() + SUSPEND_MS)
        throw err
      }
    },
    }
  }
  type Backoff = { duration: number; next(): Backoff }
  const backoff = (ms: number): Backoff => ({ duration: ms, next: () => backoff(Math.min(ms * 2, 2000)) })
  return {
    global: global as unknown as FaultHandling['global'],
    host: (name: string) => host(name) as unknown as ReturnType<NonNullable<FaultHandling['host']>>,
    watchBackoff: { next: () => backoff(100) } as unknown as FaultHandling['watchBackoff'],
  }
}

function credentials(tls?: EtcdTls): Etcd3Module.IOptions['credentials'] {
  if (!tls || (!tls.cacert && !tls.cert && !tls.key)) return undefined
  if (!tls.cert !== !tls.key) throw new InvalidArgumentError('etcd TLS: give both the client certificate and its key')
  const read = (what: string, file?: string): Buffer | undefined => {
    if (!file) return undefined
    try {
      return readFileSync(file)
    } catch (err) {
      throw new InvalidArgumentError(`etcd TLS: cannot read the ${what} ${file}: ${(err as Error).message}`)
    }
  }
  return {
    // Without a CA file, gRPC trusts the system's roots (it takes null for that).
    rootCertificate: read('CA certificate', tls.cacert) ?? (null as unknown as Buffer),
    certChain: read('certificate', tls.cert),
    privateKey: read('key', tls.key),
  }
}
