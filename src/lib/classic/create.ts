// POST /containers/create through the manager: read every engine, place the
// container (placement/), and create it on the chosen engine, pulling its
// image there first when the engine lacks it (as classic swarm did).

import { randomBytes } from 'node:crypto'
import { ConflictError, NotFoundError } from '../errors/index.js'
import { engineJson, readAll, requestEngine } from '../engine/http.js'
import { engineError } from '../engine/errors.js'
import { LABEL_CLASSIC_CLUSTER, LABEL_CLASSIC_ID } from './labels.js'
import type { Target } from './members.js'
import { EXPR_LABELS, type ContainerRequest, type EngineState } from './placement/index.js'

/** Bounds a pull done for a create: the registry's first answer, then the whole pull. */
const PULL_ANSWER_MS = 60_000
const PULL_TOTAL_MS = 600_000

/** Throws ConflictError (dockerd's words) when a container of the cluster already has the name. */
export function checkNameFree(states: EngineState[], name: string): void {
  for (const s of states) {
    const c = s.containers.find((c) => c.names.includes(name))
    if (c) {
      throw new ConflictError(`Conflict. The container name "/${name}" is already in use by container "${c.id}". You have to remove (or rename) that container to be able to reuse that name.`)
    }
  }
}

/**
 * The create body sent to the engine: the client's, with classic swarm's
 * labels added and its `constraint:`/`affinity:` env entries moved into the
 * com.docker.swarm.constraints/affinities labels (JSON arrays), as classic did,
 * so they do not reach the container's environment.
 */
export function engineCreateBody(body: unknown, clusterId: string, classicId: string): Record<string, unknown> {
  const b = typeof body === 'object' && body !== null ? { ...(body as Record<string, unknown>) } : {}
  const labels: Record<string, string> = { ...(b.Labels as Record<string, string> | undefined) }
  const env = Array.isArray(b.Env) ? (b.Env as unknown[]) : []
  for (const kind of ['constraint', 'affinity'] as const) {
    const exprs = env.filter((e): e is string => typeof e === 'string' && e.startsWith(`${kind}:`)).map((e) => e.slice(kind.length + 1))
    if (!exprs.length) continue
    let stored: string[] = []
    try { stored = JSON.parse(labels[EXPR_LABELS[kind]] ?? '[]') as string[] } catch { /* placement has rejected a bad label already */ }
    labels[EXPR_LABELS[kind]] = JSON.stringify([...new Set([...stored, ...exprs])])
  }
  if (env.length) b.Env = env.filter((e) => !(typeof e === 'string' && /^(constraint|affinity):/.test(e)))
  labels[LABEL_CLASSIC_ID] = classicId
  labels[LABEL_CLASSIC_CLUSTER] = clusterId
  b.Labels = labels
  return b
}

/** A new classic container ID (64 hex digits, as classic swarm's were). */
export function newClassicId(): string {
  return randomBytes(32).toString('hex')
}

/** The placement request as a container of its engine while its create is in flight (concurrent creates see it). */
export function pendingContainer(req: ContainerRequest, classicId: string): EngineState['containers'][number] {
  return {
    id: `pending-${classicId}`, names: req.name ? [req.name] : [], image: req.image, running: true,
    labels: { ...req.labels, [LABEL_CLASSIC_ID]: classicId }, memory: req.memory, nanoCpus: req.nanoCpus, hostPorts: req.hostPorts,
  }
}

/**
 * Creates the container on target's engine (`query` is the client's, name
 * included). When the engine has no such image, pulls it there and tries
 * again. Returns the engine's {Id, Warnings}; engine errors are thrown typed.
 */
export async function createOnEngine(target: Target, prefix: string, query: string, image: string, body: unknown): Promise<{ Id: string; Warnings: string[] | null }> {
  const path = `${prefix}/containers/create${query}`
  try {
    return await engineJson(target.conn, 'POST', path, body)
  } catch (err) {
    if (!(err instanceof NotFoundError) || !/no such image/i.test(err.message)) throw err
  }
  await pullOnEngine(target, prefix, image)
  return engineJson(target.conn, 'POST', path, body)
}

/** Pulls image on target's engine and reads the progress to its end; throws the registry's error. */
export async function pullOnEngine(target: Target, prefix: string, image: string): Promise<void> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), PULL_TOTAL_MS)
  try {
    const answer = await requestEngine(target.conn, { method: 'POST', path: `${prefix}/images/create?${pullQuery(image)}` }, PULL_ANSWER_MS, controller.signal)
    if (answer.upgraded) throw new NotFoundError(`No such image: ${image}`)
    const text = (await readAll(answer.res)).toString('utf8')
    const status = answer.res.statusCode ?? 500
    if (status >= 400) throw engineError(status, text)
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      let msg: { error?: string; errorDetail?: { message?: string } }
      try { msg = JSON.parse(line) } catch { continue }
      if (msg.error || msg.errorDetail) throw engineError(404, JSON.stringify({ message: msg.errorDetail?.message || msg.error }))
    }
  } finally {
    clearTimeout(timer)
  }
}

/** fromImage=…, with tag=latest for an untagged name (else the engine pulls every tag). */
export function pullQuery(image: string): string {
  const slash = image.lastIndexOf('/')
  const tagged = image.includes('@') || image.lastIndexOf(':') > slash
  const q = new URLSearchParams({ fromImage: image })
  if (!tagged) q.set('tag', 'latest')
  return q.toString()
}
