import { reserved, totals } from '../engine-info.js'
import type { EngineState } from '../types.js'
import { groupBy, names, type Filter, type PlacementTask } from './filter.js'

/** Passes engines whose total memory and CPUs, minus what their running containers reserve, cover the container's limits. */
export class ResourceFilter implements Filter {
  private memory = 0
  private nanoCpus = 0

  /** Applies when the container asks for memory (-m) or CPUs (--cpus). */
  setTask({ req }: PlacementTask): boolean {
    this.memory = req.memory
    this.nanoCpus = req.nanoCpus
    return this.memory > 0 || this.nanoCpus > 0
  }

  /** Whether the engine has the memory and CPUs left. */
  check(e: EngineState): boolean {
    return this.lacking(e) === ''
  }

  /** "insufficient memory on node02; insufficient cpus on node03". */
  explain(excluded: EngineState[]): string {
    return groupBy(excluded, (e) => this.lacking(e)).map(([what, engines]) => `insufficient ${what} on ${names(engines)}`).join('; ')
  }

  /** What the engine lacks: 'memory', 'cpus', 'memory and cpus' or ''. */
  private lacking(e: EngineState): string {
    const total = totals(e)
    const used = reserved(e)
    const memory = this.memory > 0 && this.memory > total.memory - used.memory
    const cpus = this.nanoCpus > 0 && this.nanoCpus > total.nanoCpus - used.nanoCpus
    return [memory ? 'memory' : '', cpus ? 'cpus' : ''].filter(Boolean).join(' and ')
  }
}
