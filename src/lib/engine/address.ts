// Engine addresses: the URL forms an EngineRef may hold, parsed and checked.
// Pure; imports no client library.

import { InvalidArgumentError } from '../errors/index.js'

/** The remote socket an ssh:// engine forwards to unless told otherwise. */
export const DEFAULT_SSH_SOCKET = '/var/run/docker.sock'
/** Docker's conventional plain-TCP port, used when a tcp:// URL has none. */
export const DEFAULT_TCP_PORT = 2375
/** Docker's conventional TLS port, used when a tcp:// URL has none and TLS material is given. */
export const DEFAULT_TLS_PORT = 2376
/** The SSH port used when an ssh:// URL has none. */
export const DEFAULT_SSH_PORT = 22

/** A parsed engine URL; `url` is its canonical form (defaults filled in), for messages. */
export type EngineAddress =
  | { kind: 'unix'; url: string; socketPath: string }
  | { kind: 'tcp'; url: string; host: string; port: number }
  | { kind: 'ssh'; url: string; user: string; host: string; port: number; socketPath: string }

/** Defaults for what a URL leaves out. */
export interface EngineUrlDefaults {
  /** TLS material is given: a tcp:// URL without a port means 2376, not 2375. */
  tls?: boolean
  /** Remote socket for an ssh:// URL without ?socket= (EngineRef.SSHSocket). */
  sshSocket?: string
}

const FORMS = 'use unix:///var/run/docker.sock, tcp://HOST:PORT or ssh://USER@HOST[:PORT][?socket=/path/to/docker.sock]'

// A host: a bracketed IPv6 literal, or a name / IPv4 address.
const HOST = String.raw`(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)`
const TCP_RE = new RegExp(String.raw`^tcp://${HOST}(?::([^/?#@]*))?/?$`, 'i')
const SSH_RE = new RegExp(String.raw`^ssh://([^@/?#:\s]+)@${HOST}(?::([^/?#@]*))?/?(?:\?(.*))?$`, 'i')

/**
 * Parses unix:///path, tcp://HOST[:PORT] or ssh://USER@HOST[:PORT][?socket=/path].
 * A tcp:// port defaults to 2375, or 2376 when `defaults.tls` (docker's convention);
 * an ssh:// port to 22 and its socket to ?socket=, else `defaults.sshSocket`, else
 * /var/run/docker.sock. Throws InvalidArgumentError saying what is wrong.
 */
export function parseEngineUrl(url: string, defaults: EngineUrlDefaults = {}): EngineAddress {
  const fail = (why?: string): never => {
    throw new InvalidArgumentError(`invalid engine address ${JSON.stringify(url)}: ${why ? `${why}; ` : ''}${FORMS}`)
  }
  const text = url.trim()
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase()
  if (!scheme) return fail()

  if (scheme === 'unix') {
    const socketPath = text.slice('unix://'.length)
    if (!socketPath.startsWith('/')) fail('a unix socket path must be absolute')
    if (/[?#]/.test(socketPath)) fail('a unix address takes no query')
    return { kind: 'unix', url: `unix://${socketPath}`, socketPath }
  }

  if (scheme === 'tcp') {
    const m = TCP_RE.exec(text)
    if (!m) return fail('a tcp address is tcp://HOST[:PORT] with no user, path or query')
    const host = unbracket(m[1]!)
    const port = parsePort(m[2], defaults.tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT, fail)
    return { kind: 'tcp', url: `tcp://${hostPort(host, port)}`, host, port }
  }

  if (scheme === 'ssh') {
    if (/^ssh:\/\/[^@/?#]*:[^@/?#]*@/.test(text)) fail('passwords are not accepted in ssh addresses, give a key')
    const m = SSH_RE.exec(text)
    if (!m) return fail('an ssh address needs a user and a host, and no path')
    const user = m[1]!
    const host = unbracket(m[2]!)
    const port = parsePort(m[3], DEFAULT_SSH_PORT, fail)
    let socketPath = defaults.sshSocket || DEFAULT_SSH_SOCKET
    if (m[4] !== undefined) {
      const query = new URLSearchParams(m[4])
      for (const key of query.keys()) if (key !== 'socket') fail(`unknown ssh option ${JSON.stringify(key)}`)
      const socket = query.get('socket')
      if (socket !== null) {
        if (!socket.startsWith('/')) fail('the ssh socket path must be absolute')
        socketPath = socket
      }
    }
    const canonical = `ssh://${user}@${hostPort(host, port)}` +
      (socketPath === DEFAULT_SSH_SOCKET ? '' : `?socket=${socketPath}`)
    return { kind: 'ssh', url: canonical, user, host, port, socketPath }
  }

  return fail(`unsupported scheme "${scheme}://"`)
}

function parsePort(text: string | undefined, fallback: number, fail: (why: string) => never): number {
  if (text === undefined) return fallback
  const port = Number(text)
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) fail(`port must be 1-65535, not "${text}"`)
  return port
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.slice(1, -1) : host
}

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}
