// What placement needs of every engine, read from the engines themselves on
// each create (the manager keeps no container state of its own): their
// containers (GET /containers/json?all=1) and images (GET /images/json), in
// parallel, with deadlines. The resources a running container reserves are not
// in the list: they come from its inspect, cached by container ID since they
// do not change (docker update aside).

import type { EngineConnection } from '../engine/index.js'
import { Limiter } from '../executor/limiter.js'
import { LABEL_HELPER as NETWORK_HELPER_LABEL } from '../network/labels.js'
import type { Node } from '../types/index.js'
import { CALL_TIMEOUT_MS, engineJson } from '../engine/http.js'
import type { Member, Target } from './members.js'
import type { EngineContainer, EngineState } from './placement/index.js'

/** Inspects run at once on one engine when resources are first read. */
const INSPECTS_AT_ONCE = 8

/** A container as GET /containers/json lists it (the fields used here). */
export interface ListedContainer {
  Id: string
  Names?: string[] | null
  Image?: string
  ImageID?: string
  State?: string
  Labels?: Record<string, string> | null
  Ports?: Array<{ PublicPort?: number; Type?: string }> | null
  Created?: number
}

/** An image as GET /images/json lists it (the fields used here). */
export interface ListedImage {
  Id: string
  RepoTags?: string[] | null
  RepoDigests?: string[] | null
}

/** Resources reserved by containers, by container ID. */
export class ResourceCache {
  private readonly known = new Map<string, { memory: number; nanoCpus: number }>()

  /** The resources of each of ids on conn's engine, inspecting those not known yet; an inspect that fails counts as none. */
  async of(conn: EngineConnection, ids: string[]): Promise<Map<string, { memory: number; nanoCpus: number }>> {
    const missing = ids.filter((id) => !this.known.has(id))
    // A new manager meets every container at once: a few inspects at a time per engine.
    const limiter = new Limiter(INSPECTS_AT_ONCE)
    await Promise.all(missing.map((id) => limiter.run(async () => {
      try {
        const c = await engineJson<{ HostConfig?: { Memory?: number; NanoCpus?: number; CpuQuota?: number; CpuPeriod?: number } }>(
          conn, 'GET', `/containers/${id}/json`)
        const hc = c.HostConfig ?? {}
        const nanoCpus = hc.NanoCpus || (hc.CpuQuota ? Math.round((hc.CpuQuota * 1e9) / (hc.CpuPeriod || 100_000)) : 0)
        this.known.set(id, { memory: hc.Memory ?? 0, nanoCpus })
      } catch { /* gone meanwhile, or the engine went: reserves nothing */ }
    })))
    return new Map(ids.map((id) => [id, this.known.get(id) ?? { memory: 0, nanoCpus: 0 }]))
  }

  /** Forgets every container but those in ids (the cache stays as small as the cluster). */
  retain(ids: Set<string>): void {
    for (const id of this.known.keys()) if (!ids.has(id)) this.known.delete(id)
  }
}

/** One engine's containers as placement sees them. */
export async function engineContainers(conn: EngineConnection, cache: ResourceCache, timeoutMs = CALL_TIMEOUT_MS): Promise<EngineContainer[]> {
  // tsw's own network helpers are not the user's containers: placement never counts them.
  const list = (await engineJson<ListedContainer[]>(conn, 'GET', '/containers/json?all=1', undefined, timeoutMs))
    .filter((c) => !c.Labels?.[NETWORK_HELPER_LABEL])
  const running = list.filter((c) => c.State === 'running').map((c) => c.Id)
  const resources = await cache.of(conn, running)
  return list.map((c) => ({
    id: c.Id,
    names: (c.Names ?? []).map((n) => n.replace(/^\//, '')),
    image: c.Image ?? '',
    imageId: c.ImageID,
    running: c.State === 'running',
    labels: c.Labels ?? {},
    memory: resources.get(c.Id)?.memory ?? 0,
    nanoCpus: resources.get(c.Id)?.nanoCpus ?? 0,
    hostPorts: [...new Set((c.Ports ?? []).filter((p) => p.PublicPort).map((p) => `${p.Type ?? 'tcp'}/${p.PublicPort}`))],
  }))
}

/** The references an engine's images answer to: tags, digests and IDs. */
export async function engineImages(conn: EngineConnection, timeoutMs = CALL_TIMEOUT_MS): Promise<string[]> {
  const list = await engineJson<ListedImage[]>(conn, 'GET', '/images/json', undefined, timeoutMs)
  return list.flatMap((i) => [...(i.RepoTags ?? []), ...(i.RepoDigests ?? []), i.Id]).filter((r) => !r.startsWith('<none>'))
}

/**
 * The state of every member: ready ones as their engines list it; others, and
 * ready ones whose engine does not answer, with no containers and a state
 * that is not ready (placement's health filter then names them).
 */
export async function gatherStates(members: Member[], targets: Target[], cache: ResourceCache): Promise<EngineState[]> {
  const byNode = new Map(targets.map((t) => [t.node.ID, t]))
  const seen = new Set<string>()
  const states = await Promise.all(members.map(async (m): Promise<EngineState> => {
    const target = byNode.get(m.node.ID)
    if (!target) return { node: m.node, containers: [], images: [] }
    try {
      const [containers, images] = await Promise.all([engineContainers(target.conn, cache), engineImages(target.conn)])
      for (const c of containers) seen.add(c.id)
      return { node: m.node, containers, images }
    } catch (err) {
      return { node: unreachable(m.node, (err as Error).message), containers: [], images: [] }
    }
  }))
  cache.retain(seen)
  return states
}

function unreachable(node: Node, why: string): Node {
  return { ...node, Status: { ...node.Status, State: 'down', Message: why } }
}
