// Which manager the CLI talks to: --host, else TSW_HOST, else the host's
// context (written by swarm init/join), with the TLS bundle beside it.
import { readBundle } from '../config/tls-bundle.js'
import { dataPaths, readContext, updateContext } from '../config/index.js'
import { FailedPreconditionError } from '../errors/index.js'
import { ManagerClient } from './client.js'
import { RenewingClient } from './renew.js'

/** "tcp://h:p", "https://h:p" or "h[:p]" → host and port (2377 by default). */
export function parseManagerHost(value: string): { host: string; port: number } {
  const bare = value.replace(/^(tcp|https?):\/\//, '').replace(/\/$/, '')
  const m = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(bare)
  if (!m) throw new FailedPreconditionError(`invalid manager address "${value}": use HOST:PORT, e.g. 10.0.0.1:2377`)
  return { host: m[1] ?? m[2], port: m[3] ? Number(m[3]) : 2377 }
}

/** A client for this host's manager. Throws when the host is in no swarm and no --host was given. */
export function clientFor(dataDir: string, host?: string): ManagerClient {
  const paths = dataPaths(dataDir)
  const ctx = readContext(dataDir)
  const target = host || process.env.TSW_HOST || ctx?.Manager
  if (!target) {
    throw new FailedPreconditionError(`This node is not part of a swarm (no context in ${dataDir}): run "tsw swarm init" or "tsw swarm join", or point at a manager with --host / TSW_HOST and --data-dir holding its client bundle`)
  }
  let tls
  try {
    tls = readBundle(paths)
  } catch {
    throw new FailedPreconditionError(`no client certificate in ${paths.tls}: run "tsw swarm init" or "tsw swarm join" with this --data-dir first`)
  }
  const { host: h, port } = parseManagerHost(target)
  // This host's own context: when its manager is away, the other managers it heard of are tried.
  const fallback = !host && !process.env.TSW_HOST && ctx ? {
    managers: ctx.Managers ?? [],
    onManagers: (managers: string[]) => {
      try {
        updateContext(dataDir, { Managers: managers })
      } catch { /* a context we cannot write is still a context */ }
    },
  } : undefined
  // Keeps the bundle renewed as it talks to the manager (see renew.ts).
  return new RenewingClient(h, port, tls, paths, undefined, undefined, fallback)
}
