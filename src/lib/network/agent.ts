// The network agent: keeps every node's host in line with its plan (plan.ts).
// For each ready node it makes sure the engine has tsw's helper image and a
// helper container (host network, NET_ADMIN), an engine bridge network per
// overlay network the node takes part in, and then runs the host script
// (script.ts) through the helper. It acts after any change to services,
// tasks, nodes or networks, and re-applies every node now and then so a
// restarted engine or host gets its configuration back.
import type Dockerode from 'dockerode'
import { join } from 'node:path'
import { parseEngineUrl } from '../engine/address.js'
import type { EngineConnection } from '../engine/connect.js'
import { execIn } from '../engine/exec.js'
import { ensureImage } from '../engine/image-import.js'
import type { EnginePool } from '../engine/pool.js'
import { phaseOf, runPaced } from '../engine/pacing.js'
import type { StoredEngine } from '../engine/record.js'
import { NotFoundError, TswError } from '../errors/index.js'
import { passObservers, secondsSince } from '../metrics/hooks.js'
import type { Store, StoreCache } from '../store/index.js'
import type { Network, Node, Service, Task } from '../types/index.js'
import { Coalescer } from './coalesce.js'
import { buildHelperImage, type HelperImage } from './helper-image.js'
import { bridgeName, planNode, type NodePlan } from './plan.js'
import { meshRulesObservers } from '../metrics/hooks.js'
import { hostScript, rules } from './script.js'
import { onNodeHost } from './host-lock.js'
import { LABEL_HELPER, LABEL_NET_CLUSTER, LABEL_NET_ID } from './labels.js'

const REAPPLY_MS = 30_000

export interface NetAgentOptions {
  store: Store
  /** Nodes, networks, services and tasks as the store's watch keeps them (the manager's, shared); default: the store. */
  cache?: StoreCache
  engines: EnginePool
  clusterId: string
  /** Where the helper image is built. */
  workDir: string
  log: (msg: string) => void
}

/** Nodes whose host is being configured at once, at most (each is a few engine calls and a `docker exec`). */
export const MAX_NODE_APPLIES = 16
/** A burst of changes gets one pass once they pause this long, or at the latest this long after the first (coalesce.ts). */
const QUIET_MS = 50
const MAX_WAIT_MS = 1000

export class NetAgent {
  private readonly passes: Coalescer
  private readonly applied = new Map<string, { key: string; at: number }>()
  private image?: HelperImage
  private timer?: NodeJS.Timeout
  private unwatch?: () => void

  constructor(private readonly opts: NetAgentOptions) {
    this.passes = new Coalescer({ quietMs: QUIET_MS, maxWaitMs: MAX_WAIT_MS, pass: () => this.pass() })
  }

  start(): void {
    this.unwatch = this.opts.store.watch((e) => {
      if (e.kind === 'service' || e.kind === 'task' || e.kind === 'node' || e.kind === 'network') this.passes.request()
    })
    this.passes.request()
    this.timer = setInterval(() => this.passes.request(), REAPPLY_MS / 3)
    this.timer.unref()
  }

  stop(): void {
    this.unwatch?.()
    this.passes.stop()
    clearInterval(this.timer)
  }

  private async pass(): Promise<void> {
    const start = process.hrtime.bigint()
    try {
      await this.applyAll()
    } catch (err) {
      this.opts.log(`network: ${(err as Error).message}`)
      this.passes.request()
    }
    if (passObservers.size) for (const fn of passObservers) fn('network', secondsSince(start))
  }

  /** Forgets what was applied to a node (its engine came back: apply everything again). */
  forget(nodeId: string): void {
    this.applied.delete(nodeId)
    this.passes.request()
  }

  /**
   * Makes sure the engine of `nodeId` has the bridge networks of `networkIds`
   * (before a task's container is created on them); returns their engine names.
   */
  async prepare(nodeId: string, networkIds: string[]): Promise<void> {
    if (!networkIds.length) return
    const { store } = this.opts
    const [node, networks, engines] = await Promise.all([
      store.get<Node>('node', nodeId), store.list<Network>('network'), store.list<StoredEngine>('engine'),
    ])
    if (!node) throw new NotFoundError(`node ${nodeId} not found`)
    const wanted: EngineNetworkSpec[] = []
    for (const id of networkIds) {
      const n = networks.find((x) => x.ID === id)
      if (!n) throw new NotFoundError(`network ${id} not found`)
      const plan = planNode(node, [node], [n], [], [], dataPathAddresses(engines))
      const address = n.Tsw.NodeAddresses[nodeId]
      if (!plan || !address) {
        throw new TswError(`node ${node.Description.Hostname} cannot join overlay network ${n.Name} yet: ` +
          (plan ? 'it has no address there (allocation pending)' : `its address "${node.Status.Addr}" is not a routable IPv4 address`), 503)
      }
      wanted.push(engineNetwork(n, address, this.opts.clusterId))
    }
    await this.serial(nodeId, async () => {
      const conn = await this.connection(nodeId)
      await this.syncEngineNetworks(conn.docker, wanted, false)
    })
    this.passes.request()
  }

