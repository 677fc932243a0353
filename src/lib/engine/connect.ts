// EngineRef → dockerode. dockerode and ssh2 are imported here, lazily, and
// nowhere else: importing them costs the CLI about 220 ms.

import type Dockerode from 'dockerode'
import { InvalidArgumentError } from '../errors/index.js'
import type { EngineRef } from '../types/index.js'
import { parseEngineUrl, type EngineAddress } from './address.js'
import { SshAgent, SshTunnel } from './ssh.js'
import { engineAgents } from './agents.js'

/** A dockerode client for one engine. */
export interface EngineConnection {
  docker: Dockerode
  address: EngineAddress
  /** The shared SSH connection of an ssh:// engine. */
  tunnel?: SshTunnel
  /** Releases the connection (ends the SSH session); the client is unusable after. */
  close(): void
}

/** Options for connectEngine. */
export interface ConnectOptions {
  /** Bounds the SSH handshake and each SSH channel open; default 10 000 ms. Request deadlines are the caller's (see withDeadline). */
  timeoutMs?: number
}

/**
 * Builds a client for ref. Nothing is contacted yet: the first request connects.
 * tcp:// uses TLS (https) when ref.TLS is present, with its CA/Cert/Key PEMs.
 * ssh:// authenticates with ref.SSHKey, else the agent at $SSH_AUTH_SOCK.
 * Throws InvalidArgumentError for a bad URL or inconsistent credentials.
 */
export async function connectEngine(ref: EngineRef, opts: ConnectOptions = {}): Promise<EngineConnection> {
  const timeoutMs = opts.timeoutMs ?? 10_000
  const address = parseEngineUrl(ref.URL, { tls: ref.TLS !== undefined, sshSocket: ref.SSHSocket })
  const { default: Docker } = await import('dockerode')

  // Every key is set, even to undefined, so DOCKER_HOST/DOCKER_CERT_PATH in the
  // environment (which docker-modem reads as defaults) cannot leak in.
  const base = {
    socketPath: undefined as string | undefined,
    host: undefined as string | undefined,
    port: undefined as number | undefined,
    protocol: 'http' as 'http' | 'https',
    ca: undefined as string | undefined,
    cert: undefined as string | undefined,
    key: undefined as string | undefined,
    timeout: undefined,
    pathPrefix: '/',
  }

  switch (address.kind) {
    case 'unix':
      return { address, docker: new Docker({ ...base, socketPath: address.socketPath }), close() {} }

    case 'tcp': {
      const tls = ref.TLS
      if (tls && Boolean(tls.Cert) !== Boolean(tls.Key)) {
        throw new InvalidArgumentError(`engine ${address.url}: TLS needs both a client certificate and its key, or neither`)
      }
      const docker = new Docker({
        ...base,
        host: address.host,
        port: address.port,
        protocol: tls ? 'https' : 'http',
        ca: tls?.CA || undefined,
        cert: tls?.Cert || undefined,
        key: tls?.Key || undefined,
        agent: tls ? engineAgents.https : engineAgents.http,
      } as Dockerode.DockerOptions)
      return { address, docker, close() {} }
    }

    case 'ssh': {
      const agent = process.env.SSH_AUTH_SOCK
      if (!ref.SSHKey && !agent) {
        throw new InvalidArgumentError(`engine ${address.url}: no SSH key given and no SSH agent ($SSH_AUTH_SOCK) to ask`)
      }
      const { default: ssh2 } = await import('ssh2')
      const tunnel = new SshTunnel({
        host: address.host,
        port: address.port,
        username: address.user,
        socketPath: address.socketPath,
        privateKey: ref.SSHKey,
        agent,
        timeoutMs,
        Client: ssh2.Client,
        hostKey: ref.SSHHostKey,
      })
      const httpAgent = new SshAgent(tunnel)
      // The host is a placeholder: the agent decides where bytes go.
      const docker = new Docker({ ...base, host: 'docker', port: 80, agent: httpAgent } as Dockerode.DockerOptions)
      return {
        address,
        docker,
        tunnel,
        close() {
          tunnel.close()
          httpAgent.destroy()
        },
      }
    }
  }
}
