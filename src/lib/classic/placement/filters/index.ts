// One filter per check, in the order classic placement runs them: health,
// constraints, affinities, host ports, resources. Constraints, affinities and
// ports get one filter each, so a failure names the one expression or port.
import type { Expr } from '../expr.js'
import type { ContainerRequest } from '../types.js'
import { AffinityFilter } from './affinity-filter.js'
import { ConstraintFilter } from './constraint-filter.js'
import type { Filter } from './filter.js'
import { HealthFilter } from './health-filter.js'
import { PortFilter } from './port-filter.js'
import { ResourceFilter } from './resource-filter.js'

export type { Filter, PlacementTask } from './filter.js'
export { AffinityFilter, ConstraintFilter, HealthFilter, PortFilter, ResourceFilter }

/** Fresh filters for a container and its parsed expressions, in pipeline order. */
export function filtersFor(req: ContainerRequest, constraints: Expr[], affinities: Expr[]): Filter[] {
  return [
    new HealthFilter(),
    ...constraints.map((c) => new ConstraintFilter(c)),
    ...affinities.map((a) => new AffinityFilter(a)),
    ...[...new Set(req.hostPorts)].map((p) => new PortFilter(p)),
    new ResourceFilter(),
  ]
}
