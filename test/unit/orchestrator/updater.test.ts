// The Updater with the Orchestrator on a real (in-memory) store: rolling updates slot by slot,
// a failed new task pausing the update or rolling it back. No engines: a fake worker plays the
// scheduler and executor (places pending tasks on n1 and runs them; an image "bad" fails).
import { afterEach, describe, expect, it } from 'vitest'
import { Orchestrator } from '../../../src/lib/orchestrator/index.js'
import { Updater } from '../../../src/lib/orchestrator/update.js'
import { modify, SqliteStore, type Store } from '../../../src/lib/store/index.js'
import { isTerminal, type Service, type Task } from '../../../src/lib/types/index.js'
import { node, service } from './fixtures.js'
import { until } from '../until.js'

const MONITOR = 5e7 // 50 ms, in ns


/** Moves tasks as the scheduler and an engine would: pending → running on n1 (failed for image "bad"), shutdown wanted → shutdown. */
function fakeWorker(store: Store): () => void {
  let stopped = false
  const pass = async () => {
    for (const t of await store.list<Task>('task')) {
      if (t.DesiredState === 'running' && t.Status.State === 'pending') {
        const bad = t.Spec.ContainerSpec.Image === 'bad'
        await modify<Task>(store, 'task', t.ID, (x) => {
          x.NodeID = 'n1'
          x.Status = { ...x.Status, State: bad ? 'failed' : 'running', Message: 'started', Timestamp: new Date().toISOString(), ...(bad ? { Err: 'task: non-zero exit (1)' } : {}) }
        })
      } else if (t.DesiredState !== 'running' && !isTerminal(t.Status.State)) {
        await modify<Task>(store, 'task', t.ID, (x) => { x.Status = { ...x.Status, State: 'shutdown', Message: 'shutdown', Timestamp: new Date().toISOString() } })
      }
    }
  }
  void (async () => {
    while (!stopped) {
      await pass()
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  return () => { stopped = true }
}

describe('Updater with the orchestrator on a store', () => {
  let stop: () => Promise<void> = async () => {}
  afterEach(() => stop())

  async function start(failureAction: 'pause' | 'rollback') {
    const store = new SqliteStore(':memory:')
    await store.create('node', node('n1'))
    const svc = service('web', { replicas: 3, image: 'busybox:1', restart: { Condition: 'any', Delay: 1e7 } })
    svc.Spec.UpdateConfig = { Parallelism: 1, Monitor: MONITOR, FailureAction: failureAction, Order: 'stop-first' }
    svc.Spec.RollbackConfig = { Parallelism: 0, Monitor: MONITOR }
    const loops = [new Orchestrator({ store, log: () => {} }), new Updater({ store, log: () => {} })]
    const stopWorker = fakeWorker(store)
    loops.forEach((l) => l.start())
    stop = async () => {
      stopWorker()
      loops.forEach((l) => l.stop())
      await store.close()
    }
    await store.create('service', svc)
    const running = async () => (await store.list<Task>('task')).filter((t) => t.DesiredState === 'running' && t.Status.State === 'running')
    await until(async () => (await running()).length === 3, '3 running')
    /** Asks for an update to `image`, as POST /services/x/update does. */
    const update = (image: string) => modify<Service>(store, 'service', 'web', (s) => {
      s.PreviousSpec = structuredClone(s.Spec)
      s.Spec.TaskTemplate.ContainerSpec.Image = image
      s.UpdateStatus = { State: 'updating', StartedAt: new Date().toISOString(), Message: 'update in progress' }
    })
    const status = async (want: string) => until(async () => {
      const s = await store.get<Service>('service', 'web')
      return s?.UpdateStatus?.State === want && s
    }, `UpdateStatus ${want}`, 5000)
    return { store, running, update, status }
  }

  it('replaces the tasks one slot at a time (parallelism 1, stop-first), then completes', async () => {
    const { store, running, update, status } = await start('pause')
    await update('busybox:2')
    const done = await status('completed')
    expect(done.UpdateStatus?.Message).toBe('update completed')
    const live = await running()
    expect(live.map((t) => t.Spec.ContainerSpec.Image)).toEqual(['busybox:2', 'busybox:2', 'busybox:2'])
    expect(live.map((t) => t.Slot).sort()).toEqual([1, 2, 3])
    // Each new task was made only once the one before it ran.
    const fresh = (await store.list<Task>('task')).filter((t) => t.Spec.ContainerSpec.Image === 'busybox:2').sort((a, b) => a.CreatedAt.localeCompare(b.CreatedAt))
    expect(fresh).toHaveLength(3)
    for (let i = 1; i < fresh.length; i++) expect(Date.parse(fresh[i].CreatedAt)).toBeGreaterThanOrEqual(Date.parse(fresh[i - 1].Status.Timestamp))
  })

  it('a new task that fails pauses the update, naming it; the other slots keep the old spec', async () => {
    const { store, running, update, status } = await start('pause')
    await update('bad')
    const paused = await status('paused')
    const failed = (await store.list<Task>('task')).filter((t) => t.Spec.ContainerSpec.Image === 'bad')
    expect(paused.UpdateStatus?.Message).toBe(`update paused due to failure or early termination of task ${failed[0].ID}`)
    expect(new Set(failed.map((t) => t.Slot)).size).toBe(1) // one slot tried, no more
    expect((await running()).map((t) => t.Spec.ContainerSpec.Image)).toEqual(['busybox:1', 'busybox:1'])
  })

  it('FailureAction rollback: the failed update goes back to the previous spec and completes the rollback', async () => {
    const { store, running, update, status } = await start('rollback')
    await update('bad')
    const rolledBack = await status('rollback_completed')
    expect(rolledBack.Spec.TaskTemplate.ContainerSpec.Image).toBe('busybox:1')
    expect(rolledBack.PreviousSpec?.TaskTemplate.ContainerSpec.Image).toBe('bad')
    expect(rolledBack.UpdateStatus?.Message).toBe('rollback completed')
    await until(async () => (await running()).length === 3, '3 running after the rollback')
    expect((await running()).every((t) => t.Spec.ContainerSpec.Image === 'busybox:1')).toBe(true)
    expect((await store.list<Task>('task')).some((t) => t.Spec.ContainerSpec.Image === 'bad' && t.Status.State === 'failed')).toBe(true)
  })
})

