// Placement's reading of an EngineState, as classic swarm's scheduler/node
// summarised an engine (name, labels, used and total resources).
import type { EngineState } from './types.js'

const NODE_LABELS = 'node.labels.'
const ENGINE_LABELS = 'engine.labels.'

/** The engine's name in messages: its hostname, else its node ID. */
export function engineName(e: EngineState): string {
  return e.node.Description?.Hostname || e.node.ID
}

/** Memory and nano-CPUs reserved by the engine's running containers. */
export function reserved(e: EngineState): { memory: number; nanoCpus: number } {
  let memory = 0
  let nanoCpus = 0
  for (const c of e.containers) {
    if (!c.running) continue
    memory += c.memory
    nanoCpus += c.nanoCpus
  }
  return { memory, nanoCpus }
}

/** The engine's total memory and nano-CPUs (0 when unknown). */
export function totals(e: EngineState): { memory: number; nanoCpus: number } {
  const r = e.node.Description?.Resources
  return { memory: r?.MemoryBytes ?? 0, nanoCpus: r?.NanoCPUs ?? 0 }
}

/** How many of the engine's containers run. */
export function runningCount(e: EngineState): number {
  return e.containers.filter((c) => c.running).length
}

/**
 * The value a constraint key reads on the engine, '' when absent. Classic
 * swarm only had engine labels; tsw also reads its node labels: an engine
 * label of that exact key wins, then `node.labels.K` / `engine.labels.K`
 * (swarm mode's spelling), then a node label K.
 */
export function labelValue(e: EngineState, key: string): string {
  const engine = e.node.Description?.Engine?.Labels ?? {}
  const node = e.node.Spec?.Labels ?? {}
  if (Object.hasOwn(engine, key)) return engine[key]
  if (key.startsWith(NODE_LABELS)) return own(node, key.slice(NODE_LABELS.length))
  if (key.startsWith(ENGINE_LABELS)) return own(engine, key.slice(ENGINE_LABELS.length))
  return own(node, key)
}

// Labels are plain objects: never read "constructor" and friends off the prototype.
const own = (labels: Record<string, string>, key: string): string => (Object.hasOwn(labels, key) ? labels[key] : '')
