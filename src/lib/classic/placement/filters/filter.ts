// The three-method filter of swarmkit's manager/scheduler/filter.go, over
// classic swarm's view of an engine. Where swarmkit counts failures, classic
// placement names the engines a filter excluded.
import { engineName } from '../engine-info.js'
import type { ContainerRequest, EngineState } from '../types.js'

/** The container being placed, and whether this pass applies soft expressions (the first does). */
export interface PlacementTask {
  req: ContainerRequest
  soft: boolean
}

/** One check an engine must pass to take a container. */
export interface Filter {
  /** Prepares the filter for a placement pass; false when it does not apply (then check is not called). */
  setTask(task: PlacementTask): boolean
  /** Whether the container set by setTask can go on the engine. */
  check(engine: EngineState): boolean
  /** Why the filter excluded these engines: "constraint node==node09 excluded node01, node02". */
  explain(excluded: EngineState[]): string
}

/** "node01, node02": the engines' names, for explain texts. */
export function names(engines: EngineState[]): string {
  return engines.map(engineName).join(', ')
}

/** "node01 is" / "node01, node02 are", for explain texts. */
export function namesAre(engines: EngineState[]): string {
  return `${names(engines)} ${engines.length === 1 ? 'is' : 'are'}`
}

/** The engines grouped by a reason, in first-seen order. */
export function groupBy(engines: EngineState[], reason: (e: EngineState) => string): Array<[string, EngineState[]]> {
  const groups = new Map<string, EngineState[]>()
  for (const e of engines) {
    const r = reason(e)
    groups.set(r, [...(groups.get(r) ?? []), e])
  }
  return [...groups]
}
