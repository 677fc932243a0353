// Convergence progress for service create/update/scale/rollback, after
// docker's cli/command/service/progress: states.ts (task states, what counts
// as the current spec), updaters.ts (per-mode lines), monitor.ts (the pure
// state machine), render.ts (TTY and plain output), wait.ts (the polling loop).
export { waitOnService, ConvergenceError, SnapshotReader, type WaitOptions, type ServiceReader } from './wait.js'
export { ConvergenceMonitor, describeNotConverged, stablePeriodMs, type Snapshot, type StepResult, type MonitorOptions } from './monitor.js'
export { TtyRenderer, PlainRenderer, progressBar, type Renderer } from './render.js'
export { ReplicatedUpdater, GlobalUpdater, makeUpdater, tasksBySlot, tasksByNode, type ProgressEvent } from './updaters.js'
export { isUpToDate, truncError, terminalState } from './states.js'
