// Undoing what a swarm did on an engine: its task containers (as dockerd
// removes a leaving node's tasks), its engine bridge networks, the host's
// VXLAN devices and tsw's iptables chains (teardown-script.ts, run in a
// network helper), its helper container, and the helper image once nothing
// uses it. A swarm leaving an engine removes its own pieces; a swarm that
// joins an engine removes any other swarm's (one killed before it could
// leave), so two swarms never share the host's device and chain names.
// Plain containers (classic swarm's docker run) are the user's and stay.
import type Dockerode from 'dockerode'
import type { StoredEngine } from '../engine/record.js'
import { UnavailableError } from '../errors/index.js'
import { connectEngine, pingEngine, type EngineConnection } from '../engine/index.js'
import { LABEL_CLUSTER_ID, LABEL_TASK_ID } from '../executor/labels.js'
import type { EngineRef } from '../types/index.js'
import { execIn } from '../engine/exec.js'
import { HELPER_REPO } from './helper-image.js'
import { onNodeHost } from './host-lock.js'
import { LABEL_HELPER, LABEL_NET_CLUSTER } from './labels.js'
import { hostTeardownScript } from './teardown-script.js'

/** How long an engine has to answer before its cleanup is left for later (ms). */
const REACH_MS = 3000

/** What one swarm has on one engine. */
export interface SwarmPieces {
  clusterId: string
  /** Task containers (names). */
  tasks: string[]
  /** Network helper containers (names). */
  helpers: string[]
  /** Engine bridge networks (names). */
  networks: string[]
}

/** Every swarm's pieces on the engine, by cluster ID. */
export async function findSwarmPieces(docker: Dockerode): Promise<SwarmPieces[]> {
  const [tasks, helpers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters: { label: [LABEL_CLUSTER_ID, LABEL_TASK_ID] } }),
    docker.listContainers({ all: true, filters: { label: [LABEL_HELPER] } }),
    docker.listNetworks({ filters: { label: [LABEL_NET_CLUSTER] } }),
  ])
  const by = new Map<string, SwarmPieces>()
  const of = (clusterId: string) => by.get(clusterId) ?? by.set(clusterId, { clusterId, tasks: [], helpers: [], networks: [] }).get(clusterId)!
  const name = (c: Dockerode.ContainerInfo) => (c.Names?.[0] ?? c.Id).replace(/^\//, '')
  for (const c of tasks) of(c.Labels[LABEL_CLUSTER_ID]).tasks.push(name(c))
  for (const c of helpers) of(c.Labels[LABEL_HELPER]).helpers.push(name(c))
  for (const n of networks) of(n.Labels?.[LABEL_NET_CLUSTER] ?? '').networks.push(n.Name)
  return [...by.values()]
}

/**
 * Removes the given swarms' pieces from the engine, host devices and chains
 * included (when one of their helpers can run the script), then the helper
 * images no container uses. Throws when the engine fails a removal.
 */
export async function removeSwarmPieces(docker: Dockerode, swarms: SwarmPieces[]): Promise<void> {
  const tasks = swarms.flatMap((s) => s.tasks)
  // Stopped as the engine stops them (the container's own stop timeout: the task's grace period), then removed.
  await Promise.all(tasks.map(async (t) => {
    const c = docker.getContainer(t)
    await c.stop().catch(ignoreGone)
    await c.remove({ force: true, v: true }).catch(ignoreGone)
  }))
  for (const n of swarms.flatMap((s) => s.networks)) await removeNetwork(docker, n)
  const helpers = swarms.flatMap((s) => s.helpers)
  for (const h of helpers) {
    if (await runTeardown(docker, h)) break
  }
  await Promise.all(helpers.map((h) => docker.getContainer(h).remove({ force: true }).catch(ignoreGone)))
  await removeUnusedHelperImages(docker)
}

/** A swarm leaves the engine: every piece of clusterId there is removed. Returns what was found. */
export async function leaveEngine(docker: Dockerode, clusterId: string): Promise<SwarmPieces | undefined> {
  const own = (await findSwarmPieces(docker)).find((s) => s.clusterId === clusterId)
  await removeSwarmPieces(docker, own ? [own] : [])
  return own
}

/**
 * An engine joins swarm clusterId: the pieces of every other swarm on it are
 * removed. Returns one line per swarm saying what was removed (none: nothing found).
 */
export async function takeOverEngine(docker: Dockerode, clusterId: string, url: string): Promise<string[]> {
  const others = (await findSwarmPieces(docker)).filter((s) => s.clusterId !== clusterId)
  if (!others.length) return []
  await removeSwarmPieces(docker, others)
  return others.map((s) => describeRemoval(s, url))
}

