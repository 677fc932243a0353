// Classic swarm placement: where a plain `docker run` sent to the manager
// lands. Pure: callers pass what they know of each engine (EngineState) and
// the container asked for (requestFromCreateBody); placeContainer filters
// (health, constraint, affinity, port, resources, see filters/) and ranks by
// strategy (spread, binpack, random). Expressions: see expr.ts.
export type { ContainerRequest, EngineContainer, EngineState, Strategy } from './types.js'
export type { Expr, ExprKind } from './expr.js'
export type { Filter, PlacementTask } from './filters/index.js'
export { requestFromCreateBody } from './request.js'
export { EXPR_LABELS, exprText, parseClassicExpressions, parseExpr } from './expr.js'
export { AffinityFilter, ConstraintFilter, HealthFilter, PortFilter, ResourceFilter, filtersFor } from './filters/index.js'
export { Pipeline } from './pipeline.js'
export { STRATEGIES, isStrategy, rankEngines } from './strategy.js'
export { placeContainer } from './place.js'
