// The CLI's context on one host: which manager to talk to and as whom. Written
// by `swarm init` and `swarm join`; the TLS bundle beside it (ca.pem, cert.pem,
// key.pem) is also what DOCKER_CERT_PATH wants.
import type { NodeRole } from '../types/index.js'
import { dataPaths } from './paths.js'
import { readJson, writeFile } from './files.js'
import { writeBundle } from './tls-bundle.js'

export interface Context {
  /** host:port of the manager's API. */
  Manager: string
  ClusterID: string
  NodeID: string
  Role: NodeRole
  /** The managers (host:port) that ran when this host last talked to one: tried when `Manager` is away. */
  Managers?: string[]
}

/** The context of a data dir, or undefined when this host is in no swarm. */
export function readContext(dataDir: string): Context | undefined {
  return readJson<Context>(dataPaths(dataDir).context)
}

/** Changes some fields of an existing context (its TLS bundle untouched); false when there is none. */
export function updateContext(dataDir: string, change: Partial<Context>): boolean {
  const ctx = readContext(dataDir)
  if (!ctx) return false
  writeFile(dataPaths(dataDir).context, JSON.stringify({ ...ctx, ...change }, null, 2) + '\n')
  return true
}

/** Writes the context and its TLS bundle (key mode 0600). */
export function writeContext(dataDir: string, ctx: Context, tls: { ca: string; cert: string; key: string }): void {
  const p = dataPaths(dataDir)
  writeBundle(p, tls)
  writeFile(p.context, JSON.stringify(ctx, null, 2) + '\n')
}
