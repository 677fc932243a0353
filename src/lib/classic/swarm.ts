// ClassicSwarm: what the manager's container routes call. Plain containers,
// as classic Docker Swarm ran them: placed on the swarm's engines by strategy
// and filters, found again by asking the engines (nothing about them is kept
// here but a cache of the resources each container reserves).

import type { ApiRequest, ApiResponse } from '../api/http.js'
import type { EnginePool } from '../engine/pool.js'
import { NotFoundError, UnavailableError } from '../errors/index.js'
import type { Store } from '../store/index.js'
import {
  checkNameFree, createOnEngine, engineCreateBody, newClassicId, pendingContainer,
} from './create.js'
import { enginePrefix, engineJson } from '../engine/http.js'
import { classicInfo, type ClassicInfo } from './info.js'
import { LABEL_CLASSIC_ID } from './labels.js'
import { listContainers, listImages } from './list.js'
import { locateContainer, locateExec, type InspectedContainer } from './locate.js'
import { engineAddr, listMembers, namesNode, nodeName, readyTargets, type Member, type Target } from './members.js'
import {
  placeContainer, requestFromCreateBody, type EngineContainer, type EngineState, type Strategy,
} from './placement/index.js'
import { forward } from './proxy.js'
import { pullImages } from './pull.js'
import { gatherStates, ResourceCache } from './state.js'

/** The filters placement applies, in its order, for `docker info`. */
const FILTERS = ['health', 'constraint', 'affinity', 'port', 'resources']

/** How long a placed container counts as running on its node before its engine says so. */
const PENDING_MS = 15_000

/** Deadline for an engine's first answer to a forwarded request (stop and restart add their grace period). */
const FORWARD_TIMEOUT_MS = 60_000

export interface ClassicSwarmOptions {
  store: Store
  engines: EnginePool
  clusterId: string
  strategy: Strategy
  log: (msg: string) => void
  /** For tests: the random source of the random strategy. */
  random?: () => number
}

export class ClassicSwarm {
  private readonly resources = new ResourceCache()
  /** Containers being created, by node: placed but not yet listed by their engine. */
  private readonly pending = new Map<string, Pending[]>()

  constructor(private readonly opts: ClassicSwarmOptions) {}

  get strategy(): Strategy { return this.opts.strategy }

  /** POST /containers/create: places the container and creates it there; 201 {Id, Warnings}. */
  async create(req: ApiRequest): Promise<ApiResponse> {
    const name = req.query.get('name') || undefined
    const request = requestFromCreateBody(req.body, name)
    const members = await listMembers(this.opts.store)
    const targets = await readyTargets(members, this.opts.engines)
    const asked = Date.now()
    const states = await gatherStates(members, targets, this.resources)
    // From here to the pending entry nothing awaits: concurrent creates see each other (names included).
    const current = this.withPending(states, asked)
    if (request.name) checkNameFree(current, request.name)
    const { nodeId, warnings } = placeContainer(request, current, this.opts.strategy, this.opts.random)
    const target = targets.find((t) => t.node.ID === nodeId)
    if (!target) throw new UnavailableError(`node ${nodeId} was chosen but cannot be reached`)
    const classicId = newClassicId()
    const pending: Pending = { container: pendingContainer(request, classicId), since: Date.now() }
    this.pending.set(nodeId, [...(this.pending.get(nodeId) ?? []), pending])
    const forget = () => this.pending.set(nodeId, (this.pending.get(nodeId) ?? []).filter((p) => p !== pending))
    try {
      const rawUrl = req.raw.url ?? '/'
      const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?')) : ''
      const body = engineCreateBody(req.body, this.opts.clusterId, classicId)
      const created = await createOnEngine(target, enginePrefix(rawUrl), query, request.image, body)
      pending.createdAt = Date.now()
      this.opts.log(`classic: created container ${created.Id.slice(0, 12)}${request.name ? ` (${request.name})` : ''} on ${nodeName(target.node)}`)
      return { status: 201, body: { Id: created.Id, Warnings: [...(created.Warnings ?? []), ...warnings] } }
    } catch (err) {
      forget()
      throw err
    }
  }

  /** GET /containers/json: every engine's containers, names prefixed with the node. */
  async list(req: ApiRequest): Promise<ApiResponse> {
    return { body: await listContainers(await this.targets(), enginePrefix(req.raw.url ?? '/'), req.query) }
  }

  /** GET /containers/{id}/json: the engine's inspect, plus the Node it runs on (as classic swarm added). */
  async inspect(req: ApiRequest): Promise<ApiResponse> {
    const members = await listMembers(this.opts.store)
    return this.inspectIn(members, req, req.params.id!)
  }

  /**
   * Any other /containers/{id}/… request (and DELETE /containers/{id}):
   * forwarded to the container's engine. {id} may be "node02/web", whose
   * slash the docker CLI sends as is: /containers/node02/web/exec.
   */
  async forwardContainer(req: ApiRequest): Promise<ApiResponse> {
    const members = await listMembers(this.opts.store)
    let ref = req.params.id!
    let rest = req.params['*'] ?? ''
    const parts = rest ? rest.split('/') : []
    // No container endpoint has two segments after the ID, nor DELETE one: the first part then names a node.
    if ((parts.length >= 2 || (req.method === 'DELETE' && parts.length === 1)) && members.some((m) => namesNode(m.node, ref))) {
      ref = `${ref}/${parts[0]}`
      rest = parts.slice(1).join('/')
    }
    if (req.method === 'GET' && rest === 'json') return this.inspectIn(members, req, ref)
    const { target, container } = await locateContainer(await readyTargets(members, this.opts.engines), ref)
    return forward(target.conn, req, `/containers/${container.Id}${rest ? `/${rest}` : ''}`, forwardTimeout(req))
  }

