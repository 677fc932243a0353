// --generic-resource as docker reads it (ParseGenericResources over
// swarmkit's genericresource.Parse): "kind=count"; a service may not ask for
// named resources ("gpu=UUID1"), only for a count of a kind.
import type { GenericResource } from '../../../types/index.js'

/** A --generic-resource value → a discrete resource request. Throws Error in docker's words. */
export function parseGenericResource(value: string): GenericResource {
  const parts = value.split('=')
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new Error(`invalid generic resource specification: incorrect term ${value}, missing '=' or malformed expression`)
  }
  const [kind, v] = parts
  if (!/^\d+$/.test(v.trim())) {
    throw new Error(`invalid generic-resource request \`${kind}=${v}\`, Named Generic Resources is not supported for service create or update`)
  }
  return { DiscreteResourceSpec: { Kind: kind, Value: Number(v.trim()) } }
}
