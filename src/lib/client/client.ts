// How the CLI talks to a manager: HTTPS with the host's client certificate,
// JSON in and out. Kept on node:https (no dockerode) so commands start fast.
import type { IncomingMessage } from 'node:http'
import { request } from 'node:https'
import { TswError } from '../errors/index.js'
import { API_VERSION } from '../api/versions.js'
import type { Swarm, SwarmSpec, SwarmUpdateFlags, SystemInfo } from '../types/index.js'

/** An error the manager answered with ({"message": …} and a status). */
export class ApiError extends TswError {}

/** The manager is not there. */
export class ConnectError extends TswError {
  /** `beforeConnect`: no connection was made, so nothing reached the manager. */
  constructor(message: string, readonly beforeConnect = false) { super(message, 0) }
}

export interface ClientTls {
  ca: string
  cert?: string
  key?: string
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>
  body?: unknown
  /** Return the body as text instead of parsing JSON. */
  text?: boolean
  /** Further request headers (X-Registry-Auth). */
  headers?: Record<string, string>
}

/** Other managers to try when this one cannot be reached, and where to report the managers a manager names. */
export interface Fallback {
  /** host:port of other managers, tried in order when the connection to the current one fails. */
  managers: string[]
  /** Called with the managers a manager says run now (its X-Tsw-Managers header), when they differ from `managers`. */
  onManagers?: (managers: string[]) => void
}

/** How long a connection may take before the next manager is tried (when there is one). */
const FALLBACK_CONNECT_MS = 3000

export class ManagerClient {
  constructor(public host: string, public port: number, private readonly tls: ClientTls, private readonly fallback?: Fallback) {}

  /** Sees each response as it arrives (RenewingClient looks at the manager's certificate). */
  protected observe(_res: IncomingMessage): void {}

  get<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, opts)
  }

  post<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, opts)
  }

  delete<T>(path: string, opts: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, opts)
  }

  /** GET /swarm: the cluster object, join tokens included. */
  swarm(): Promise<Swarm> {
    return this.get<Swarm>('/swarm')
  }

  /**
   * Reads the swarm, lets `change` edit a copy of its spec (or return another one), and
   * writes that back at the version read, so a concurrent update fails instead of being
   * overwritten. Resolves with the swarm as read; rejects with the manager's ApiError.
   */
  async updateSwarm(change: (spec: SwarmSpec, swarm: Swarm) => SwarmSpec | void, flags: SwarmUpdateFlags = {}): Promise<Swarm> {
    const swarm = await this.swarm()
    const copy = structuredClone(swarm.Spec)
    const spec = change(copy, swarm) ?? copy
    await this.post('/swarm/update', { query: { version: swarm.Version.Index, ...flags }, body: spec })
    return swarm
  }

  /** GET /info: the answering manager's node, the managers that run, the store kind. */
  info(): Promise<SystemInfo> {
    return this.get<SystemInfo>('/info')
  }

  /**
   * One request; resolves with the parsed body, rejects with ApiError or
   * ConnectError. A manager that cannot be connected to is passed over for the
   * next of the fallback's (nothing was sent to it, so nothing is done twice).
   */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const others = [...(this.fallback?.managers ?? [])].filter((m) => m !== `${this.host}:${this.port}`)
    for (;;) {
      try {
        return await this.requestOnce<T>(method, path, opts, others.length > 0)
      } catch (err) {
        const next = others.shift()
        if (!(err instanceof ConnectError) || !err.beforeConnect || !next) throw err
        const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(next)
        if (!m) throw err
        this.host = m[1] ?? m[2]
        this.port = Number(m[3])
      }
    }
  }

  private requestOnce<T>(method: string, path: string, opts: RequestOptions, quick: boolean): Promise<T> {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, String(v))
    const fullPath = `/v${API_VERSION}${path}${qs.size ? `?${qs}` : ''}`
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    return new Promise<T>((resolve, reject) => {
      const req = request({
        host: this.host, port: this.port, method, path: fullPath,
        ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key,
        headers: { ...opts.headers, ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}) },
        timeout: 30_000,
      }, (res) => {
        this.observe(res)
        this.noteManagers(res)
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const status = res.statusCode ?? 500
          if (status >= 400) {
            let message = text.trim()
            try { message = (JSON.parse(text) as { message: string }).message } catch { /* plain text */ }
            reject(new ApiError(message, status))
            return
          }
          if (opts.text) return resolve(text as T)
          resolve((text.trim() ? JSON.parse(text) : undefined) as T)
        })
      })
      let connected = false
      const connectTimer = quick ? setTimeout(() => req.destroy(new Error('no connection within 3 s')), FALLBACK_CONNECT_MS) : undefined
      const onConnect = () => {
        connected = true
        clearTimeout(connectTimer)
      }
      req.once('socket', (sock) => {
        // A kept-alive socket is connected already.
        if (!sock.connecting) return onConnect()
        sock.once('secureConnect', onConnect)
        req.once('close', () => sock.removeListener('secureConnect', onConnect))
      })
      req.on('timeout', () => req.destroy(new Error('timed out')))
      req.on('error', (err) => {
        clearTimeout(connectTimer)
        reject(new ConnectError(`cannot reach the manager at ${this.host}:${this.port}: ${err.message}`, !connected && !/certificate|self.signed/i.test(err.message)))
      })
      req.end(payload)
    })
  }

  // The managers that run now, as the manager says: kept for the next command's fallback.
  private noteManagers(res: IncomingMessage): void {
    const header = res.headers['x-tsw-managers']
    if (typeof header !== 'string' || !this.fallback?.onManagers) return
    const list = header.split(',').filter(Boolean)
    const known = this.fallback.managers
    if (list.length && (list.length !== known.length || list.some((m, i) => m !== known[i]))) {
      this.fallback.managers = list
      this.fallback.onManagers(list)
    }
  }
}
