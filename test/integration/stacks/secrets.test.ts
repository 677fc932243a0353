// Stacks with secrets and configs (needs the manager's /secrets and /configs):
// tsw stack deploy and docker stack deploy create them as STACK_x, the task
// containers read them, a redeploy restarts nothing, and tsw stack rm and
// docker stack rm leave no service, secret, config, network or container.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const COMPOSE = `version: "3.8"
services:
  app:
    image: ${IMG}
    command: sleep 1d
    stop_grace_period: 1s
    secrets:
      - db_pass
      - source: api_key
        target: api
        mode: 0400
    configs:
      - source: app_conf
        target: /etc/app.conf
    deploy:
      replicas: 2
secrets:
  db_pass:
    file: ./db_pass.txt
  api_key:
    file: ./api_key.txt
configs:
  app_conf:
    file: ./app.conf
`

describe('stacks with secrets and configs', () => {
  const swarm = new LabSwarm(2463)
  const dir = mkdtempSync(join(tmpdir(), 'tsw-sstack-'))
  const file = join(dir, 'stack.yml')
  const dockerEnv = () => ({ ...swarm.dockerEnv(1), API_KEY: 'k-123' })
  const docker = (...args: string[]) => run('docker', args, dockerEnv())
  const tsw = (...args: string[]) => run(process.execPath, [join(import.meta.dirname, '../../../bin/run.js'), ...args], { TSW_DATA_DIR: swarm.dir(1), TSW_INSECURE_OK: '1', API_KEY: 'k-123' })
  const containersOf = async (service: string) => (await Promise.all([1, 2, 3].map(async (i) => (await swarm.containers(i, service)).map((id) => ({ i, id }))))).flat()
  const readIn = async (service: string, path: string) => {
    const [c] = await containersOf(service)
    return (await swarm.dockerOn(c.i, 'exec', c.id, 'cat', path)).stdout
  }

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    writeFileSync(join(dir, 'db_pass.txt'), 'hunter2\n')
    // A file, not `environment:`: docker 28's stack loader refuses environment secrets (schema 3.x).
    writeFileSync(join(dir, 'api_key.txt'), 'k-123')
    writeFileSync(join(dir, 'app.conf'), 'level=debug\n')
    writeFileSync(file, COMPOSE)
  })
  afterAll(async () => {
    await swarm.destroy()
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  for (const [who, deploy, remove] of [
    ['tsw', (s: string) => tsw('stack', 'deploy', '-c', file, s), (s: string) => tsw('stack', 'rm', s)],
    ['docker', (s: string) => docker('stack', 'deploy', '-c', file, s), (s: string) => docker('stack', 'rm', s)],
  ] as const) {
    it(`${who} stack deploy: secrets and configs created and read by the tasks; a redeploy restarts nothing; ${who} stack rm leaves nothing`, async () => {
      const stack = `${who}s`
      const r = await deploy(stack)
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain(`Creating secret ${stack}_api_key\n`)
      expect(r.stdout).toContain(`Creating secret ${stack}_db_pass\n`)
      expect(r.stdout).toContain(`Creating config ${stack}_app_conf\n`)
      await waitFor(async () => (await containersOf(`${stack}_app`)).length === 2, 60_000, 'two app containers')
      expect(await readIn(`${stack}_app`, '/run/secrets/db_pass')).toBe('hunter2\n')
      expect(await readIn(`${stack}_app`, '/run/secrets/api')).toBe('k-123')
      expect(await readIn(`${stack}_app`, '/etc/app.conf')).toBe('level=debug\n')
      const secrets = await docker('secret', 'ls', '--filter', `label=com.docker.stack.namespace=${stack}`, '--format', '{{.Name}}')
      expect(secrets.stdout.split('\n').filter(Boolean).sort()).toEqual([`${stack}_api_key`, `${stack}_db_pass`])

      const before = (await containersOf(`${stack}_app`)).map((c) => c.id).sort()
      const again = await deploy(stack)
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse((await docker('service', 'inspect', `${stack}_app`)).stdout)[0].UpdateStatus).toBeUndefined()
      expect((await containersOf(`${stack}_app`)).map((c) => c.id).sort()).toEqual(before)

      const rm = await remove(stack)
      expect(rm.code, rm.stderr).toBe(0)
      // Services first, then secrets, configs and networks (docker lists those in the manager's order).
      const lines = rm.stdout.split('\n').filter(Boolean)
      expect(lines[0]).toBe(`Removing service ${stack}_app`)
      expect(lines.slice(1, 3).sort()).toEqual([`Removing secret ${stack}_api_key`, `Removing secret ${stack}_db_pass`])
      expect(lines.slice(3)).toEqual([`Removing config ${stack}_app_conf`, `Removing network ${stack}_default`])
      await waitFor(async () => (await containersOf(`${stack}_app`)).length === 0, 30_000, 'app containers gone')
      const left = await Promise.all(['secret', 'config', 'network', 'service'].map((k) => docker(k, 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`)))
      expect(left.map((l) => l.stdout)).toEqual(['', '', '', ''])
    })
  }

  it('a stack naming a missing external secret deploys nothing', async () => {
    writeFileSync(join(dir, 'ext.yml'), `services:\n  app:\n    image: ${IMG}\n    secrets: [nope]\nsecrets:\n  nope:\n    external: true\n`)
    const r = await tsw('stack', 'deploy', '-c', join(dir, 'ext.yml'), 'ext')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('secret not found: nope')
    expect((await docker('network', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=ext')).stdout).toBe('')
  })
})
