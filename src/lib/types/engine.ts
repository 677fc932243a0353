import type { GenericResource } from './service.js'

/**
 * How the manager reaches a node's Docker engine. Kept beside the node in the
 * store, never shown through the API (it holds credentials).
 */
export interface EngineRef {
  /** unix:///var/run/docker.sock, tcp://10.0.0.12:2375, ssh://ops@10.0.0.13:22 */
  URL: string
  /** TLS material for tcp:// engines that use TLS (PEM text). */
  TLS?: { CA?: string; Cert?: string; Key?: string }
  /** Private key (PEM/OpenSSH text) for ssh:// engines. */
  SSHKey?: string
  /** Remote socket path for ssh:// engines; default /var/run/docker.sock. */
  SSHSocket?: string
  /** The ssh:// engine's host key (SHA256:… as ssh-keygen -l prints it), pinned when it joined; any other is refused. */
  SSHHostKey?: string
}

/** The facts the manager reads from an engine's /info. */
export interface EngineInfo {
  ID: string
  Hostname: string
  OS: string
  Architecture: string
  NCPU: number
  MemTotal: number
  ServerVersion: string
  Labels: Record<string, string>
  /** What dockerd --node-generic-resource advertises. */
  GenericResources?: GenericResource[]
  /** The host key an ssh:// engine presented (not from /info): what join pins. */
  SSHHostKey?: string
}
