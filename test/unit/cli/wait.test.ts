import { describe, expect, test } from 'vitest'
import { ConvergenceError, waitOnService } from '../../../src/lib/cli/progress/index.js'
import { FakeClient, fakeTime, service, status, task } from './fakes.js'

const running3 = () => [task(1, 'running'), task(2, 'running'), task(3, 'running')]

function run(client: FakeClient, opts: Parameters<typeof waitOnService>[2] = {}) {
  let out = ''
  const time = fakeTime()
  const p = waitOnService(client, 'web', { tty: false, stableMs: 1000, timeoutMs: 60_000, ...time, write: (s) => { out += s }, signal: new AbortController().signal, ...opts })
  return { p, out: () => out, time }
}

describe('waitOnService', () => {
  test('polls until every task runs for the stable period, printing plain lines', async () => {
    const client = new FakeClient([
      { service: service(), tasks: [task(1, 'running'), task(2, 'pending'), task(3, 'preparing')] },
      { service: service(), tasks: running3() },
    ])
    const { p, out } = run(client)
    await p
    expect(out()).toBe([
      'overall progress: 0 out of 3 tasks', 'overall progress: 1 out of 3 tasks', 'overall progress: 3 out of 3 tasks',
      'verify: Waiting 1 seconds to verify that tasks are stable...', 'verify: Service web converged', '',
    ].join('\n'))
    const taskCalls = client.calls.filter((c) => c.path === '/tasks')
    expect(taskCalls[0].opts.query?.filters).toBe('{"service":{"svc1":true},"_up-to-date":{"true":true}}')
    expect(taskCalls).toHaveLength(7) // 0, 200 (converged), 400 … 1200 (stable for 1 s)
  })

  test('quiet prints nothing; a TTY gets redrawn lines', async () => {
    const quiet = run(new FakeClient([{ service: service(), tasks: running3() }]), { quiet: true })
    await quiet.p
    expect(quiet.out()).toBe('')
    const tty = run(new FakeClient([{ service: service(), tasks: running3() }]), { tty: true, columns: 120 })
    await tty.p
    expect(tty.out()).toContain('\x1b[2K\r1/3: running   [==================================================>] \r')
    expect(tty.out()).toContain('verify: Service web converged')
  })

  test('a manager that refuses _up-to-date is asked without it', async () => {
    const client = new FakeClient([{ service: service(), tasks: running3() }])
    client.rejectUpToDate = true
    await run(client).p
    const filters = client.calls.filter((c) => c.path === '/tasks').map((c) => c.opts.query?.filters)
    expect(filters.slice(-2)).toEqual(['{"service":{"svc1":true}}', '{"service":{"svc1":true}}'])
  })

  test('the deadline ends it with the tasks that do not run and why', async () => {
    const stuck = task(2, 'pending', { Status: { Timestamp: '', State: 'pending', Message: 'pending', Err: 'no suitable node (1 node not available for new tasks)' } })
    const client = new FakeClient([{ service: service(), tasks: [task(1, 'running'), stuck, task(3, 'running')] }])
    const { p } = run(client, { timeoutMs: 2000 })
    await expect(p).rejects.toThrow(new ConvergenceError(
      'service web did not converge within 2s: 2 out of 3 tasks running\n  web.2: pending: no suitable node (1 node not available for new tasks)'))
  })

  test('a paused update fails the wait', async () => {
    const client = new FakeClient([
      { service: service({ UpdateStatus: status('updating', 'update in progress') }), tasks: running3() },
      { service: service({ UpdateStatus: status('paused', 'update paused due to failure or early termination of task x1') }), tasks: running3() },
    ])
    await expect(run(client).p).rejects.toThrow('service update paused: update paused due to failure or early termination of task x1')
  })

  test('Ctrl-C leaves the service converging in the background', async () => {
    const client = new FakeClient([{ service: service(), tasks: [task(1, 'pending')] }])
    const ac = new AbortController()
    let out = ''
    await waitOnService(client, 'web', {
      tty: false, write: (s) => { out += s }, signal: ac.signal, now: () => 0,
      delay: async () => { ac.abort() },
    })
    expect(out).toBe('overall progress: 0 out of 3 tasks\nOperation continuing in background.\nUse `tsw service ps web` to check progress.\n')
  })

  test('a missing service is the client\'s error', async () => {
    const client = new FakeClient([{ service: service(), tasks: [] }])
    await expect(waitOnService(client, 'nosuch', { quiet: true, signal: new AbortController().signal })).rejects.toThrow('service nosuch not found')
  })
})
