// The client's socket of a hijacked request (docker attach, exec -it, run
// without -d), kept beside the request while its route runs: upgrade.ts
// records it, a route that proxies the stream (classic/proxy.ts) takes it.
// A leaf module, so a route can reach the socket without importing the server.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'

/** The client's socket of an upgrade request; a route that pipes it sets `taken`, so nothing else answers on it. */
export interface UpgradeClient {
  socket: Duplex
  taken: boolean
}

const clients = new WeakMap<IncomingMessage, UpgradeClient>()

/** Records the socket of an upgrade request before its route runs (upgrade.ts). */
export function holdUpgradeClient(raw: IncomingMessage, client: UpgradeClient): void {
  clients.set(raw, client)
}

/** The socket of a request that asked for a hijacked connection, or undefined for an ordinary request. */
export function upgradeClient(raw: IncomingMessage): UpgradeClient | undefined {
  return clients.get(raw)
}
