// --with-registry-auth: a private registry (htpasswd auth) that no engine has
// credentials for; the client's credentials reach every engine's pull through
// the manager, with tsw's CLI and with the real docker CLI, and never show in
// service or task output. Without them, the create is refused with the
// registry's answer.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthRegistry } from '../../helpers/auth-registry.js'
import { docker, LabSwarm, ROOT, run } from '../../helpers/lab.js'

const LAB_IMG = '10.213.0.1:5000/busybox:1'
const NAMES = ['tsw', 'tsw-next', 'docker']

describe('a private registry through --with-registry-auth', () => {
  const swarm = new LabSwarm(2442)
  const registry = new AuthRegistry(5043)
  // A fresh tag each run: the engines must not have the images yet.
  const tag = `r${Date.now().toString(36)}`
  const image = (name: string) => `${registry.addr}/private-${name}:${tag}`
  let config = ''
  // tsw as a user with the registry's credentials in their docker config (DOCKER_CONFIG).
  const tsw = (...args: string[]) => run(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {
    TSW_DATA_DIR: swarm.dir(1), TSW_INSECURE_OK: '1', DOCKER_CONFIG: config,
  })
  const dockerCli = (...args: string[]) => run('docker', args, { ...swarm.dockerEnv(1), DOCKER_CONFIG: config })
  const runningOn = async (service: string) => (await swarm.running(service)).join()

  beforeAll(async () => {
    await registry.start()
    config = registry.dockerConfig()
    // Two images pushed into it through node01's engine, then forgotten there.
    for (const name of NAMES) {
      expect((await docker(1, 'tag', LAB_IMG, image(name))).code).toBe(0)
      const push = await run('docker', ['-H', 'tcp://10.213.0.11:2375', 'push', image(name)], { DOCKER_CONFIG: config })
      expect(push.code, push.stderr).toBe(0)
      expect((await docker(1, 'rmi', image(name))).code).toBe(0)
    }
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  }, 120_000)
  afterAll(async () => {
    await swarm.destroy()
    for (const i of [1, 2, 3]) for (const name of NAMES) await docker(i, 'rmi', image(name))
    registry.stop()
  }, 120_000)

  it('without --with-registry-auth the create is refused with the registry\'s answer, and nothing is made', async () => {
    const r = await tsw('service', 'create', '-d', '--name', 'nocreds', image('tsw'), 'sleep', '1d')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/no basic auth credentials|unauthorized/)
    expect((await tsw('service', 'ls', '-q')).stdout).toBe('')
    for (const i of [1, 2, 3]) expect((await docker(i, 'image', 'inspect', image('tsw'))).code).toBe(1)
  })

  it('tsw service create --with-registry-auth: every engine pulls it; the credentials are never shown', async () => {
    const r = await tsw('service', 'create', '--with-registry-auth', '--name', 'private', '--replicas', '3',
      '--stop-grace-period', '1s', image('tsw'), 'sleep', '1d')
    expect(r.code, r.stderr).toBe(0)
    expect(await runningOn('private')).toBe('1,1,1')
    const shown = [
      (await tsw('service', 'inspect', 'private')).stdout,
      (await swarm.api('GET', '/v1.41/services')).body,
      (await swarm.api('GET', '/v1.41/tasks')).body,
      (await dockerCli('service', 'inspect', 'private')).stdout,
    ].join('\n')
    expect(shown).toContain(image('tsw'))
    expect(shown).not.toMatch(/PullOptions|RegistryAuth/)
    expect(shown).not.toContain(Buffer.from(JSON.stringify({ username: registry.user })).toString('base64').slice(0, 16))
    // An update without the flag keeps them: a new private image no engine has is pulled with them.
    const u = await tsw('service', 'update', '--image', image('tsw-next'), 'private')
    expect(u.code, u.stderr).toBe(0)
    expect(await runningOn('private')).toBe('1,1,1')
    for (const i of [1, 2, 3]) expect((await docker(i, 'image', 'inspect', image('tsw-next'))).code).toBe(0)
    expect(await runningOn('private')).toBe('1,1,1')
  })

  it('docker service create --with-registry-auth works against the manager too', async () => {
    const r = await dockerCli('service', 'create', '--with-registry-auth', '--name', 'dprivate', '--replicas', '3',
      '--stop-grace-period', '1s', image('docker'), 'sleep', '1d')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).not.toContain('could not be accessed on a registry')
    expect(await runningOn('dprivate')).toBe('1,1,1')
    // Its digest was resolved through the manager with the credentials.
    const spec = JSON.parse((await dockerCli('service', 'inspect', 'dprivate')).stdout)[0].Spec
    expect(spec.TaskTemplate.ContainerSpec.Image).toMatch(new RegExp(`^${image('docker').replace(/[.]/g, '\\.')}@sha256:`))
  })
})
