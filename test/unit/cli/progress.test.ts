import { describe, expect, test } from 'vitest'
import {
  ConvergenceMonitor, describeNotConverged, GlobalUpdater, PlainRenderer, ReplicatedUpdater, TtyRenderer, isUpToDate, progressBar,
  type ProgressEvent, type Snapshot,
} from '../../../src/lib/cli/progress/index.js'
import { service, status, task } from './fakes.js'

const active = new Set(['node1', 'node2'])
const snap = (tasks: Snapshot['tasks'], svc = service()): Snapshot => ({ service: svc, tasks, activeNodes: active })
const lines = (events: ProgressEvent[]) => events.map((e) => `${e.id}: ${e.action.trimEnd()}${e.current ? ` [${e.current}/${e.total}]` : ''}`)

describe('ReplicatedUpdater', () => {
  test('first look: overall 0/N and a line per slot, then states and the count', () => {
    const u = new ReplicatedUpdater()
    const first = u.update(service(), [task(1, 'running'), task(2, 'preparing'), task(3, 'pending')], active, false)
    expect(lines(first.events)).toEqual([
      'overall progress: 0 out of 3 tasks', '1/3: ', '2/3: ', '3/3: ',
      '1/3: running [9/9]', '2/3: preparing [6/9]', '3/3: pending [3/9]', 'overall progress: 1 out of 3 tasks',
    ])
    expect(first.converged).toBe(false)
    const next = u.update(service(), [task(1, 'running'), task(2, 'running'), task(3, 'running')], active, false)
    expect(next.converged).toBe(true)
    expect(lines(next.events).at(-1)).toBe('overall progress: 3 out of 3 tasks')
    // Once done, nothing more is drawn while it stays so.
    expect(u.update(service(), [task(1, 'running'), task(2, 'running'), task(3, 'running')], active, false).events).toEqual([])
  })

  test('a failed task shows its error; its replacement in the slot counts', () => {
    const u = new ReplicatedUpdater()
    const failed = task(1, 'failed', { DesiredState: 'shutdown', err: 'task: non-zero exit (1)' })
    const r = u.update(service(), [failed], active, false)
    expect(lines(r.events)).toContain('1/3: task: non-zero exit (1)')
    const r2 = u.update(service(), [failed, task(1, 'starting')], active, false)
    expect(lines(r2.events)).toContain('1/3: starting [8/9]')
  })

  test('tasks on down nodes do not count; rollback words the count', () => {
    const u = new ReplicatedUpdater()
    const r = u.update(service(), [task(1, 'running', { NodeID: 'gone' })], active, true)
    expect(lines(r.events).at(-1)).toBe('overall progress: rolling back update: 0 out of 3 tasks')
  })

  test('more than 20 replicas: only the count', () => {
    const u = new ReplicatedUpdater()
    const r = u.update(service({}, { Mode: { Replicated: { Replicas: 21 } } }), [task(1, 'running')], active, false)
    expect(lines(r.events)).toEqual(['overall progress: 0 out of 21 tasks', 'overall progress: 1 out of 21 tasks'])
  })
})

describe('GlobalUpdater', () => {
  test('waits for tasks, then one line per node', () => {
    const u = new GlobalUpdater()
    const svc = service({}, { Mode: { Global: {} } })
    expect(lines(u.update(svc, [], active, false).events)).toEqual(['overall progress: waiting for new tasks'])
    const r = u.update(svc, [task('node1', 'running'), task('node2', 'assigned')], active, false)
    expect(lines(r.events)).toEqual(['overall progress: 0 out of 2 tasks', 'node1: running [9/9]', 'node2: assigned [4/9]', 'overall progress: 1 out of 2 tasks'])
    expect(u.update(svc, [task('node1', 'running'), task('node2', 'running')], active, false).converged).toBe(true)
  })
})

describe('isUpToDate', () => {
  test('compares the task spec with the template, ignoring empties and placement', () => {
    const svc = service({}, { TaskTemplate: { ContainerSpec: { Image: 'nginx:1', Env: [] }, Placement: { Constraints: ['node.role==worker'] } } })
    expect(isUpToDate(task(1, 'running'), svc)).toBe(true)
    expect(isUpToDate(task(1, 'running', { image: 'nginx:0' }), svc)).toBe(false)
    const forced = service({}, { TaskTemplate: { ContainerSpec: { Image: 'nginx:1' }, ForceUpdate: 1 } })
    expect(isUpToDate(task(1, 'running'), forced)).toBe(false)
  })
})

