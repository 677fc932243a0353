// Which etcd members answer now. etcd3 picks a member at random for each call
// and keeps streams (the watch, lease renewals) on one member; a member cut
// off the network answers nothing, so calls to it wait for their deadline and
// streams on it hang without an error. So every member's /health is asked
// every PERIOD_MS: a member that missed twice is passed over for calls
// (etcd-client.ts) and its connections are reset, which moves the streams on
// it to another member, until it answers again.
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { readFileSync } from 'node:fs'
import type { EtcdTls } from './etcd-client.js'

const PERIOD_MS = 1000
const TIMEOUT_MS = 800
/** Misses in a row after which a member counts as down. */
const MISSES = 2

export class EtcdHealth {
  private readonly misses = new Map<string, number>()
  private timer?: NodeJS.Timeout
  private stopped = false
  private readonly tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer }

  /** `hosts` as etcd3 takes them (http(s)://host:port); `onDown` gets a member's host:port when it turns down. */
  constructor(private readonly hosts: string[], tls: EtcdTls | undefined, private readonly onDown: (name: string) => void) {
    const read = (f?: string) => (f ? readFileSync(f) : undefined)
    if (tls) this.tls = { ca: read(tls.cacert), cert: read(tls.cert), key: read(tls.key) }
  }

  /** Whether the member (host:port, no scheme) missed its last checks. */
  isDown(name: string): boolean {
    return (this.misses.get(name) ?? 0) >= MISSES
  }

  start(): void {
    const round = () => {
      if (this.stopped) return
      void Promise.all(this.hosts.map((h) => this.check(h))).finally(() => {
        if (!this.stopped) this.timer = setTimeout(round, PERIOD_MS).unref()
      })
    }
    this.timer = setTimeout(round, PERIOD_MS).unref()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private async check(host: string): Promise<void> {
    const name = host.replace(/^https?:\/\//, '')
    // A member that answers "false" (no leader: cut off from its peers, or the whole cluster
    // without quorum) counts as a miss too: a watch on it would hear nothing. When every
    // member misses, calls go to them anyway (etcd-client.ts).
    const answered = await this.ask(host)
    const before = this.misses.get(name) ?? 0
    const now = answered ? 0 : before + 1
    this.misses.set(name, now)
    if (now === MISSES) this.onDown(name)
  }

  private ask(host: string): Promise<boolean> {
    return new Promise((resolve) => {
      const url = new URL('/health', host)
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest
      const req = request(url, { timeout: TIMEOUT_MS, ...(url.protocol === 'https:' ? this.tls : {}) }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve(res.statusCode === 200 && /"health"\s*:\s*"true"/.test(body)))
        res.on('error', () => resolve(false))
      })
      req.on('timeout', () => req.destroy())
      req.on('error', () => resolve(false))
      req.end()
    })
  }
}