  private async applyAll(): Promise<void> {
    const { store } = this.opts
    // One pass per burst of changes reads the copy the loops share (engines are not in it).
    const read = this.opts.cache ?? store
    const [nodes, networks, services, tasks, engines] = await Promise.all([
      read.list<Node>('node'), read.list<Network>('network'), read.list<Service>('service'), read.list<Task>('task'),
      store.list<StoredEngine>('engine'),
    ])
    const addrOf = dataPathAddresses(engines)
    const now = Date.now()
    const ready = nodes.filter((n) => n.Status.State === 'ready')
    await runPaced(ready, { periodMs: 0, limit: MAX_NODE_APPLIES, key: (n) => n.ID }, async (node) => {
      const plan = planNode(node, nodes, networks, services, tasks, addrOf)
      if (!plan) return
      const engineNets = plan.networks.map((p) => engineNetwork(networks.find((n) => n.ID === p.id)!, p.address, this.opts.clusterId))
      const key = JSON.stringify({ plan, engineNets })
      const last = this.applied.get(node.ID)
      if (last && last.key === key && now - last.at < REAPPLY_MS) return
      try {
        await this.serial(node.ID, () => this.apply(node, plan, engineNets))
        // Back-dated by the node's phase: the 30 s re-applies of thousands of nodes fall due spread over three periodic passes, not in one.
        this.applied.set(node.ID, { key, at: Date.now() - phaseOf(node.ID, REAPPLY_MS / 3) })
      } catch (err) {
        this.applied.delete(node.ID)
        this.opts.log(`network: node ${node.Description.Hostname}: ${(err as Error).message}`)
      }
    })
  }

  private async apply(node: Node, plan: NodePlan, engineNets: EngineNetworkSpec[]): Promise<void> {
    const conn = await this.connection(node.ID)
    if (!plan.networks.length && !(await this.hasHelper(conn.docker))) {
      // Nothing to set up, and no helper: nothing of tsw's on this host to clean either.
      await this.syncEngineNetworks(conn.docker, [], true)
      return
    }
    const helper = await this.helper(conn.docker)
    await this.syncEngineNetworks(conn.docker, engineNets, false)
    const { code, output } = await execIn(conn.docker, helper, ['sh', '-c', hostScript(plan)])
    if (code !== 0) throw new TswError(`the host network script failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`, 500)
    if (meshRulesObservers.size) {
      const count = rules(plan).filter((line) => line.startsWith('-A ')).length
      for (const fn of meshRulesObservers) fn(node.Description.Hostname, count)
    }
    // Bridges of networks no longer here go last, once their VXLAN devices are gone.
    await this.syncEngineNetworks(conn.docker, engineNets, true)
  }

  /** Runs fn after every earlier call for the same node, teardowns included (host-lock.ts). */
  private serial<T>(nodeId: string, fn: () => Promise<T>): Promise<T> {
    return onNodeHost(nodeId, fn)
  }

  private async connection(nodeId: string): Promise<EngineConnection> {
    const engine = await this.opts.store.get<StoredEngine>('engine', nodeId)
    // A node that left (or was removed) while this waited in its queue: its engine is no longer the swarm's.
    if (!engine || engine.Left) throw new NotFoundError(`node ${nodeId} is no longer in the swarm`)
    return this.opts.engines.get(nodeId, engine.Ref)
  }

  private helperName(): string {
    return `tsw-net-${this.opts.clusterId.slice(0, 12)}`
  }

  private async hasHelper(docker: Dockerode): Promise<boolean> {
    try {
      await docker.getContainer(this.helperName()).inspect()
      return true
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return false
      throw err
    }
  }

  /** The helper image's reference on an engine, imported there if need be (the executor's secrets filler uses it). */
  async helperImage(docker: Dockerode): Promise<string> {
    this.image ??= buildHelperImage(join(this.opts.workDir, 'net-helper'))
    await ensureImage(docker, this.image)
    return this.image.ref
  }

