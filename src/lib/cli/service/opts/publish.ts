// --publish as docker reads it (opts/swarmopts/port.go): the short form
// "[published:]target[/protocol]" (ranges allowed) and the long form
// "published=8080,target=80,protocol=udp,mode=host".
import type { PortConfig } from '../../../types/index.js'
import { csvFields } from './csv.js'

const PROTOCOLS = ['tcp', 'udp', 'sctp']

/** The port configs one --publish value stands for. Throws Error with docker's words. */
export function parsePublish(value: string): PortConfig[] {
  return /\w+=\w+(,\w+=\w+)*/.test(value) ? [parseLong(value)] : parseShort(value)
}

function parsePort(val: string, what: string): number {
  if (!/^\d+$/.test(val)) throw new Error(`invalid ${what} port (${val}): value must be an integer: invalid syntax`)
  const n = Number(val)
  if (n > 65535) throw new Error(`invalid ${what} port (${val}): value must be an integer: value out of range`)
  return n
}

function parseLong(value: string): PortConfig {
  const port: Partial<PortConfig> = {}
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=')
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase()
    const val = eq < 0 ? '' : field.slice(eq + 1).toLowerCase()
    if (eq < 0 || !key) throw new Error(`invalid field: ${field}`)
    switch (key) {
      case 'protocol':
        if (!PROTOCOLS.includes(val)) throw new Error(`invalid protocol value '${val}'`)
        port.Protocol = val as PortConfig['Protocol']
        break
      case 'mode':
        if (val !== 'ingress' && val !== 'host') throw new Error(`invalid publish mode value (${val}): must be either 'ingress' or 'host'`)
        port.PublishMode = val
        break
      case 'target':
        port.TargetPort = parsePort(val, 'target')
        break
      case 'published':
        port.PublishedPort = parsePort(val, 'published')
        break
      default:
        throw new Error(`invalid field key: ${key}`)
    }
  }
  if (!port.TargetPort) throw new Error("missing mandatory field 'target'")
  return { Protocol: port.Protocol ?? 'tcp', TargetPort: port.TargetPort, PublishedPort: port.PublishedPort, PublishMode: port.PublishMode ?? 'ingress' }
}

/** "80" or "8000-8010" → [start, end]; undefined when malformed. */
function portRange(s: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s)
  if (!m) return undefined
  const start = Number(m[1])
  const end = m[2] === undefined ? start : Number(m[2])
  if (start > 65535 || end > 65535 || end < start) return undefined
  return [start, end]
}

function parseShort(value: string): PortConfig[] {
  const parts = value.split(':')
  const container = parts[parts.length - 1]
  const host = parts.length >= 2 ? parts[parts.length - 2] : ''
  const ip = parts.length >= 3 ? parts.slice(0, -2).join(':') : ''
  const slash = container.indexOf('/')
  const portPart = slash < 0 ? container : container.slice(0, slash)
  const proto = (slash < 0 ? '' : container.slice(slash + 1)).toLowerCase() || 'tcp'
  if (!PROTOCOLS.includes(proto)) throw new Error(`invalid proto: ${proto}`)
  if (!portPart) throw new Error(`no port specified: ${value}<empty>`)
  if (ip) throw new Error('hostip is not supported')
  const target = portRange(portPart)
  if (!target) throw new Error(`invalid containerPort: ${portPart}`)
  let published: [number, number] | undefined
  if (host) {
    published = portRange(host)
    if (!published) throw new Error(`invalid hostPort: ${host}`)
    if (target[1] - target[0] !== published[1] - published[0] && target[0] !== target[1]) {
      throw new Error(`invalid ranges specified for container and host Ports: ${portPart} and ${host}`)
    }
  }
  const out: PortConfig[] = []
  for (let t = target[0]; t <= target[1]; t++) {
    const base: PortConfig = { Protocol: proto as PortConfig['Protocol'], TargetPort: t, PublishMode: 'ingress' }
    if (!published) {
      out.push(base)
    } else if (target[0] === target[1]) {
      // One target port and a published range: one config per published port, as docker does.
      for (let p = published[0]; p <= published[1]; p++) out.push({ ...base, PublishedPort: p })
    } else {
      out.push({ ...base, PublishedPort: published[0] + (t - target[0]) })
    }
  }
  return out
}

/** Docker's key for a port config: "8080:80/tcp/ingress". */
export function portKey(p: PortConfig): string {
  return `${p.PublishedPort ?? 0}:${p.TargetPort}/${p.Protocol ?? ''}/${p.PublishMode ?? ''}`
}
