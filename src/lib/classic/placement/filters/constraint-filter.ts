import { labelValue } from '../engine-info.js'
import { exprText, satisfies, type Expr } from '../expr.js'
import type { EngineState } from '../types.js'
import { names, type Filter, type PlacementTask } from './filter.js'

/**
 * Passes engines satisfying one constraint: `node` matches the hostname or
 * node ID, any other key an engine label (then a tsw node label, see
 * labelValue); a missing label reads as ''.
 */
export class ConstraintFilter implements Filter {
  constructor(readonly expr: Expr) {}

  /** Applies unless the constraint is soft and this is the pass without soft expressions. */
  setTask({ soft }: PlacementTask): boolean {
    return soft || !this.expr.soft
  }

  /** Whether the engine satisfies the constraint. */
  check(e: EngineState): boolean {
    const values = this.expr.key.toLowerCase() === 'node'
      ? [e.node.Description?.Hostname ?? '', e.node.ID]
      : [labelValue(e, this.expr.key)]
    return satisfies(this.expr, values)
  }

  /** "constraint storage==ssd excluded node01, node02". */
  explain(excluded: EngineState[]): string {
    return `constraint ${exprText(this.expr)} excluded ${names(excluded)}`
  }
}
