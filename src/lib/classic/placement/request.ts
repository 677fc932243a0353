// Reads the parts of a POST /containers/create body that placement uses.
import { InvalidArgumentError } from '../../errors/index.js'
import type { ContainerRequest } from './types.js'

// dockerd's CFS period when CpuQuota is given without CpuPeriod (100 ms).
const DEFAULT_CPU_PERIOD = 100_000

/** The ContainerRequest of a create body and its ?name=; throws InvalidArgumentError for a missing image or a bad host port. */
export function requestFromCreateBody(body: any, name?: string): ContainerRequest {
  const b = isObject(body) ? body : {}
  const hc = isObject(b.HostConfig) ? b.HostConfig : {}
  if (typeof b.Image !== 'string' || b.Image === '') {
    throw new InvalidArgumentError('Image: an image reference must be provided (e.g. "Image": "redis")')
  }
  const trimmed = name?.replace(/^\//, '')
  return {
    ...(trimmed ? { name: trimmed } : {}),
    image: b.Image,
    env: Array.isArray(b.Env) ? b.Env.filter((e: unknown): e is string => typeof e === 'string') : [],
    labels: stringRecord(b.Labels),
    memory: positive(hc.Memory),
    nanoCpus: nanoCpus(hc),
    hostPorts: hc.NetworkMode === 'host' ? exposedPorts(b.ExposedPorts) : boundPorts(hc.PortBindings),
  }
}

/** HostConfig.NanoCpus, else CpuQuota/CpuPeriod converted to nano-CPUs, else 0. */
function nanoCpus(hc: any): number {
  if (positive(hc.NanoCpus) > 0) return positive(hc.NanoCpus)
  const quota = positive(hc.CpuQuota)
  if (quota === 0) return 0
  return Math.round((quota * 1e9) / (positive(hc.CpuPeriod) || DEFAULT_CPU_PERIOD))
}

/** "tcp/8080" for every binding with a HostPort; empty HostPorts are ephemeral and never conflict. */
function boundPorts(bindings: unknown): string[] {
  if (!isObject(bindings)) return []
  const out = new Set<string>()
  for (const [containerPort, list] of Object.entries(bindings)) {
    const proto = protocol(containerPort)
    for (const binding of Array.isArray(list) ? list : []) {
      const hostPort = isObject(binding) && typeof binding.HostPort === 'string' ? binding.HostPort.trim() : ''
      if (hostPort === '') continue
      for (const p of portRange(hostPort, containerPort)) out.add(`${proto}/${p}`)
    }
  }
  return [...out]
}

/** With --network host the container binds its exposed ports on the host itself. */
function exposedPorts(exposed: unknown): string[] {
  if (!isObject(exposed)) return []
  return [...new Set(Object.keys(exposed).map((k) => `${protocol(k)}/${k.split('/')[0]}`))]
}

/** The ports of "8080" or "8000-8010"; throws InvalidArgumentError for anything else. */
function portRange(hostPort: string, containerPort: string): number[] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(hostPort)
  const from = m ? Number(m[1]) : NaN
  const to = m?.[2] !== undefined ? Number(m[2]) : from
  if (!m || from < 1 || to > 65535 || to < from) {
    throw new InvalidArgumentError(`HostConfig.PortBindings: host port '${hostPort}' of ${containerPort} is invalid `
      + '(use a number from 1 to 65535 or a range such as 8000-8010)')
  }
  return Array.from({ length: to - from + 1 }, (_, i) => from + i)
}

const protocol = (containerPort: string): string => (containerPort.split('/')[1] || 'tcp').toLowerCase()
const positive = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0)
const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v)

function stringRecord(v: unknown): Record<string, string> {
  if (!isObject(v)) return {}
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'))
}
