// ssh:// engines: one SSH connection per engine carries every request, each as
// a direct-streamlocal channel to the remote docker socket (no docker CLI needed
// on the remote, unlike dockerode's own protocol: 'ssh').

import { createHash } from 'node:crypto'
import http from 'node:http'
import { inspect } from 'node:util'
import { Duplex } from 'node:stream'
import type { Client, ClientChannel, ConnectConfig } from 'ssh2'

/** How to reach the remote socket. */
export interface SshTunnelOptions {
  host: string
  port: number
  username: string
  /** Remote docker socket, e.g. /var/run/docker.sock. */
  socketPath: string
  /** Private key text (PEM/OpenSSH); without it, the SSH agent at `agent`. */
  privateKey?: string
  agent?: string
  /** Bounds the SSH handshake and each channel open. */
  timeoutMs: number
  /** The ssh2 Client class (imported lazily by the caller). */
  Client: typeof Client
  /** The host key to insist on (SHA256:…); without it, any is taken and remembered in `hostKey`. */
  hostKey?: string
}

/** A host key's fingerprint as OpenSSH prints it: SHA256:<base64, no padding>. */
export function hostKeyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`
}

/**
 * A lazily opened, shared SSH connection that opens streams to a remote unix
 * socket. When the connection drops, the next stream() opens a new one.
 * Host keys: trust on first use. The key seen at join is pinned in the engine's
 * record (EngineRef.SSHHostKey) and any other is refused from then on, as
 * OpenSSH's known_hosts does.
 */
export class SshTunnel {
  private client?: Client
  private connecting?: Promise<Client>
  private connects = 0
  private closed = false
  private readonly dropListeners: Array<() => void> = []
  /** The fingerprint of the host key the server presented last. */
  hostKey?: string

  constructor(private readonly opts: SshTunnelOptions) {}

  /** SSH connections opened so far; stays 1 while the first one lives. */
  get connections(): number { return this.connects }

  /** Opens a stream to the remote socket, connecting first if needed; rejects on failure. */
  async stream(): Promise<ClientChannel> {
    const client = await this.connect()
    return new Promise((resolve, reject) => {
      let done = false
      // A channel that never opens means the connection is dead but not yet
      // closed: drop it so the next request starts afresh.
      const timer = setTimeout(() => {
        if (done) return
        done = true
        this.drop(client)
        reject(new Error(`ssh: no answer opening ${this.opts.socketPath} within ${this.opts.timeoutMs} ms`))
      }, this.opts.timeoutMs)
      client.openssh_forwardOutStreamLocal(this.opts.socketPath, (err, channel) => {
        clearTimeout(timer)
        if (done) { channel?.close(); return }
        done = true
        if (err) reject(new Error(`ssh: cannot open ${this.opts.socketPath}: ${err.message}`))
        else resolve(channel)
      })
    })
  }

  /** Ends the current SSH connection, if any; the next stream() reconnects. */
  disconnect(): void {
    if (this.client) this.drop(this.client)
  }

  /** Ends the connection for good; later stream() calls reject. */
  close(): void {
    this.closed = true
    this.disconnect()
  }

  private connect(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('ssh: connection closed'))
    if (this.client) return Promise.resolve(this.client)
    this.connecting ??= new Promise<Client>((resolve, reject) => {
      const client = new this.opts.Client()
      const config: ConnectConfig = {
        host: this.opts.host,
        port: this.opts.port,
        username: this.opts.username,
        privateKey: this.opts.privateKey,
        agent: this.opts.privateKey ? undefined : this.opts.agent,
        readyTimeout: this.opts.timeoutMs,
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          this.hostKey = hostKeyFingerprint(key)
          return !this.opts.hostKey || this.opts.hostKey === this.hostKey
        },
      }
      let ready = false
      client.on('ready', () => {
        ready = true
        this.connects++
        this.connecting = undefined
        if (this.closed) { client.end(); reject(new Error('ssh: connection closed')); return }
        this.client = client
        resolve(client)
      })
      client.on('error', (err) => {
        if (ready) return // 'close' follows; requests in flight fail on their own channels
        this.connecting = undefined
        client.end()
        const pinned = this.opts.hostKey
        if (pinned && this.hostKey && this.hostKey !== pinned) {
          reject(new Error(`ssh: the host key of ${this.opts.host}:${this.opts.port} is ${this.hostKey}, not ${pinned} as when the engine joined: refusing to connect (someone may be impersonating it). If its host key was changed on purpose, remove the node and add it again`))
        } else reject(err)
      })
      client.on('close', () => {
        if (this.client === client) {
          this.client = undefined
          this.notifyDrop()
        }
        if (!ready) {
          this.connecting = undefined
          reject(new Error('ssh: connection closed during handshake'))
        }
      })
      client.connect(config)
    })
    return this.connecting
  }

  /** Calls fn whenever the live connection goes (dropped by either side, or given up as dead). */
  onDrop(fn: () => void): void {
    this.dropListeners.push(fn)
  }

  private drop(client: Client): void {
    if (this.client === client) {
      this.client = undefined
      this.notifyDrop()
    }
    client.end()
    // end() waits for the peer; destroy the socket if it does not answer.
    setTimeout(() => client.destroy(), 1000).unref()
  }

  private notifyDrop(): void {
    for (const fn of this.dropListeners) fn()
  }
}

/**
 * An http.Agent whose connections are channels of an SshTunnel (hand it to
 * dockerode as `agent`). Idle channels are kept for the next request, which
 * halves the cost of a call; they go when their SSH connection goes.
 */
export class SshAgent extends http.Agent {
  // Channels opened before the last drop belong to a dead connection: never reuse them.
  private generation = 0
  private readonly born = new WeakMap<Duplex, number>()

  constructor(private readonly tunnel: SshTunnel) {
    super({ keepAlive: true })
    tunnel.onDrop(() => {
      this.generation++
      for (const sockets of Object.values(this.freeSockets)) for (const s of sockets ?? []) s.destroy()
    })
  }

  override createConnection(
    _options: http.ClientRequestArgs,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | null | undefined {
    const generation = this.generation
    this.tunnel.stream().then(
      (channel) => {
        this.born.set(channel, generation)
        callback?.(null, socketLike(channel))
      },
      (err: Error) => callback?.(err, undefined as unknown as Duplex),
    )
    return undefined
  }

  // docker-modem calls util.inspect(options, {depth: null}) on every request,
  // debug or not: without this, that walks every channel and the whole SSH
  // client, which grows with the channels kept and blocked the event loop for
  // seconds.
  [inspect.custom](): string {
    return 'SshAgent'
  }

  /** Node asks this when a request is done with a socket: false destroys it. */
  override keepSocketAlive(socket: Duplex): boolean {
    if (this.born.get(socket) !== this.generation) return false
    return (super.keepSocketAlive(socket) as unknown as boolean | undefined) !== false
  }
}

// The http client calls these net.Socket methods on its connections, and
// expects destroy() to set `destroyed` (the agent skips destroyed free sockets);
// ssh2's destroy() only sends EOF and CHANNEL_CLOSE.
function socketLike(channel: ClientChannel): Duplex {
  const s = channel as ClientChannel & Record<string, unknown>
  for (const name of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof s[name] !== 'function') s[name] = function (this: unknown) { return this }
  }
  const closeChannel = channel.destroy.bind(channel)
  ;(channel as Duplex).destroy = function (this: Duplex, err?: Error) {
    closeChannel()
    return Duplex.prototype.destroy.call(this, err)
  }
  return channel
}
