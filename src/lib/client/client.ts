// How the CLI talks to a manager: HTTPS with the host's client certificate,
// JSON in and out. Kept on node:https (no dockerode) so commands start fast.
import type { IncomingMessage } from 'node:http'
import { request } from 'node:https'
import { TswError } from '../errors/index.js'

/** An error the manager answered with ({"message": …} and a status). */
export class ApiError extends TswError {}

/** The manager is not there. */
export class ConnectError extends TswError {
  constructor(message: string) { super(message, 0) }
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
}

export class ManagerClient {
  constructor(readonly host: string, readonly port: number, private readonly tls: ClientTls) {}

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

  /** One request; resolves with the parsed body, rejects with ApiError or ConnectError. */
  request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const qs = new URLSearchParams()
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, String(v))
    const fullPath = `/v1.41${path}${qs.size ? `?${qs}` : ''}`
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body)
    return new Promise<T>((resolve, reject) => {
      const req = request({
        host: this.host, port: this.port, method, path: fullPath,
        ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key,
        headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {},
        timeout: 30_000,
      }, (res) => {
        this.observe(res)
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
      req.on('timeout', () => req.destroy(new Error('timed out')))
      req.on('error', (err) => reject(new ConnectError(`cannot reach the manager at ${this.host}:${this.port}: ${err.message}`)))
      req.end(payload)
    })
  }
}
