// The manager speaks docker 28's API version, so the docker CLI sends the
// flags newer than 1.41 (--oom-score-adj from 1.46, --health-start-interval
// from 1.44) and they reach the container; older clients keep working on
// their versioned paths and their specs mean what they meant then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_VERSION } from '../../../src/lib/api/versions.js'
import { LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('docker 28 API version against the manager', () => {
  const swarm = new LabSwarm(2477)
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  /** The one running container of a service whose HostConfig passes `ok`: [host index, inspect]. */
  const containerOf = (service: string, ok: (c: any) => boolean = () => true) => waitFor(async () => {
    for (const i of [1, 2]) {
      for (const id of await swarm.containers(i, service)) {
        const c = JSON.parse((await swarm.dockerOn(i, 'inspect', id)).stdout)[0]
        if (c && ok(c)) return [i, c] as const
      }
    }
    return undefined
  }, 40_000, `a running container of ${service}`)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('docker version shows the API versions of dockerd 28; ping announces it', async () => {
    const v = await docker('version', '--format', '{{.Server.APIVersion}} {{.Server.MinAPIVersion}}')
    expect(v.stdout.trim()).toBe(`${API_VERSION} 1.24`)
    const ping = await swarm.api('GET', '/_ping', undefined, false)
    expect(ping.headers['api-version']).toBe(API_VERSION)
  })

  it('docker service create --oom-score-adj --health-start-interval: in the spec and on the container', async () => {
    const r = await docker('service', 'create', '-d', '--name', 'oom', '--stop-grace-period', '1s', '--oom-score-adj', '300',
      '--health-cmd', 'true', '--health-interval', '2s', '--health-start-period', '20s', '--health-start-interval', '500ms',
      IMG, 'sleep', '1d')
    expect(r.code, r.stderr).toBe(0)
    const spec = JSON.parse((await docker('service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec}}', 'oom')).stdout)
    expect(spec.OomScoreAdj).toBe(300)
    expect(spec.Healthcheck).toMatchObject({ Test: ['CMD-SHELL', 'true'], StartInterval: 5e8, StartPeriod: 2e10 })
    const [i, c] = await containerOf('oom')
    expect(c.HostConfig.OomScoreAdj).toBe(300)
    expect(c.Config.Healthcheck).toMatchObject({ Test: ['CMD-SHELL', 'true'], StartPeriod: 2e10 })
    expect((await swarm.dockerOn(i, 'exec', c.Id, 'cat', '/proc/1/oom_score_adj')).stdout.trim()).toBe('300')
    // The health check passes (the start interval is the engine's to use: API 1.44 engines and newer).
    expect((await waitFor(async () => {
      const ps = await docker('service', 'ls', '--format', '{{.Replicas}}', '--filter', 'name=oom')
      return ps.stdout.trim() === '1/1' ? ps.stdout : undefined
    }, 40_000, 'oom 1/1')).trim()).toBe('1/1')
  })

  it('docker service update --oom-score-adj replaces the container', async () => {
    const r = await docker('service', 'update', '-d', '--oom-score-adj', '100', 'oom')
    expect(r.code, r.stderr).toBe(0)
    const [, c] = await containerOf('oom', (x) => x.HostConfig.OomScoreAdj === 100).catch(async (err: Error) => {
      const ps = await docker('service', 'ps', '--no-trunc', '--format', '{{.Name}} {{.CurrentState}} {{.Error}}', 'oom')
      throw new Error(`${err.message}\n${ps.stdout}${ps.stderr}`)
    })
    expect(c.HostConfig.OomScoreAdj).toBe(100)
  })

  it('an older client keeps its versioned paths, and a spec it sends has no field newer than its version', async () => {
    const old = await run('docker', ['service', 'ls', '--format', '{{.Name}}'], { ...swarm.dockerEnv(1), DOCKER_API_VERSION: '1.41' })
    expect(old.code, old.stderr).toBe(0)
    expect(old.stdout).toBe('oom\n')
    const res = await swarm.api('POST', '/v1.41/services/create', {
      Name: 'old', TaskTemplate: { ContainerSpec: { Image: IMG, Args: ['sleep', '1d'], OomScoreAdj: 500, StopGracePeriod: 1e9 } },
    })
    expect(res.status, res.body).toBe(201)
    const spec = (await swarm.api('GET', '/v1.41/services/old')).json.Spec.TaskTemplate.ContainerSpec
    expect(spec.OomScoreAdj).toBeUndefined()
    const [, c] = await containerOf('old')
    expect(c.HostConfig.OomScoreAdj).toBe(0)
  })

  it('a version out of range is refused as dockerd refuses it', async () => {
    const tooNew = await swarm.api('GET', '/v1.99/info')
    expect(tooNew.status).toBe(400)
    expect(tooNew.json.message).toBe(`client version 1.99 is too new. Maximum supported API version is ${API_VERSION}`)
    const tooOld = await swarm.api('GET', '/v1.12/services')
    expect(tooOld.status).toBe(400)
    expect(tooOld.json.message).toBe('client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your client to a newer version')
  })
})