describe('ConvergenceMonitor', () => {
  test('converges after the stable period, and says so', () => {
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 1000 })
    const all = [task(1, 'running'), task(2, 'running'), task(3, 'running')]
    expect(m.step(snap([task(1, 'pending')]), 0).done).toBe(false)
    const r1 = m.step(snap(all), 200)
    expect(lines(r1.events)).toContain('verify: Waiting 1 seconds to verify that tasks are stable...')
    expect(m.step(snap(all), 600).done).toBe(false)
    expect(m.step(snap(all), 1000).done).toBe(false)
    const end = m.step(snap(all), 1200)
    expect(end).toEqual({ done: true, error: undefined, events: [{ id: 'verify', action: 'Service web converged' }] })
  })

  test('a task failing during the stable period restarts the wait', () => {
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 1000 })
    const all = [task(1, 'running'), task(2, 'running'), task(3, 'running')]
    m.step(snap(all), 0)
    const r = m.step(snap([task(1, 'running'), task(2, 'running'), task(3, 'failed', { DesiredState: 'shutdown', err: 'boom' })]), 500)
    expect(lines(r.events)).toContain('verify: Detected task failure')
    expect(m.step(snap(all), 700).done).toBe(false)
    expect(m.step(snap(all), 1500).done).toBe(false)
    expect(m.step(snap(all), 1700).done).toBe(true)
  })

  test('tasks of the previous spec do not count', () => {
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 0 })
    const svc = service({}, { TaskTemplate: { ContainerSpec: { Image: 'nginx:2' } } })
    const old = [1, 2, 3].map((s) => task(s, 'running'))
    expect(lines(m.step(snap(old, svc), 0).events).at(-1)).toBe('overall progress: 0 out of 3 tasks')
  })

  test('no convergence while the manager says the update is in progress', () => {
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 0 })
    const all = [task(1, 'running'), task(2, 'running'), task(3, 'running')]
    m.step(snap(all, service({ UpdateStatus: status('updating', 'update in progress') })), 0)
    expect(m.step(snap(all, service({ UpdateStatus: status('updating') })), 200).done).toBe(false)
    m.step(snap(all, service({ UpdateStatus: status('completed', 'update completed') })), 400)
    expect(m.step(snap(all, service({ UpdateStatus: status('completed') })), 600).done).toBe(true)
  })

  test('a paused update ends the wait with docker\'s message', () => {
    const m = new ConvergenceMonitor({ ref: 'web' })
    const r = m.step(snap([], service({ UpdateStatus: status('paused', 'update paused due to failure or early termination of task abc') })), 0)
    expect(r).toMatchObject({ done: true, error: 'service update paused: update paused due to failure or early termination of task abc' })
    const rb = new ConvergenceMonitor({ ref: 'web' }).step(snap([], service({ UpdateStatus: status('rollback_paused', 'rollback paused') })), 0)
    expect(rb.error).toBe('service rollback paused: rollback paused')
  })

  test('an update that rolls back by itself is followed to the end, then fails', () => {
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 0 })
    const all = [task(1, 'running'), task(2, 'running'), task(3, 'running')]
    const started = service({ UpdateStatus: status('rollback_started', 'update rolled back due to failure or early termination of task abc') })
    const r = m.step(snap(all, started), 0)
    expect(lines(r.events)[0]).toBe('rollback: update rolled back due to failure or early termination of task abc')
    expect(lines(r.events)).toContain('overall progress: rolling back update: 0 out of 3 tasks')
    const completed = service({ UpdateStatus: status('rollback_completed', 'rollback completed') })
    m.step(snap(all, completed), 200)
    const end = m.step(snap(all, completed), 400)
    expect(end.events).toEqual([{ id: 'verify', action: 'Service web converged' }, { id: 'rollback', action: 'rollback completed', message: true }])
    expect(end.error).toBe('service update rolled back: rollback completed')
  })

  test('a requested rollback is a success; a status from before the command is ignored', () => {
    const all = [task(1, 'running'), task(2, 'running'), task(3, 'running')]
    const done = service({ UpdateStatus: status('rollback_completed', 'rollback completed') })
    const m = new ConvergenceMonitor({ ref: 'web', stableMs: 0, rollbackRequested: true })
    m.step(snap(all, done), 0)
    expect(m.step(snap(all, done), 200)).toMatchObject({ done: true, error: undefined })
    const stale = new ConvergenceMonitor({ ref: 'web', stableMs: 0, previousStatus: status('paused', 'old') })
    stale.step(snap(all, service({ UpdateStatus: status('paused', 'old') })), 0)
    expect(stale.step(snap(all, service({ UpdateStatus: status('paused', 'old') })), 200)).toMatchObject({ done: true, error: undefined })
  })

  test('the stable period follows an explicit --update-monitor, else 1 s', () => {
    const m = new ConvergenceMonitor({ ref: 'web' })
    const svc = service({}, { UpdateConfig: { Monitor: 3e9 } })
    const r = m.step(snap([1, 2, 3].map((s) => task(s, 'running')), svc), 0)
    expect(lines(r.events)).toContain('verify: Waiting 3 seconds to verify that tasks are stable...')
    const d = new ConvergenceMonitor({ ref: 'web' }).step(snap([1, 2, 3].map((s) => task(s, 'running')), service({}, { UpdateConfig: { Monitor: 5e9 } })), 0)
    expect(lines(d.events)).toContain('verify: Waiting 1 seconds to verify that tasks are stable...')
  })
})

