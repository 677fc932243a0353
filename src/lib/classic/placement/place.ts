// Places one container: filters the engines, then ranks the survivors by the
// strategy. As classic swarm's scheduler, a first pass applies soft
// expressions too; if nothing fits, a second pass drops them.
import { UnavailableError } from '../../errors/index.js'
import { engineName } from './engine-info.js'
import { exprText, parseClassicExpressions, type Expr } from './expr.js'
import { AffinityFilter, ConstraintFilter, filtersFor, type Filter } from './filters/index.js'
import { Pipeline } from './pipeline.js'
import { rankEngines } from './strategy.js'
import type { ContainerRequest, EngineState, Strategy } from './types.js'

/**
 * The node to create the container on, and warnings (soft expressions that
 * had to be ignored). Throws InvalidArgumentError for bad expressions, and
 * UnavailableError when no engine fits, naming what excluded which engine.
 */
export function placeContainer(
  req: ContainerRequest, engines: EngineState[], strategy: Strategy, random: () => number = Math.random,
): { nodeId: string; warnings: string[] } {
  const { constraints, affinities } = parseClassicExpressions(req)
  if (engines.length === 0) throw new UnavailableError('no nodes available in the cluster')
  // Sorted once, so messages list engines by name whatever order they came in.
  const sorted = [...engines].sort((a, b) => (engineName(a) < engineName(b) ? -1 : engineName(a) > engineName(b) ? 1 : 0))
  const filters = filtersFor(req, constraints, affinities)
  const pipeline = new Pipeline(filters)

  let candidates = filterPass(pipeline, req, sorted, true)
  const softDropped = candidates.length === 0 && [...constraints, ...affinities].some((e) => e.soft)
  if (softDropped) candidates = filterPass(pipeline, req, sorted, false)
  if (candidates.length === 0) {
    throw new UnavailableError(`unable to find a node that satisfies the following conditions: ${pipeline.explain()}`)
  }
  const [chosen] = rankEngines(strategy, req, candidates, random)
  // Only the soft expressions the chosen engine misses were really ignored.
  const warnings = !softDropped ? [] : filters.flatMap((f) => {
    const e = softExpr(f)
    return e && !f.check(chosen) ? [`soft ${e.kind} ${exprText(e)} not satisfied on ${engineName(chosen)}: ignored`] : []
  })
  return { nodeId: chosen.node.ID, warnings }
}

/** The engines passing every filter in one pass (with or without soft expressions). */
function filterPass(pipeline: Pipeline, req: ContainerRequest, engines: EngineState[], soft: boolean): EngineState[] {
  pipeline.setTask({ req, soft })
  return engines.filter((e) => pipeline.process(e))
}

/** The soft expression a filter checks, if any. */
function softExpr(f: Filter): Expr | undefined {
  return (f instanceof ConstraintFilter || f instanceof AffinityFilter) && f.expr.soft ? f.expr : undefined
}
