import { exprText, isPlain, satisfies, anyMatches, type Expr } from '../expr.js'
import { imageRefForms } from '../image-ref.js'
import type { EngineContainer, EngineState } from '../types.js'
import { names, type Filter, type PlacementTask } from './filter.js'

/**
 * Passes engines satisfying one affinity with what they hold: `container`
 * matches a container's name (or, for a plain value, an ID prefix), `image`
 * an image present or used there (tag-insensitive when the value has none),
 * any other key a label of one of the engine's containers.
 */
export class AffinityFilter implements Filter {
  constructor(readonly expr: Expr) {}

  /** Applies unless the affinity is soft and this is the pass without soft expressions. */
  setTask({ soft }: PlacementTask): boolean {
    return soft || !this.expr.soft
  }

  /** Whether the engine satisfies the affinity. */
  check(e: EngineState): boolean {
    switch (this.expr.key.toLowerCase()) {
      case 'container': return this.holds(e.containers.flatMap((c) => [...c.names, c.id]), e.containers.map((c) => c.id))
      case 'image': return this.holds(imageValues(e), imageIds(e.containers))
      default: return satisfies(this.expr, e.containers.flatMap((c) => (Object.hasOwn(c.labels, this.expr.key) ? [c.labels[this.expr.key]] : [])))
    }
  }

  /** "affinity container==web excluded node02, node03". */
  explain(excluded: EngineState[]): string {
    return `affinity ${exprText(this.expr)} excluded ${names(excluded)}`
  }

  /** Whether the values match (a plain value also as an ID prefix), with == or != applied. */
  private holds(values: string[], ids: string[]): boolean {
    const { value } = this.expr
    const byId = isPlain(value) && ids.some((id) => id.startsWith(value))
    return (byId || anyMatches(this.expr, values)) === (this.expr.operator === '==')
  }
}

/** Every spelling of the images on the engine and of those its containers were created from. */
function imageValues(e: EngineState): string[] {
  return [...new Set([...e.images, ...e.containers.map((c) => c.image)].flatMap(imageRefForms))]
}

/** The containers' image IDs, with and without "sha256:". */
function imageIds(containers: EngineContainer[]): string[] {
  return containers.flatMap((c) => (c.imageId ? [c.imageId, c.imageId.replace(/^sha256:/, '')] : []))
}
