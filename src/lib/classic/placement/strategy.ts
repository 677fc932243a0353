// Classic swarm's placement strategies (scheduler/strategy/), ranking the
// engines that passed every filter. Scores are what the engine would hold
// with the container on it: reserved memory and CPU as fractions of its total.
import { InvalidArgumentError } from '../../errors/index.js'
import { engineName, reserved, runningCount, totals } from './engine-info.js'
import type { ContainerRequest, EngineState, Strategy } from './types.js'

/** The strategies, default first. */
export const STRATEGIES: readonly Strategy[] = ['spread', 'binpack', 'random']

/** Whether a string names a strategy (for --strategy). */
export function isStrategy(s: string): s is Strategy {
  return (STRATEGIES as readonly string[]).includes(s)
}

interface Ranked {
  engine: EngineState
  name: string
  running: number
  containers: number
  load: number
}

/**
 * The candidates best first: spread → fewest running containers, then least
 * load, then fewest containers; binpack → most load, then most running
 * containers, then most containers (so it fills one engine before the next);
 * random → one pick by `random()` first. Ties go by hostname, then node ID.
 * Throws InvalidArgumentError for an unknown strategy.
 */
export function rankEngines(strategy: Strategy, req: ContainerRequest, candidates: EngineState[], random: () => number = Math.random): EngineState[] {
  const ranked = candidates.map((engine) => measure(engine, req)).sort(byName)
  switch (strategy) {
    case 'spread':
      ranked.sort((a, b) => a.running - b.running || a.load - b.load || a.containers - b.containers || byName(a, b))
      break
    case 'binpack':
      ranked.sort((a, b) => b.load - a.load || b.running - a.running || b.containers - a.containers || byName(a, b))
      break
    case 'random': {
      const i = Math.min(ranked.length - 1, Math.max(0, Math.floor(random() * ranked.length)))
      ranked.unshift(...ranked.splice(i, 1))
      break
    }
    default:
      throw new InvalidArgumentError(`strategy '${String(strategy)}' is unknown (use ${STRATEGIES.join(', ')})`)
  }
  return ranked.map((r) => r.engine)
}

/** The engine's numbers for ranking, with the container counted in. */
function measure(engine: EngineState, req: ContainerRequest): Ranked {
  const used = reserved(engine)
  const total = totals(engine)
  const load = fraction(used.memory + req.memory, total.memory) + fraction(used.nanoCpus + req.nanoCpus, total.nanoCpus)
  return { engine, name: engineName(engine), running: runningCount(engine), containers: engine.containers.length, load }
}

const fraction = (part: number, whole: number): number => (whole > 0 ? part / whole : 0)

function byName(a: Ranked, b: Ranked): number {
  return compare(a.name, b.name) || compare(a.engine.node.ID, b.engine.node.ID)
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
