// Job modes on the lab's engines: a replicated job runs to completion with
// --max-concurrent respected (counted on the engines), a failing job is
// retried per its restart policy and then left alone, `service update --force`
// runs a job again, a global job runs once per node, and the docker CLI's
// replicated-job reaches the manager whole.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

interface ApiTask { ID: string; Slot?: number; NodeID?: string; DesiredState: string; JobIteration?: { Index: number }; Status: { State: string; Err?: string } }

describe('job modes', () => {
  const swarm = new LabSwarm(2451)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const docker = (...args: string[]) => run('docker', args, {
    DOCKER_HOST: `tcp://${swarm.addr}`, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(swarm.dir(1), 'tls'),
  })
  const tasksOf = async (service: string): Promise<ApiTask[]> =>
    (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: { [service]: true } }))}`)).json
  const ls = async (name: string) => (await tsw('service', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}}|{{.Mode}}|{{.Replicas}}')).stdout.trim()

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('a replicated job of 5 with --max-concurrent 2 runs to completion, never more than 2 containers running', { timeout: 120_000 }, async () => {
    const r = await tsw('service', 'create', '-d', '--name', 'batch', '--mode', 'replicated-job', '--replicas', '5', '--max-concurrent', '2', IMG, 'sleep', '2')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    let most = 0
    await waitFor(async () => {
      most = Math.max(most, sum(await swarm.running('batch')))
      return (await tasksOf('batch')).filter((t) => t.Status.State === 'complete').length === 5
    }, 90_000, 'five completed tasks', 100)
    expect(most).toBe(2)
    const tasks = await tasksOf('batch')
    expect(tasks).toHaveLength(5)
    expect(tasks.every((t) => t.DesiredState === 'complete' && t.JobIteration?.Index === 0)).toBe(true)
    // One container a task, none left running: dockerd's list may show an exited container as
    // running for a moment after its die event, so the count is polled (a container of a
    // duplicate start would still show in the -a count).
    await waitFor(async () => sum(await swarm.running('batch')) === 0, 10_000, 'no batch container running')
    expect(sum(await Promise.all([1, 2, 3].map(async (i) => (await swarm.containers(i, 'batch', true)).length)))).toBe(5)
    expect(await ls('batch')).toBe('batch|replicated job|0/2 (5/5 completed)')
    const ps = await tsw('service', 'ps', '--format', '{{.DesiredState}} {{.CurrentState}}', 'batch')
    expect(ps.stdout.trim().split('\n').map((l) => l.replace(/ (\d+ seconds?|less than a second|about a minute) ago$/i, ''))).toEqual(Array(5).fill('Complete Complete'))
    const svc = (await swarm.api('GET', '/v1.41/services/batch')).json
    expect(svc.Spec.Mode).toEqual({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 5 } })
    expect(svc.JobStatus.JobIteration.Index).toBe(0)
    expect(svc.UpdateStatus).toBeUndefined()
  })

  it('service update --force runs the job again as a new iteration', { timeout: 120_000 }, async () => {
    const before = (await swarm.api('GET', '/v1.41/services/batch')).json.JobStatus.LastExecution
    expect((await tsw('service', 'update', '-d', '--force', 'batch')).code).toBe(0)
    const svc = (await swarm.api('GET', '/v1.41/services/batch')).json
    expect(svc.JobStatus.JobIteration.Index).toBe(1)
    expect(Date.parse(svc.JobStatus.LastExecution)).toBeGreaterThan(Date.parse(before))
    let most = 0
    await waitFor(async () => {
      most = Math.max(most, sum(await swarm.running('batch')))
      return (await tasksOf('batch')).filter((t) => t.JobIteration?.Index === 1 && t.Status.State === 'complete').length === 5
    }, 90_000, 'five completed tasks of iteration 1', 100)
    expect(most).toBe(2)
    expect(await ls('batch')).toBe('batch|replicated job|0/2 (5/5 completed)')
  })

  it('a failing job is retried per its restart policy, then left failed', { timeout: 90_000 }, async () => {
    const r = await tsw('service', 'create', '-d', '--name', 'flaky', '--mode', 'replicated-job', '--restart-max-attempts', '2', '--restart-delay', '500ms',
      IMG, 'sh', '-c', 'exit 3')
    expect(r.code).toBe(0)
    const failed = await waitFor(async () => {
      const ts = (await tasksOf('flaky')).filter((t) => t.Status.State === 'failed')
      return ts.length === 3 && ts
    }, 60_000, 'three failed attempts')
    expect(failed.map((t) => t.Status.Err)).toEqual(Array(3).fill('task: non-zero exit (3)'))
    expect(failed.every((t) => t.Slot === failed[0].Slot)).toBe(true)
    // No fourth attempt: the policy allows two restarts. Watched a while past the restart delay.
    const end = Date.now() + 3000
    await waitFor(async () => {
      expect((await tasksOf('flaky')).length).toBe(3)
      return Date.now() > end
    }, 10_000, 'no fourth attempt')
    expect(await ls('flaky')).toBe('flaky|replicated job|0/1 (0/1 completed)')
  })

  it('a global job runs once on every node; scaling it is refused as docker does', { timeout: 60_000 }, async () => {
    expect((await tsw('service', 'create', '-d', '--name', 'everywhere', '--mode', 'global-job', IMG, 'true')).code).toBe(0)
    const done = await waitFor(async () => {
      const ts = (await tasksOf('everywhere')).filter((t) => t.Status.State === 'complete')
      return ts.length === 3 && ts
    }, 40_000, 'a completed task on each node')
    expect(new Set(done.map((t) => t.NodeID)).size).toBe(3)
    expect(await ls('everywhere')).toBe('everywhere|global job|0/0 (3/3 completed)')
    const s = await tsw('service', 'scale', 'everywhere=2')
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('scale can only be used with replicated or replicated-job mode')
    expect((await tasksOf('everywhere')).length).toBe(3)
  })

  it('the docker CLI creates a replicated job and waits for it to complete', { timeout: 120_000 }, async () => {
    const r = await docker('service', 'create', '--name', 'dockjob', '--mode', 'replicated-job', '--replicas', '3', '--max-concurrent', '3', IMG, 'true')
    expect(r.stderr).not.toMatch(/error|unknown/i)
    expect(r.code).toBe(0)
    expect((await tasksOf('dockjob')).filter((t) => t.Status.State === 'complete')).toHaveLength(3)
    const out = await docker('service', 'ls', '--filter', 'name=dockjob', '--format', '{{.Mode}} {{.Replicas}}')
    expect(out.stdout).toBe('replicated job 0/3 (3/3 completed)\n')
    const scaled = await docker('service', 'scale', '-d', 'dockjob=4')
    expect(scaled.code).toBe(0)
    // As in swarm, any update of a job (a scale too) runs it again: four completions of the next iteration.
    await waitFor(async () => (await tasksOf('dockjob')).filter((t) => t.JobIteration?.Index === 1 && t.Status.State === 'complete').length === 4, 30_000, 'four completions of iteration 1')
  })
})