  /** The running helper container's ID (image imported and container made as needed). */
  private async helper(docker: Dockerode): Promise<string> {
    this.image ??= buildHelperImage(join(this.opts.workDir, 'net-helper'))
    const image = this.image
    const name = this.helperName()
    let info: Dockerode.ContainerInspectInfo | undefined
    try {
      info = await docker.getContainer(name).inspect()
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err
    }
    if (info && info.Config.Image !== image.ref) {
      await docker.getContainer(name).remove({ force: true })
      info = undefined
    }
    if (!info) {
      await ensureImage(docker, image)
      await docker.createContainer({
        name, Image: image.ref,
        Cmd: ['sh', '-c', 'trap "exit 0" TERM INT; while :; do sleep 3600 & wait; done'],
        Labels: { [LABEL_HELPER]: this.opts.clusterId },
        HostConfig: { NetworkMode: 'host', CapAdd: ['NET_ADMIN'], RestartPolicy: { Name: 'unless-stopped' } },
      } as Dockerode.ContainerCreateOptions)
    }
    if (!info?.State.Running) await docker.getContainer(name).start().catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 304) throw err
    })
    return name
  }

  /** Creates the engine networks in `wanted` that are missing; with `prune`, removes tsw's others (when unused). */
  private async syncEngineNetworks(docker: Dockerode, wanted: EngineNetworkSpec[], prune: boolean): Promise<void> {
    const have = (await docker.listNetworks({ filters: { label: [`${LABEL_NET_CLUSTER}=${this.opts.clusterId}`] } })) as Array<{
      Id: string; Name: string; Labels?: Record<string, string>; IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> }
    }>
    for (const w of wanted) {
      const same = have.find((h) => h.Name === w.Name)
      const cfg = same?.IPAM?.Config?.[0]
      if (same && same.Labels?.[LABEL_NET_ID] === w.Labels[LABEL_NET_ID] && cfg?.Subnet === w.IPAM.Config[0].Subnet && cfg?.Gateway === w.IPAM.Config[0].Gateway) continue
      if (same) await docker.getNetwork(same.Id).remove().catch(() => {})
      try {
        await docker.createNetwork(w as unknown as Dockerode.NetworkCreateOptions)
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode === 409) {
          throw new TswError(`engine already has a network named "${w.Name}" that is not this swarm's: remove or rename it on that engine`, 409)
        }
        throw err
      }
    }
    if (!prune) return
    for (const h of have) {
      if (wanted.some((w) => w.Name === h.Name)) continue
      await docker.getNetwork(h.Id).remove().catch((err: Error) =>
        this.opts.log(`network: cannot remove engine network ${h.Name} yet: ${err.message}`))
    }
  }
}

/**
 * Where each node's VXLAN traffic goes: the host of its engine's tcp:// or
 * ssh:// address when that is an IPv4 address (the engine's own host), else
 * the node's Status.Addr (a local engine: the manager's advertised address).
 */
export function dataPathAddresses(engines: StoredEngine[]): (node: Node) => string | undefined {
  const byNode = new Map<string, string>()
  for (const e of engines) {
    try {
      const a = parseEngineUrl(e.Ref.URL)
      if (a.kind !== 'unix' && /^\d{1,3}(\.\d{1,3}){3}$/.test(a.host)) byNode.set(e.ID, a.host)
    } catch { /* a bad URL: the node's own address */ }
  }
  return (node) => byNode.get(node.ID) ?? node.Status.Addr
}

/** The body of POST /networks/create for an overlay network's bridge on one engine. */
interface EngineNetworkSpec {
  Name: string
  Driver: 'bridge'
  CheckDuplicate: true
  Internal: boolean
  IPAM: { Driver: 'default'; Config: Array<{ Subnet: string; Gateway: string }> }
  Options: Record<string, string>
  Labels: Record<string, string>
}

function engineNetwork(n: Network, address: string, clusterId: string): EngineNetworkSpec {
  return {
    Name: n.Name, Driver: 'bridge', CheckDuplicate: true, Internal: n.Internal,
    IPAM: { Driver: 'default', Config: [{ Subnet: n.IPAM.Config[0].Subnet, Gateway: address }] },
    Options: {
      'com.docker.network.bridge.name': bridgeName(n.Tsw.Vni),
      'com.docker.network.driver.mtu': n.Options['com.docker.network.driver.mtu'] || '1450',
    },
    Labels: { [LABEL_NET_CLUSTER]: clusterId, [LABEL_NET_ID]: n.ID },
  }
}