  /** /exec/{id}/… (start, resize, json): forwarded to the engine that knows the exec instance. */
  async forwardExec(req: ApiRequest): Promise<ApiResponse> {
    const id = req.params.id!
    const target = await locateExec(await this.targets(), id)
    return forward(target.conn, req, `/exec/${encodeURIComponent(id)}/${req.params['*']}`, FORWARD_TIMEOUT_MS)
  }

  /** GET /images/json: every engine's images, one entry per image. */
  async images(req: ApiRequest): Promise<ApiResponse> {
    return { body: await listImages(await this.targets(), enginePrefix(req.raw.url ?? '/'), req.query) }
  }

  /** GET /images/{name}/json: the first engine's (by node name) that has the image. */
  async imageInspect(req: ApiRequest): Promise<ApiResponse> {
    const name = req.params['*']!
    const targets = await this.targets()
    const answers = await Promise.allSettled(targets.map((t) => engineJson(t.conn, 'GET', `${enginePrefix(req.raw.url ?? '/')}/images/${name}/json`)))
    const found = answers.find((a) => a.status === 'fulfilled')
    if (!found) throw new NotFoundError(`No such image: ${name}`)
    return { body: (found as PromiseFulfilledResult<unknown>).value }
  }

  /** POST /images/create: the pull on every ready engine (or those ?node= names), progress merged. */
  async pull(req: ApiRequest): Promise<ApiResponse> {
    return pullImages(await this.targets(), req)
  }

  /** Container and image counts over the engines, and the nodes as classic `docker info` listed them. */
  async info(): Promise<ClassicInfo> {
    const members = await listMembers(this.opts.store)
    const targets = await readyTargets(members, this.opts.engines)
    return classicInfo(members, targets, this.resources, this.opts.strategy, FILTERS)
  }

  private async inspectIn(members: Member[], req: ApiRequest, ref: string): Promise<ApiResponse> {
    const { target, container } = await locateContainer(await readyTargets(members, this.opts.engines), ref)
    let answer: InspectedContainer = container
    const search = req.query.toString()
    if (search) answer = await engineJson(target.conn, 'GET', `${enginePrefix(req.raw.url ?? '/')}/containers/${container.Id}/json?${search}`)
    const member = members.find((m) => m.node.ID === target.node.ID)!
    return { body: { ...answer, Node: nodeOf(member, target) } }
  }

  private async targets(): Promise<Target[]> {
    return readyTargets(await listMembers(this.opts.store), this.opts.engines)
  }

  /**
   * The states with the containers placed lately added as running: in flight,
   * or created but not yet running (a burst of `docker run -d` creates them
   * all before it starts them), for at most PENDING_MS. One created and then
   * no longer listed (by a list asked after its creation) is gone.
   */
  private withPending(states: EngineState[], asked: number): EngineState[] {
    const now = Date.now()
    return states.map((s) => {
      const byId = new Map(s.containers.filter((c) => c.labels[LABEL_CLASSIC_ID]).map((c) => [c.labels[LABEL_CLASSIC_ID], c]))
      const pending = (this.pending.get(s.node.ID) ?? []).filter((p) => {
        const listed = byId.get(p.container.labels[LABEL_CLASSIC_ID]!)
        const gone = !listed && p.createdAt !== undefined && p.createdAt < asked
        return now - p.since < PENDING_MS && !listed?.running && !gone
      })
      if (pending.length) this.pending.set(s.node.ID, pending)
      else this.pending.delete(s.node.ID)
      if (!pending.length) return s
      // Listed but not running yet: counted as running in place of its stand-in.
      const waiting = new Set(pending.map((p) => p.container.labels[LABEL_CLASSIC_ID]))
      const containers = s.containers.map((c) => (waiting.has(c.labels[LABEL_CLASSIC_ID]) ? { ...c, running: true } : c))
      const add = pending.filter((p) => !byId.has(p.container.labels[LABEL_CLASSIC_ID]!)).map((p) => p.container)
      return { ...s, containers: [...containers, ...add] }
    })
  }
}

/** A container placed by this manager that its engine does not list running yet. */
interface Pending {
  container: EngineContainer
  /** When it was placed. */
  since: number
  /** When the engine created it (undefined while the create is in flight). */
  createdAt?: number
}

/** The Node object classic swarm added to a container's inspect. */
function nodeOf(member: Member, target: Target): Record<string, unknown> {
  const node = member.node
  const address = target.conn.address
  return {
    ID: node.ID,
    IP: address.kind === 'unix' ? node.Status.Addr : address.host,
    Addr: engineAddr(member),
    Name: nodeName(node),
    Cpus: node.Description.Resources.NanoCPUs / 1e9,
    Memory: node.Description.Resources.MemoryBytes,
    Labels: node.Description.Engine.Labels ?? {},
  }
}

/** The deadline of a forwarded request's first answer: stop and restart wait up to their ?t= grace period first. */
function forwardTimeout(req: ApiRequest): number {
  const t = Number(req.query.get('t') ?? req.query.get('timeout') ?? 0)
  return FORWARD_TIMEOUT_MS + (Number.isFinite(t) && t > 0 ? t * 1000 : 0)
}