describe('describeNotConverged', () => {
  test('says which tasks do not run and why', () => {
    const tasks = [
      task(1, 'running'),
      task(2, 'pending', { Status: { Timestamp: '', State: 'pending', Message: 'pending', Err: 'no suitable node (insufficient resources on 2 nodes)' } }),
      task(3, 'failed', { DesiredState: 'shutdown', err: 'task: non-zero exit (1)' }),
      task(3, 'starting'),
      task(1, 'running', { image: 'nginx:0' }),
    ]
    expect(describeNotConverged('web', snap(tasks), 300_000)).toBe([
      'service web did not converge within 5m0s: 1 out of 3 tasks running',
      '  web.2: pending: no suitable node (insufficient resources on 2 nodes)',
      '  web.3: starting: starting (last failure: task: non-zero exit (1))',
      '  1 task(s) still run a previous spec of the service',
    ].join('\n'))
    expect(describeNotConverged('web', snap([task(1, 'running')]), 5000)).toContain('within 5s: 1 out of 3 tasks running\n  2 task(s) not created')
  })
})

describe('renderers', () => {
  const evs: ProgressEvent[] = [
    { id: 'overall progress', action: '0 out of 1 tasks' }, { id: '1/1', action: ' ' },
    { id: '1/1', action: 'running  ', current: 9, total: 9 }, { id: 'overall progress', action: '1 out of 1 tasks' },
  ]
  test('TTY: one line per id, redrawn in place; bars on wide terminals', () => {
    const out = new TtyRenderer(120).write(evs)
    expect(out).toBe(
      '\n\x1b[1A\x1b[2K\roverall progress: 0 out of 1 tasks \r\x1b[1B' +
      '\n\x1b[1A\x1b[2K\r1/1:   \r\x1b[1B' +
      `\x1b[1A\x1b[2K\r1/1: running   [${'='.repeat(50)}>] \r\x1b[1B` +
      '\x1b[2A\x1b[2K\roverall progress: 1 out of 1 tasks \r\x1b[2B')
    expect(new TtyRenderer(80).write([evs[2]])).not.toContain('[=')
    expect(progressBar({ id: 'x', action: '', current: 3, total: 9 }, 200)).toBe(`[${'='.repeat(16)}>${' '.repeat(34)}] `)
  })
  test('plain: each change once, no bars, no blanks', () => {
    const r = new PlainRenderer()
    expect(r.write(evs)).toBe('overall progress: 0 out of 1 tasks\noverall progress: 1 out of 1 tasks\n')
    expect(r.write([{ id: 'overall progress', action: '1 out of 1 tasks' }, { id: 'verify', action: 'Service web converged' }])).toBe('verify: Service web converged\n')
    expect(r.write([{ id: 'rollback', action: 'done', message: true }, { id: 'rollback', action: 'done', message: true }])).toBe('rollback: done\nrollback: done\n')
  })
})
