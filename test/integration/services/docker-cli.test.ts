// The real docker CLI's service commands against the manager.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

describe('docker service commands against the manager', () => {
  const swarm = new LabSwarm(2395)
  const docker = (...args: string[]) => swarm.docker(1, ...args)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('create (waiting for convergence), ls, ps, inspect', async () => {
    const r = await docker('service', 'create', '--name', 'dweb', '--replicas', '3', '--stop-grace-period', '1s',
      '--rollback-parallelism', '0', '--rollback-monitor', '500ms', IMG,
      'sh', '-c', 'echo hello from $HOSTNAME; sleep 1d')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^verify: Service \S+ converged$/m)
    expect(r.stderr).not.toContain('could not be accessed on a registry')
    expect(await swarm.running('dweb')).toEqual([1, 1, 1])
    const ls = await docker('service', 'ls', '--format', '{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}}')
    expect(ls.stdout).toBe(`dweb replicated 3/3 ${IMG}\n`)
    const ps = await docker('service', 'ps', '--format', '{{.Name}} {{.DesiredState}} {{.CurrentState}}', 'dweb')
    expect(ps.stdout).toMatch(/^dweb\.1 Running Running .*\ndweb\.2 Running Running .*\ndweb\.3 Running Running .*\n$/)
    const inspect = JSON.parse((await docker('service', 'inspect', 'dweb')).stdout)[0]
    expect(inspect.Spec.Mode.Replicated.Replicas).toBe(3)
    const pretty = await docker('service', 'inspect', '--pretty', 'dweb')
    expect(pretty.stdout).toContain('Name:\t\tdweb')
    expect(pretty.stdout).toContain(' Replicas:\t3')
  })

  it('scale and update', async () => {
    const s = await docker('service', 'scale', 'dweb=6')
    expect(s.code).toBe(0)
    expect(sum(await swarm.running('dweb'))).toBe(6)
    const u = await docker('service', 'update', '--env-add', 'V=2', '--update-parallelism', '3', '--update-monitor', '500ms', 'dweb')
    expect(u.code).toBe(0)
    expect(u.stdout).toMatch(/^verify: Service \S+ converged$/m)
    const spec = JSON.parse((await docker('service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'dweb')).stdout)
    expect(spec).toEqual(['V=2'])
  })

  it('rollback', async () => {
    const r = await docker('service', 'rollback', 'dweb')
    expect(r.code).toBe(0)
    const env = (await docker('service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'dweb')).stdout.trim()
    expect(env).toBe('null')
  })

  it('logs, prefixed with the task and node', async () => {
    const r = await waitFor(async () => {
      const l = await docker('service', 'logs', 'dweb')
      return l.stdout.split('\n').filter(Boolean).length >= 6 && l
    }, 20_000, 'six log lines')
    expect(r.stdout).toMatch(/^dweb\.\d\.[0-9a-z]{12}@node0\d +\| hello from /m)
  })

  it('rm', async () => {
    const r = await docker('service', 'rm', 'dweb')
    expect(r.stdout).toBe('dweb\n')
    await waitFor(async () => sum(await swarm.running('dweb')) === 0, 20_000, 'containers removed')
    expect((await docker('service', 'ls', '-q')).stdout).toBe('')
  })
})
