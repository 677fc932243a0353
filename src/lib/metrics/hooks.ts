// Where the control loop reports timings for the metrics, without depending on
// them: the loops call these (no cost when nobody listens), the manager's
// metrics subscribe. Process-wide, as prom-client's default registry is.

/** One pass of a reactor (orchestrator, scheduler, executor, network agent, names): its name and seconds. */
export type PassObserver = (loop: string, seconds: number) => void
/** One engine call: the engine's URL, the call's first word (create, start, inspect…), seconds, and whether it succeeded. */
export type EngineCallObserver = (engine: string, call: string, seconds: number, ok: boolean) => void

/** One node's host script applied: the node's hostname and how many iptables rules (-A lines) its plan holds. */
export type MeshRulesObserver = (node: string, rules: number) => void

export const passObservers = new Set<PassObserver>()
export const engineCallObservers = new Set<EngineCallObserver>()
export const meshRulesObservers = new Set<MeshRulesObserver>()

/** Seconds since a process.hrtime.bigint() reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9
}
