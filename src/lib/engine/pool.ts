// One connection per node's engine, made on first use and kept: an SSH engine
// then costs one SSH session however often it is asked.
import { connectEngine, type EngineConnection } from './connect.js'
import { probeEngine } from './probe.js'
import type { EngineInfo, EngineRef } from '../types/index.js'

/** The manager's connections to its nodes' engines, by node ID. */
export class EnginePool {
  private readonly conns = new Map<string, { url: string; conn: Promise<EngineConnection> }>()

  /** The connection to a node's engine (made anew when its address changed). */
  get(nodeId: string, ref: EngineRef): Promise<EngineConnection> {
    const have = this.conns.get(nodeId)
    if (have && have.url === ref.URL) return have.conn
    if (have) void have.conn.then((c) => c.close(), () => {})
    const conn = connectEngine(ref)
    conn.catch(() => this.conns.delete(nodeId))
    this.conns.set(nodeId, { url: ref.URL, conn })
    return conn
  }

  /** Reads an engine's /info through a throwaway connection (for joins). */
  async probe(ref: EngineRef, timeoutMs: number): Promise<EngineInfo> {
    const conn = await connectEngine(ref, { timeoutMs })
    try {
      const info = await probeEngine(conn, timeoutMs)
      // The host key it presented, for join to pin (trust on first use).
      return conn.tunnel?.hostKey ? { ...info, SSHHostKey: conn.tunnel.hostKey } : info
    } finally {
      conn.close()
    }
  }

  /** Forgets a node's connection. */
  drop(nodeId: string): void {
    const have = this.conns.get(nodeId)
    this.conns.delete(nodeId)
    if (have) void have.conn.then((c) => c.close(), () => {})
  }

  /** Closes every connection. */
  closeAll(): void {
    for (const id of [...this.conns.keys()]) this.drop(id)
  }
}
