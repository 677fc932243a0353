// One filter per check, in the order swarmkit's pipeline runs them.
import { ConstraintFilter } from './constraint-filter.js'
import type { Filter } from './filter.js'
import { MaxReplicasFilter } from './max-replicas-filter.js'
import { PlatformFilter } from './platform-filter.js'
import { PortFilter } from './port-filter.js'
import { ReadyFilter } from './ready-filter.js'
import { ResourceFilter } from './resource-filter.js'

export type { Filter } from './filter.js'
export { ConstraintFilter, MaxReplicasFilter, PlatformFilter, PortFilter, ReadyFilter, ResourceFilter }

/** Fresh instances of every filter, readiness first (filters hold per-task state). */
export function defaultFilters(): Filter[] {
  return [
    new ReadyFilter(), new ResourceFilter(), new ConstraintFilter(),
    new PlatformFilter(), new PortFilter(), new MaxReplicasFilter(),
  ]
}