/** takeOverEngine on the engine at ref (a swarm's first node, at init). Throws UnavailableError when a removal fails. */
export async function takeOverEngineAt(ref: EngineRef, clusterId: string): Promise<string[]> {
  return withReachableEngine(ref, (conn) => takeOverEngine(conn.docker, clusterId, ref.URL)).catch((err: Error) => {
    throw new UnavailableError(`engine ${ref.URL} holds pieces of another swarm that could not be removed (${err.message}): remove its tsw-net-* containers and io.tsw networks, then try again`)
  })
}

/** The line saying what of another swarm was removed from the engine at url. */
export function describeRemoval(s: SwarmPieces, url: string): string {
  return `engine ${url} held pieces of another swarm (${s.clusterId.slice(0, 12)}), removed: ${describePieces(s)}`
}

/** What s holds, in words ("2 task containers; network helper tsw-net-…; network web"). */
export function describePieces(s: SwarmPieces): string {
  const parts: string[] = []
  if (s.tasks.length) parts.push(count(s.tasks.length, 'task container'))
  if (s.helpers.length) parts.push(`network helper ${s.helpers.join(', ')} with the host's tsw devices and iptables chains`)
  if (s.networks.length) parts.push(`${s.networks.length === 1 ? 'network' : 'networks'} ${s.networks.join(', ')}`)
  return parts.join('; ') || 'nothing'
}

/** Connects to ref (a throwaway connection), gives up when it does not answer within REACH_MS; runs fn; closes. */
export async function withReachableEngine<T>(ref: EngineRef, fn: (conn: EngineConnection) => Promise<T>): Promise<T> {
  const conn = await connectEngine(ref, { timeoutMs: REACH_MS })
  try {
    await pingEngine(conn, REACH_MS)
    return await fn(conn)
  } finally {
    conn.close()
  }
}

/**
 * Swarm clusterId leaves the engines of `records` (worker leave, node rm,
 * the last manager leaving): each is cleaned in its node's host queue. An
 * engine that does not answer is left to the next swarm that joins it; returns
 * a line for each such engine (also logged). Never throws.
 */
export async function leaveEngines(records: StoredEngine[], clusterId: string, log: (msg: string) => void): Promise<string[]> {
  const failed: string[] = []
  await Promise.all(records.map((e) => onNodeHost(e.ID, async () => {
    try {
      const own = await withReachableEngine(e.Ref, (conn) => leaveEngine(conn.docker, clusterId))
      if (own) log(`leave: removed this swarm's pieces from engine ${e.Ref.URL}: ${describePieces(own)}`)
    } catch (err) {
      const line = `engine ${e.Ref.URL} was not cleaned (${(err as Error).message}): a swarm that joins it later removes what is left`
      failed.push(line)
      log(`leave: ${line}`)
    }
  })))
  return failed
}

// Runs the teardown script in helper h (started if it is not running); false when it cannot run there.
async function runTeardown(docker: Dockerode, h: string): Promise<boolean> {
  try {
    await docker.getContainer(h).start().catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 304) throw err
    })
    const { code } = await execIn(docker, h, ['sh', '-c', hostTeardownScript()])
    return code === 0
  } catch {
    return false
  }
}

// Removes an engine network, disconnecting what is still attached to it first.
async function removeNetwork(docker: Dockerode, name: string): Promise<void> {
  const net = docker.getNetwork(name)
  try {
    const info = (await net.inspect()) as { Containers?: Record<string, unknown> }
    for (const id of Object.keys(info.Containers ?? {})) await net.disconnect({ Container: id, Force: true }).catch(ignoreGone)
    await net.remove()
  } catch (err) {
    ignoreGone(err)
  }
}

/** Removes every tsw-net image no container (running or not) uses. */
export async function removeUnusedHelperImages(docker: Dockerode): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [HELPER_REPO] } })
  if (!images.length) return
  const used = new Set((await docker.listContainers({ all: true })).map((c) => c.ImageID))
  for (const i of images.filter((x) => !used.has(x.Id))) {
    // By tag: an image that also has another name keeps it.
    for (const tag of (i.RepoTags ?? []).filter((t) => t.startsWith(`${HELPER_REPO}:`))) await docker.getImage(tag).remove().catch(() => undefined) // in use meanwhile: it stays
  }
}

function ignoreGone(err: unknown): void {
  const code = (err as { statusCode?: number }).statusCode
  if (code === 404 || code === 304) return
  throw err
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}
