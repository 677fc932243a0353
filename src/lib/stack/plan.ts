// What deploying a compose config makes, worked out before anything is made:
// networks, secrets, configs and service specs, every conversion error found
// first, so a bad file changes nothing.
import type { NetworkCreateRequest, ServiceSpec } from '../types/index.js'
import { InvalidArgumentError } from '../errors/index.js'
import { serviceSpec } from './convert/service.js'
import { stackNetworks } from './convert/networks.js'
import { stackObjects, type ObjectSpec } from './convert/objects.js'
import type { Lookup } from './interpolate.js'
import { badStackName } from './names.js'
import type { ComposeConfig } from './types.js'

/** Everything a stack deploy creates or updates, by swarm name. */
export interface StackPlan {
  stack: string
  networks: Array<{ name: string; spec: NetworkCreateRequest }>
  externalNetworks: string[]
  secrets: ObjectSpec[]
  externalSecrets: string[]
  configs: ObjectSpec[]
  externalConfigs: string[]
  /** Sorted by name, as docker deploys them. */
  services: ServiceSpec[]
}

/** The plan of deploying `config` as stack `stack`. Throws InvalidArgumentError on the first thing that cannot be deployed. */
export function planStack(stack: string, config: ComposeConfig, lookup: Lookup): StackPlan {
  const bad = badStackName(stack)
  if (bad) throw new InvalidArgumentError(bad)
  const networks = stackNetworks(config, stack)
  const secrets = stackObjects(config.secrets, 'secret', stack, lookup)
  const configs = stackObjects(config.configs, 'config', stack, lookup)
  const services = Object.keys(config.services).sort().map((name) => serviceSpec(stack, name, config.services[name], config, lookup))
  for (const s of services) {
    if (s.Name.length > 63) throw new InvalidArgumentError(`service name ${s.Name} is longer than 63 characters: use a shorter stack or service name`)
  }
  return {
    stack, networks: networks.create, externalNetworks: networks.external,
    secrets: secrets.create, externalSecrets: secrets.external,
    configs: configs.create, externalConfigs: configs.external, services,
  }
}
