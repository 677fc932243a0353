// Rolling updates, rollbacks and a manager killed mid-update, on the lab's engines.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

interface ApiTask { ID: string; Slot: number; CreatedAt: string; DesiredState: string; Status: { State: string; Timestamp: string }; Spec: { ContainerSpec: { Env?: string[] } } }

describe('rolling updates', () => {
  const swarm = new LabSwarm(2394)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const tasksOf = async (service: string): Promise<ApiTask[]> =>
    (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: { [service]: true } }))}`)).json
  const envOfRunning = async (service: string) => {
    const envs: string[] = []
    for (const i of [1, 2, 3]) {
      for (const id of await swarm.containers(i, service)) {
        const r = await swarm.dockerOn(i, 'inspect', '--format', '{{range .Config.Env}}{{if eq (index (split . "=") 0) "V"}}{{.}}{{end}}{{end}}', id)
        envs.push(r.stdout.trim())
      }
    }
    return envs.sort()
  }

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('replaces tasks in batches of --update-parallelism, --update-delay apart', async () => {
    expect((await tsw('service', 'create', '--name', 'roll', '--replicas', '6', '--stop-grace-period', '1s', '-e', 'V=1',
      '--rollback-parallelism', '0', '--rollback-monitor', '500ms', IMG, 'sleep', '1d')).code).toBe(0)
    const t0 = Date.now()
    const r = await tsw('service', 'update', '--env-add', 'V=2', '--update-parallelism', '2', '--update-delay', '2s', '--update-monitor', '500ms', 'roll')
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(await envOfRunning('roll')).toEqual(Array(6).fill('V=2'))
    const fresh = (await tasksOf('roll'))
      .filter((t) => t.DesiredState === 'running' && (t.Spec.ContainerSpec.Env ?? []).includes('V=2'))
      .sort((a, b) => a.CreatedAt.localeCompare(b.CreatedAt))
    expect(fresh).toHaveLength(6)
    const at = fresh.map((t) => Date.parse(t.CreatedAt) - t0)
    // Three batches of two: close together within a batch, at least the delay between batches.
    expect(at[1] - at[0]).toBeLessThan(1500)
    expect(at[3] - at[2]).toBeLessThan(1500)
    expect(at[5] - at[4]).toBeLessThan(1500)
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(2000)
    expect(at[4] - at[3]).toBeGreaterThanOrEqual(2000)
    const svc = (await swarm.api('GET', '/v1.41/services/roll')).json
    expect(svc.UpdateStatus.State).toBe('completed')
  })

  it('an update whose tasks fail rolls back to the previous spec', async () => {
    const r = await tsw('service', 'update', '--env-add', 'V=3', '--args', 'sh -c "exit 3"', '--update-failure-action', 'rollback',
      '--update-monitor', '2s', '--restart-delay', '10s', 'roll')
    expect(r.code).toBe(1)
    const svc = await waitFor(async () => {
      const s = (await swarm.api('GET', '/v1.41/services/roll')).json
      return s.UpdateStatus?.State === 'rollback_completed' && s
    }, 60_000, 'rollback completed')
    expect(svc.UpdateStatus.Message).toBe('rollback completed')
    expect(svc.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['V=2'])
    await waitFor(async () => (await envOfRunning('roll')).join() === Array(6).fill('V=2').join(), 30_000, 'six V=2 containers')
  })

  it('service rollback returns to the previous spec', async () => {
    expect((await tsw('service', 'update', '-d', '--env-add', 'V=4', '--update-parallelism', '0', '--update-monitor', '200ms', 'roll')).code).toBe(0)
    await waitFor(async () => (await envOfRunning('roll')).join() === Array(6).fill('V=4').join(), 30_000, 'six V=4')
    const r = await tsw('service', 'rollback', 'roll')
    expect(r.code).toBe(0)
    await waitFor(async () => (await envOfRunning('roll')).join() === Array(6).fill('V=2').join(), 60_000, 'six V=2 again')
  })

  it('a manager killed mid-update comes back, finishes the update, and runs no duplicates', { timeout: 150_000 }, async () => {
    expect((await tsw('service', 'update', '-d', '--env-add', 'V=5', '--update-parallelism', '1', '--update-delay', '500ms', '--update-monitor', '200ms', 'roll')).code).toBe(0)
    await waitFor(async () => (await envOfRunning('roll')).includes('V=5'), 20_000, 'update under way')
    process.kill(swarm.managerPid(), 'SIGKILL')
    const during = await envOfRunning('roll')
    expect(during.length).toBeLessThanOrEqual(6)
    swarm.restartManager()
    await waitFor(async () => (await swarm.api('GET', '/v1.41/services/roll')).json?.UpdateStatus?.State === 'completed', 60_000, 'update completed')
    await waitFor(async () => (await envOfRunning('roll')).join() === Array(6).fill('V=5').join(), 30_000, 'six V=5')
    expect(sum(await swarm.running('roll'))).toBe(6)
    const live = (await tasksOf('roll')).filter((t) => t.DesiredState === 'running')
    expect(new Set(live.map((t) => t.Slot)).size).toBe(6)
  })
})
