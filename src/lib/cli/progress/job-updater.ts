// Progress of a job, as docker's replicatedJobProgressUpdater and
// globalJobProgressUpdater: how many tasks of the current job iteration have
// completed and how many run; done when every one has completed.
import type { Service, Task } from '../../types/index.js'
import type { ProgressEvent, UpdateResult, Updater } from './updaters.js'

export class JobUpdater implements Updater {
  update(service: Service, tasks: Task[], activeNodes: Set<string>): UpdateResult {
    const iteration = service.JobStatus?.JobIteration.Index ?? 0
    const current = tasks.filter((t) => (t.JobIteration?.Index ?? 0) === iteration)
    const completed = new Set(current.filter((t) => t.Status.State === 'complete').map((t) => t.Slot ?? t.NodeID))
    const active = current.filter((t) => t.Status.State !== 'complete' && t.DesiredState === 'complete' && !isStopped(t)).length
    const rj = service.Spec.Mode?.ReplicatedJob
    // A global job's total: one task per node that is up (the ones it has or will have).
    const total = rj ? rj.TotalCompletions ?? 1 : new Set(current.filter((t) => t.NodeID && activeNodes.has(t.NodeID)).map((t) => t.NodeID)).size
    const concurrent = rj ? rj.MaxConcurrent ?? 1 : total
    const width = String(total).length
    const events: ProgressEvent[] = [
      { id: 'job progress', action: `${String(completed.size).padStart(width)} out of ${total} complete` },
      { id: 'active tasks', action: `${String(active).padStart(width)} out of ${concurrent} tasks` },
    ]
    return { events, converged: total > 0 && completed.size >= total }
  }
}

const isStopped = (t: Task) => ['failed', 'rejected', 'shutdown', 'orphaned', 'remove'].includes(t.Status.State)
