// Where the control loop reports timings for the metrics, without depending on
// them: the loops call these (no cost when nobody listens), the manager's
// metrics subscribe. Process-wide, as prom-client's default registry is.

/** One pass of a reactor (orchestrator, scheduler, executor, network agent, names): its name and seconds. */
export type PassObserver = (loop: string, seconds: number) => void
/** One engine call: the engine's URL, the call's first word (create, start, inspect…), seconds, and whether it succeeded. */
export type EngineCallObserver = (engine: string, call: string, seconds: number, ok: boolean) => void

export const passObservers = new Set<PassObserver>()
export const engineCallObservers = new Set<EngineCallObserver>()

/** Seconds since a process.hrtime.bigint() reading. */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9
}
