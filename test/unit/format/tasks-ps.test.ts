import { describe, expect, test } from 'vitest'
import { renderTasks, taskNames, taskRows, type TaskListOptions } from '../../../src/lib/format/tasks.js'
import type { Task } from '../../../src/lib/types/index.js'
import { golden, nodes, ranAt, serviceId, services, tasks } from './golden.js'

// What the manager answers to GET /tasks?filters=…, from the captured full list.
const ofServices = (...names: string[]) => tasks.filter((t) => names.map(serviceId).includes(t.ServiceID))
const names = taskNames(services, nodes)
const ps = (capture: string, list: Task[], opts: TaskListOptions = {}, noResolve = false) =>
  renderTasks(list, noResolve ? taskNames([], [], true) : names, { now: ranAt(capture), ...opts })

describe('service ps, against real docker output', () => {
  test('running replicas', () => {
    expect(ps('service-ps-web', ofServices('web'))).toBe(golden('service-ps-web.golden'))
  })
  test('failed history under each slot with \\_ , quoted errors cut to 30 columns, a pending task without node', () => {
    expect(ps('service-ps-crash-maxr', ofServices('crash', 'maxr'))).toBe(golden('service-ps-crash-maxr.golden'))
    expect(ps('service-ps-full', ofServices('full'))).toBe(golden('service-ps-full.golden'))
  })
  test('--no-trunc: whole IDs, images with digests, whole errors', () => {
    expect(ps('service-ps-full-notrunc', ofServices('full'), { trunc: false })).toBe(golden('service-ps-full-notrunc.golden'))
  })
  test('global tasks are named by node ID; host-mode ports', () => {
    expect(ps('service-ps-glob-hostp', ofServices('glob', 'hostp'))).toBe(golden('service-ps-glob-hostp.golden'))
  })
  test('--no-resolve', () => {
    expect(ps('service-ps-noresolve', ofServices('web', 'glob'), {}, true)).toBe(golden('service-ps-noresolve.golden'))
  })
  test('-q (whole IDs, as service ps does), templates, table templates, json', () => {
    expect(ps('service-ps-q', ofServices('web', 'crash'), { quiet: true, trunc: false })).toBe(golden('service-ps-q.golden'))
    expect(ps('service-ps-format', ofServices('crash'), { format: '{{.Name}} {{.Node}} {{.DesiredState}}' })).toBe(golden('service-ps-format.golden'))
    expect(ps('service-ps-table-format', ofServices('crash'), { format: 'table {{.Name}}\\t{{.Error}}' })).toBe(golden('service-ps-table-format.golden'))
    expect(ps('service-ps-json', ofServices('maxr'), { format: 'json' })).toBe(golden('service-ps-json.golden'))
  })
  test('desired-state filter (applied by the manager)', () => {
    const running = ofServices('crash', 'web').filter((t) => t.DesiredState === 'running')
    expect(ps('service-ps-filter-running', running)).toBe(golden('service-ps-filter-running.golden'))
  })
})

describe('node ps, against real docker output', () => {
  const onNode = tasks.filter((t) => t.NodeID === nodes[0].ID)
  test('every task on the node', () => {
    expect(ps('node-ps', onNode)).toBe(golden('node-ps.golden'))
  })
  test('-q keeps IDs short (node ps does not imply --no-trunc)', () => {
    expect(ps('node-ps-q', onNode, { quiet: true })).toBe(golden('node-ps-q.golden'))
  })
  test('--no-trunc with desired-state=running', () => {
    expect(ps('node-ps-self-notrunc', onNode.filter((t) => t.DesiredState === 'running'), { trunc: false })).toBe(golden('node-ps-self-notrunc.golden'))
  })
})

describe('task rows', () => {
  const base = tasks.find((t) => t.ServiceID === serviceId('logger') && t.Slot === 1)!
  const task = (over: Partial<Task>, status: Partial<Task['Status']> = {}): Task => ({ ...base, ...over, Status: { ...base.Status, ...status } })
  test('slots sort naturally (web.2 before web.10); the newest task of a slot comes first; history indented only in tables', () => {
    const list = [
      task({ ID: 'a', Slot: 10, CreatedAt: '2024-01-01T00:00:00Z' }),
      task({ ID: 'b', Slot: 2, CreatedAt: '2024-01-01T00:00:00.5Z' }),
      task({ ID: 'c', Slot: 2, CreatedAt: '2024-01-01T00:00:00.123456789Z' }),
    ]
    const rows = taskRows(list, names, { table: true, now: 0 })
    expect(rows.map((r) => `${r.ID} ${r.Name}`)).toEqual(['b logger.2', 'c  \\_ logger.2', 'a logger.10'])
    expect(taskRows(list, names, { table: false, now: 0 }).map((r) => r.Name)).toEqual(['logger.2', 'logger.2', 'logger.10'])
  })
  test('current state wording: go-units HumanDuration, lower-cased', () => {
    const at = Date.parse(base.Status.Timestamp)
    const state = (ms: number) => taskRows([base], names, { now: at + ms })[0].CurrentState
    expect(state(300)).toBe('Running less than a second ago')
    expect(state(-5000)).toBe('Running less than a second ago')
    expect(state(1500)).toBe('Running 1 second ago')
    expect(state(90_000)).toBe('Running about a minute ago')
    expect(state(3 * 3_600_000)).toBe('Running 3 hours ago')
    expect(state(20 * 86_400_000)).toBe('Running 2 weeks ago')
  })
  test('errors: quoted, cut to 30 columns with an ellipsis unless --no-trunc; none is empty', () => {
    const err = 'x'.repeat(40)
    expect(taskRows([task({}, { Err: err })], names, { now: 0 })[0].Error).toBe(`"${'x'.repeat(29)}…"`)
    expect(taskRows([task({}, { Err: err })], names, { now: 0, trunc: false })[0].Error).toBe(`"${err}"`)
    expect(taskRows([task({}, { Err: 'short' })], names, { now: 0 })[0].Error).toBe('"short"')
    expect(taskRows([task({}, { Err: undefined })], names, { now: 0 })[0].Error).toBe('')
  })
  test('an unknown service or node shows its ID; a task without node shows nothing', () => {
    const row = taskRows([task({ ServiceID: 'zzz', NodeID: undefined, Slot: 3 })], names, { now: 0 })[0]
    expect([row.Name, row.Node]).toEqual(['zzz.3', ''])
  })
})
