// Published ports as a client sends them, checked field by field: they end up
// in every node's iptables rules (network/script.ts) and in engines' port
// bindings, so only values those can take get in. Docker's daemon maps an
// unknown protocol or mode to tcp/ingress without a word; tsw says what is wrong.
import { InvalidArgumentError } from '../errors/index.js'
import type { PortConfig } from '../types/index.js'

export const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const
export const PUBLISH_MODES = ['ingress', 'host'] as const
/** Port names are shown, never used: printable, short. */
const PORT_NAME_RE = /^[\x20-\x7e]{0,255}$/

/** Whether n is a port number (1–65535). */
export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65_535
}

/** Checks one port of an endpoint spec and fills its defaults (tcp, ingress). Throws InvalidArgumentError naming the field. */
export function checkPort(raw: unknown): PortConfig {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidArgumentError('EndpointSpec: each port must be a JSON object')
  const p = raw as PortConfig
  if (!isPort(p.TargetPort)) throw new InvalidArgumentError(`EndpointSpec: invalid target port ${show(p.TargetPort)}: a port is a whole number from 1 to 65535`)
  if (p.PublishedPort !== undefined && p.PublishedPort !== 0 && !isPort(p.PublishedPort)) {
    throw new InvalidArgumentError(`EndpointSpec: invalid published port ${show(p.PublishedPort)}: a port is a whole number from 1 to 65535 (or 0 for one from the dynamic range)`)
  }
  p.Protocol ??= 'tcp'
  if (!(PROTOCOLS as readonly unknown[]).includes(p.Protocol)) {
    throw new InvalidArgumentError(`EndpointSpec: invalid protocol ${show(p.Protocol)} for port ${p.TargetPort}: use tcp, udp or sctp`)
  }
  p.PublishMode ??= 'ingress'
  if (!(PUBLISH_MODES as readonly unknown[]).includes(p.PublishMode)) {
    throw new InvalidArgumentError(`EndpointSpec: invalid publish mode ${show(p.PublishMode)} for port ${p.TargetPort}: use ingress or host`)
  }
  if (p.Name !== undefined && (typeof p.Name !== 'string' || !PORT_NAME_RE.test(p.Name))) {
    throw new InvalidArgumentError(`EndpointSpec: invalid port name ${show(p.Name)}: printable characters only, at most 255`)
  }
  return p
}

/** A value as the client sent it, quoted and with control characters visible (a newline must not start a line of the message). */
export function show(v: unknown): string {
  return JSON.stringify(v) ?? String(v)
}
