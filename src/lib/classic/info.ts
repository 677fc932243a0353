// What `docker info` against the manager says of the engines, as classic
// swarm said it: container and image counts summed over the engines, and
// SystemStatus pairs listing each node (the docker CLI prints them as
// " Nodes: 3", "  node01: 10.213.0.11:2375", "   └ Status: Healthy"…).

import { engineJson } from '../engine/http.js'
import { engineAddr, nodeName, type Member, type Target } from './members.js'
import type { ResourceCache, ListedContainer } from './state.js'

/** An engine's /info (the fields used here). */
interface EngineInfoAnswer {
  Containers?: number
  ContainersRunning?: number
  ContainersPaused?: number
  ContainersStopped?: number
  Images?: number
  NCPU?: number
  MemTotal?: number
  KernelVersion?: string
  OperatingSystem?: string
  OSType?: string
  Driver?: string
  ServerVersion?: string
  Labels?: string[] | null
}

/** The /info fields classic swarm filled in from the engines. */
export interface ClassicInfo {
  Containers: number
  ContainersRunning: number
  ContainersPaused: number
  ContainersStopped: number
  Images: number
  SystemStatus: Array<[string, string]>
}

/** Bounds each engine's answers: `docker info` must stay quick when an engine hangs. */
const INFO_TIMEOUT_MS = 3_000

/** Counts and per-node status lines for the members (strategy and filters as placement applies them). */
export async function classicInfo(members: Member[], targets: Target[], cache: ResourceCache, strategy: string, filters: string[]): Promise<ClassicInfo> {
  const byNode = new Map(targets.map((t) => [t.node.ID, t]))
  const reports = await Promise.all(members.map(async (m) => {
    const target = byNode.get(m.node.ID)
    if (!target) return { member: m, error: m.node.Status.Message || `node is ${m.node.Status.State}` }
    try {
      const [info, running] = await Promise.all([
        engineJson<EngineInfoAnswer>(target.conn, 'GET', '/info', undefined, INFO_TIMEOUT_MS),
        engineJson<ListedContainer[]>(target.conn, 'GET', '/containers/json', undefined, INFO_TIMEOUT_MS),
      ])
      const resources = await cache.of(target.conn, running.map((c) => c.Id))
      let memory = 0
      let nanoCpus = 0
      for (const r of resources.values()) {
        memory += r.memory
        nanoCpus += r.nanoCpus
      }
      return { member: m, info, memory, nanoCpus }
    } catch (err) {
      return { member: m, error: (err as Error).message }
    }
  }))

  const out: ClassicInfo = { Containers: 0, ContainersRunning: 0, ContainersPaused: 0, ContainersStopped: 0, Images: 0, SystemStatus: [] }
  const status = out.SystemStatus
  status.push(['Role', 'primary'], ['Strategy', strategy], ['Filters', filters.join(', ')], ['Nodes', String(members.length)])
  for (const r of reports) {
    const node = r.member.node
    const info = 'info' in r ? r.info : undefined
    const ncpu = info?.NCPU ?? node.Description.Resources.NanoCPUs / 1e9
    const memTotal = info?.MemTotal ?? node.Description.Resources.MemoryBytes
    status.push([` ${nodeName(node)}`, engineAddr(r.member)])
    status.push(['  └ ID', node.ID])
    status.push(['  └ Status', info ? 'Healthy' : 'Unhealthy'])
    if (info) {
      out.Containers += info.Containers ?? 0
      out.ContainersRunning += info.ContainersRunning ?? 0
      out.ContainersPaused += info.ContainersPaused ?? 0
      out.ContainersStopped += info.ContainersStopped ?? 0
      out.Images += info.Images ?? 0
      status.push(['  └ Containers', `${info.Containers ?? 0} (${info.ContainersRunning ?? 0} Running, ${info.ContainersPaused ?? 0} Paused, ${info.ContainersStopped ?? 0} Stopped)`])
    } else {
      status.push(['  └ Containers', '0'])
    }
    const memory = 'memory' in r ? r.memory ?? 0 : 0
    const nanoCpus = 'nanoCpus' in r ? r.nanoCpus ?? 0 : 0
    status.push(['  └ Reserved CPUs', `${trimNumber(nanoCpus / 1e9)} / ${trimNumber(ncpu)}`])
    status.push(['  └ Reserved Memory', `${bytesSize(memory)} / ${bytesSize(memTotal)}`])
    status.push(['  └ Labels', nodeLabels(info, node.Description.Engine.Labels ?? {}, node.Spec.Labels)])
    status.push(['  └ Error', 'error' in r ? r.error ?? '(none)' : '(none)'])
    status.push(['  └ UpdatedAt', node.UpdatedAt])
    status.push(['  └ ServerVersion', info?.ServerVersion ?? node.Description.Engine.EngineVersion])
  }
  return out
}

/** Classic's label line: the engine's kernel, OS and storage driver, then its own labels and the node's, "k=v, k=v". */
function nodeLabels(info: EngineInfoAnswer | undefined, engineLabels: Record<string, string>, nodeLabels: Record<string, string>): string {
  const pairs: string[] = []
  if (info) {
    pairs.push(`kernelversion=${info.KernelVersion ?? ''}`, `operatingsystem=${info.OperatingSystem ?? ''}`,
      `ostype=${info.OSType ?? ''}`, `storagedriver=${info.Driver ?? ''}`)
  }
  for (const label of info?.Labels ?? Object.entries(engineLabels).map(([k, v]) => `${k}=${v}`)) pairs.push(label)
  for (const [k, v] of Object.entries(nodeLabels)) pairs.push(`node.labels.${k}=${v}`)
  return pairs.join(', ')
}

/** Sizes as classic swarm printed them (go-units BytesSize of its day): "0 B", "23.54 GiB". */
export function bytesSize(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']
  let i = 0
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024
    i++
  }
  return `${Number(n.toPrecision(4))} ${units[i]}`
}

function trimNumber(n: number): string {
  return String(Number(n.toFixed(2)))
}
