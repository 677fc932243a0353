// Runs the filters over engines for one container and explains exclusions,
// as swarmkit's manager/scheduler/pipeline.go does, naming engines instead of
// counting them.
import type { Filter, PlacementTask } from './filters/index.js'
import type { EngineState } from './types.js'

interface Entry {
  filter: Filter
  /** Engines this filter was the first to reject since setTask. */
  excluded: EngineState[]
}

/** A chain of filters with the engines each excluded. */
export class Pipeline {
  private readonly entries: Entry[]
  /** The entries whose filter applies to the current task, in order. */
  private enabled: Entry[] = []

  constructor(filters: Filter[]) {
    this.entries = filters.map((filter) => ({ filter, excluded: [] }))
  }

  /** Sets the task the next process() calls check, and clears the exclusions. */
  setTask(task: PlacementTask): void {
    for (const e of this.entries) e.excluded = []
    this.enabled = this.entries.filter((e) => e.filter.setTask(task))
  }

  /** Whether the engine passes every enabled filter; only the first failing filter is blamed. */
  process(engine: EngineState): boolean {
    const failed = this.enabled.find((e) => !e.filter.check(engine))
    failed?.excluded.push(engine)
    return failed === undefined
  }

  /**
   * Why engines were excluded, filter by filter in pipeline order:
   * "node03 is down; constraint storage==ssd excluded node01"; '' when none was.
   */
  explain(): string {
    return this.entries
      .filter((e) => e.excluded.length > 0)
      .map((e) => e.filter.explain(e.excluded))
      .join('; ')
  }
}
