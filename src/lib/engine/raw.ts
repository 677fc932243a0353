// Raw HTTP to an engine, beside dockerode: what a reverse proxy needs to send
// any request (hijacked ones included) over the same connection dockerode uses.

import type http from 'node:http'
import type { EngineConnection } from './connect.js'

/** Options for node:http / node:https request() that reach conn's engine. */
export interface EngineRequestOptions {
  /** 'https:' for TLS engines (use node:https), else 'http:'. */
  protocol: 'http:' | 'https:'
  host?: string
  port?: number
  socketPath?: string
  /** The SshAgent of an ssh:// engine: each connection is a channel of its SSH session. */
  agent?: http.Agent
  ca?: string
  cert?: string
  key?: string
}

// The fields connectEngine gave docker-modem (which keeps them as they were passed).
interface ModemFields {
  protocol?: string
  ca?: string
  cert?: string
  key?: string
  agent?: http.Agent
}

/** How to reach conn's engine with a raw request: host/port (+TLS), a unix socket, or the SSH agent. */
export function engineRequestOptions(conn: EngineConnection): EngineRequestOptions {
  const modem = (conn.docker as unknown as { modem: ModemFields }).modem
  const address = conn.address
  switch (address.kind) {
    case 'unix':
      return { protocol: 'http:', socketPath: address.socketPath }
    case 'ssh':
      // The host is a placeholder: the agent decides where bytes go.
      return { protocol: 'http:', host: 'docker', port: 80, agent: modem.agent }
    case 'tcp':
      if (modem.protocol === 'https') {
        return { protocol: 'https:', host: address.host, port: address.port, ca: modem.ca, cert: modem.cert, key: modem.key }
      }
      return { protocol: 'http:', host: address.host, port: address.port }
  }
}
