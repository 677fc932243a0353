// Asking an engine whether it is there (/_ping) and what it is (/info), with
// deadlines: a hung connection must not hang a heartbeat.

import type { EngineInfo, GenericResource } from '../types/index.js'
import { withDeadline } from './call.js'
import type { EngineConnection } from './connect.js'
import { keepAlivePing } from './keepalive-ping.js'

/** Resolves when the engine answers /_ping within timeoutMs; else UnavailableError. tcp:// engines on a kept-alive connection. */
export async function pingEngine(conn: EngineConnection, timeoutMs: number): Promise<void> {
  if (conn.address.kind === 'tcp') return keepAlivePing(conn, timeoutMs)
  await withDeadline(conn, timeoutMs, (signal) => call(conn, 'ping', signal))
}

/** The engine's /info as EngineInfo, within timeoutMs; else UnavailableError. */
export async function probeEngine(conn: EngineConnection, timeoutMs: number): Promise<EngineInfo> {
  const info = await withDeadline(conn, timeoutMs, (signal) => call(conn, 'info', signal) as Promise<RawInfo>)
  return engineInfoFromRaw(info)
}

/** The parts of the engine's /info answer that EngineInfo uses. */
export interface RawInfo {
  ID?: string
  Name?: string
  OSType?: string
  Architecture?: string
  NCPU?: number
  MemTotal?: number
  ServerVersion?: string
  Labels?: string[] | null
  GenericResources?: GenericResource[] | null
}

/** Maps an /info answer to EngineInfo; pure. */
export function engineInfoFromRaw(info: RawInfo): EngineInfo {
  return {
    ID: info.ID ?? '',
    Hostname: info.Name ?? '',
    OS: info.OSType ?? '',
    Architecture: normalizeArch(info.Architecture ?? ''),
    NCPU: info.NCPU ?? 0,
    MemTotal: info.MemTotal ?? 0,
    ServerVersion: info.ServerVersion ?? '',
    Labels: parseLabels(info.Labels ?? []),
    ...(info.GenericResources?.length ? { GenericResources: info.GenericResources } : {}),
  }
}

/** ["k=v", "flag"] → {k: "v", flag: ""}; the first "=" splits, later ones belong to the value. */
export function parseLabels(labels: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const label of labels) {
    const eq = label.indexOf('=')
    if (eq < 0) out[label] = ''
    else out[label.slice(0, eq)] = label.slice(eq + 1)
  }
  return out
}

// dockerd reports `uname -m` (x86_64, aarch64), which `docker node inspect`
// shows as is; map Go's names in case an engine reports those instead.
const GO_ARCH: Record<string, string> = { amd64: 'x86_64', arm64: 'aarch64', '386': 'i386' }

function normalizeArch(arch: string): string {
  return GO_ARCH[arch] ?? arch
}

// dockerode accepts {abortSignal} on these at run time; its types omit it.
function call(conn: EngineConnection, method: 'ping' | 'info', abortSignal: AbortSignal): Promise<unknown> {
  const fn = conn.docker[method] as unknown as (opts: { abortSignal: AbortSignal }) => Promise<unknown>
  return fn.call(conn.docker, { abortSignal })
}
