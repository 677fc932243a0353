// Networks of a stack, as docker/cli's convert: each service joins its
// networks (or STACK_default) with its own name as an alias; the networks
// the services use are created as STACK_name overlays (labelled), unless
// external (then they must exist) or given a name.
import { InvalidArgumentError } from '../../errors/index.js'
import type { NetworkAttachmentConfig, NetworkCreateRequest } from '../../types/index.js'
import { scope, withStackLabel } from '../names.js'
import type { ComposeConfig, ComposeService } from '../types.js'

/** The network every service without `networks:` joins. */
export const DEFAULT_NETWORK = 'default'

/** The keys of the networks a service joins (its own, or "default"). */
export function serviceNetworkKeys(svc: ComposeService): string[] {
  const keys = Object.keys(svc.networks ?? {})
  return keys.length ? keys : [DEFAULT_NETWORK]
}

/** The swarm name of a network key: its `name`, or STACK_key. */
export function networkName(config: ComposeConfig, stack: string, key: string): string {
  return config.networks[key]?.name || scope(stack, key)
}

/** A service's network attachments, sorted by target. Throws InvalidArgumentError on an undefined network. */
export function attachments(svc: ComposeService, service: string, config: ComposeConfig, stack: string, where: string): NetworkAttachmentConfig[] {
  const out = serviceNetworkKeys(svc).map((key) => {
    if (key !== DEFAULT_NETWORK && !(key in config.networks)) {
      throw new InvalidArgumentError(`${where}.networks: undefined network "${key}": declare it under the top-level networks key`)
    }
    const n = svc.networks?.[key]
    const a: NetworkAttachmentConfig = { Target: networkName(config, stack, key), Aliases: [...(n?.aliases ?? []), service] }
    if (n?.driver_opts) a.DriverOpts = Object.fromEntries(Object.entries(n.driver_opts).map(([k, v]) => [k, String(v)]))
    return a
  })
  return out.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0))
}

/** What the stack's networks need: the ones to create (by swarm name) and the external ones that must exist. */
export interface StackNetworks { create: Array<{ name: string; spec: NetworkCreateRequest }>; external: string[] }

/** The networks the services use, as create requests (overlay, labelled) and external names. Throws InvalidArgumentError on a driver tsw has not. */
export function stackNetworks(config: ComposeConfig, stack: string): StackNetworks {
  const used = new Set(Object.values(config.services).flatMap(serviceNetworkKeys))
  const out: StackNetworks = { create: [], external: [] }
  for (const key of [...used].sort()) {
    const n = config.networks[key] ?? {}
    const name = networkName(config, stack, key)
    if (n.external) {
      out.external.push(name)
      continue
    }
    if (n.driver && n.driver !== 'overlay') {
      throw new InvalidArgumentError(`networks.${key}.driver: tsw's stack networks are overlay networks, not ${n.driver}`)
    }
    const spec: NetworkCreateRequest = { Name: name, Driver: 'overlay', Scope: 'swarm', Labels: withStackLabel(stack, n.labels) }
    if (n.driver_opts) spec.Options = { ...n.driver_opts }
    if (n.internal) spec.Internal = true
    if (n.attachable) spec.Attachable = true
    if (n.ipam?.driver || n.ipam?.config?.length) {
      spec.IPAM = { ...(n.ipam.driver ? { Driver: n.ipam.driver } : {}), Config: (n.ipam.config ?? []).map((c) => ({ Subnet: c.subnet ?? '', ...(c.gateway ? { Gateway: c.gateway } : {}), ...(c.ip_range ? { IPRange: c.ip_range } : {}) })) }
    }
    out.create.push({ name, spec })
  }
  return out
}
