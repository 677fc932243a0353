// tsw stack deploy/ls/services/ps/rm on the lab: a compose file with two
// services, an overlay network, a published port and placement, deployed on
// real engines; the docker CLI's stack commands against the manager agree;
// a redeploy updates in place; --prune; a bad file changes nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostIp, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)

/** web: 2 replicas behind published port 8461 on network front; db: one task pinned to node03, on front and back. */
function composeFile(opts: { webEnv?: string; withDb?: boolean } = {}): string {
  return `version: "3.8"
services:
  web:
    image: ${IMG}
    command: ["sh", "-c", "mkdir -p /www; echo \${GREETING:-hello} > /www/index.html; exec httpd -f -p 80 -h /www"]
    environment:
      COLOR: ${opts.webEnv ?? 'blue'}
    ports:
      - "8461:80"
    networks: [front]
    stop_grace_period: 1s
    build: .
    deploy:
      replicas: 2
      labels:
        tier: web
      update_config:
        parallelism: 2
        delay: 0s
        monitor: 500ms
${opts.withDb === false ? '' : `  db:
    image: ${IMG}
    command: sleep 1d
    networks:
      front:
      back:
        aliases: [database]
    stop_grace_period: 1s
    deploy:
      placement:
        constraints: [node.hostname == node03]
`}networks:
  front:
  back:
`
}

describe('tsw stack commands', () => {
  const swarm = new LabSwarm(2461)
  const dir = mkdtempSync(join(tmpdir(), 'tsw-stack-'))
  const file = join(dir, 'docker-compose.yml')
  const env = () => swarm.dockerEnv(1)
  const docker = (...args: string[]) => run('docker', args, env())
  const get = async (port: number) =>
    (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${hostIp(1)} ${port} | tail -1`])).stdout.trim()
  const serviceIds = async () => (await swarm.tsw(1, 'stack', 'services', '--format', '{{.Name}}={{.ID}}', 'app')).stdout.split('\n').filter(Boolean).sort()
  const allContainers = async (service: string) => (await Promise.all([1, 2, 3].map((i) => swarm.containers(i, service)))).flat().sort()

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(async () => {
    await swarm.destroy()
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('deploys the file: networks and services named and labelled as docker, tasks on the engines, the port answering', async () => {
    writeFileSync(file, composeFile())
    const r = await swarm.tsw(1, 'stack', 'deploy', '-c', file, 'app')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('Creating network app_back\nCreating network app_front\nCreating service app_db\nCreating service app_web\n')
    expect(r.stderr).toContain('Ignoring unsupported options: build\n')
    expect(r.stderr).toContain('Since --detach=false was not specified, tasks will be created in the background.')
    await waitFor(async () => sum(await swarm.running('app_web')) === 2 && (await swarm.running('app_db'))[2] === 1, 60_000, 'web x2 and db on node03')
    expect(await swarm.running('app_db')).toEqual([0, 0, 1])
    await waitFor(async () => (await get(8461)) === 'hello', 30_000, 'web answering on the published port')
    const svc = JSON.parse((await docker('service', 'inspect', 'app_web')).stdout)[0]
    expect(svc.Spec.Labels).toEqual({ 'com.docker.stack.namespace': 'app', 'com.docker.stack.image': IMG, tier: 'web' })
    expect(svc.Spec.TaskTemplate.ContainerSpec.Labels).toEqual({ 'com.docker.stack.namespace': 'app' })
    expect(svc.Spec.TaskTemplate.ContainerSpec.Env).toEqual(['COLOR=blue'])
    expect(svc.Spec.UpdateConfig).toMatchObject({ Parallelism: 2, Monitor: 500_000_000 })
    const db = JSON.parse((await docker('service', 'inspect', 'app_db')).stdout)[0]
    expect(db.Spec.TaskTemplate.Networks.map((n: { Aliases: string[] }) => n.Aliases)).toEqual([['database', 'db'], ['db']])
    const nets = await docker('network', 'ls', '--filter', 'label=com.docker.stack.namespace=app', '--format', '{{.Name}} {{.Driver}} {{.Scope}}')
    expect(nets.stdout.split('\n').filter(Boolean).sort()).toEqual(['app_back overlay swarm', 'app_front overlay swarm'])
  })

  it('stack ls, services and ps print what the docker CLI prints for the same stack', async () => {
    await waitFor(async () => (await swarm.tsw(1, 'stack', 'services', 'app')).stdout.includes('2/2'), 30_000, 'web 2/2')
    const [ls, dls] = await Promise.all([swarm.tsw(1, 'stack', 'ls'), docker('stack', 'ls')])
    expect(ls.stdout).toBe('NAME      SERVICES\napp       2\n')
    expect(ls.stdout).toBe(dls.stdout)
    const [services, dservices] = await Promise.all([swarm.tsw(1, 'stack', 'services', 'app'), docker('stack', 'services', 'app')])
    expect(services.stdout.split('\n')[0]).toMatch(/^ID +NAME +MODE +REPLICAS +IMAGE +PORTS$/)
    expect(services.stdout).toMatch(/app_web +replicated +2\/2 +\S+busybox:1 +\*:8461->80\/tcp/)
    expect(services.stdout).toBe(dservices.stdout)
    const fmt = '{{.Name}} {{.Node}} {{.DesiredState}}'
    const [ps, dps] = await Promise.all([swarm.tsw(1, 'stack', 'ps', '--format', fmt, 'app'), docker('stack', 'ps', '--format', fmt, 'app')])
    expect(ps.code).toBe(0)
    expect(dps.code).toBe(0)
    const lines = (s: string) => s.split('\n').filter(Boolean).sort()
    expect(lines(ps.stdout)).toEqual(lines(dps.stdout))
    expect(lines(ps.stdout)).toContain('app_db.1 node03 Running')
    expect(lines(ps.stdout).filter((l) => l.startsWith('app_web.'))).toHaveLength(2)
  })

  it('a second deploy of the same file changes nothing; a changed env rolls only that service, in place', async () => {
    const ids = await serviceIds()
    const [web, db] = [await allContainers('app_web'), await allContainers('app_db')]
    const again = await swarm.tsw(1, 'stack', 'deploy', '-c', file, 'app')
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/^Updating service app_db \(id: \w+\)\nUpdating service app_web \(id: \w+\)\n$/)
    // A changed spec would start a rolling update at once (UpdateStatus set in the same write): none did.
    for (const name of ['app_web', 'app_db']) {
      const s = JSON.parse((await docker('service', 'inspect', name)).stdout)[0]
      expect(s.UpdateStatus, name).toBeUndefined()
    }
    expect(await allContainers('app_web')).toEqual(web)
    expect(await allContainers('app_db')).toEqual(db)
    writeFileSync(file, composeFile({ webEnv: 'green' }))
    const changed = await swarm.tsw(1, 'stack', 'deploy', '--detach=false', '-c', file, 'app')
    expect(changed.code).toBe(0)
    expect(changed.stderr).not.toContain('Since --detach=false')
    expect(await serviceIds()).toEqual(ids)
    const now = await allContainers('app_web')
    expect(now).toHaveLength(2)
    expect(now.some((c) => web.includes(c))).toBe(false)
    expect(await allContainers('app_db')).toEqual(db)
    const envNow = (await docker('service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'app_web')).stdout.trim()
    expect(envNow).toBe('["COLOR=green"]')
  })

  it('a bad file exits 1, says what is wrong, and creates nothing', async () => {
    const bad = join(dir, 'bad.yml')
    const cases: Array<[string, RegExp]> = [
      [`services:\n  web:\n    image: ${IMG}\n    imgae: typo\n`, /bad\.yml: services\.web Additional property imgae is not allowed/],
      [`services:\n  web:\n    image: ${IMG}\n    ports: [true]\n`, /services\.web\.ports\.0 must be a string, number or mapping/],
      [`services:\n  web:\n    image: ${IMG}\n    networks: [nowhere]\n`, /undefined network "nowhere"/],
      [`services:\n  ok:\n    image: ${IMG}\n  web:\n    image: ${IMG}\n    deploy: {replicas: "\${NOPE:?set NOPE}"}\n`, /required variable NOPE is missing a value: set NOPE/],
      [`services:\n  web:\n    image: ${IMG}\n    networks: [ext]\nnetworks:\n  ext:\n    external: true\n`, /network "ext" is declared as external, but could not be found/],
    ]
    for (const [text, message] of cases) {
      writeFileSync(bad, text)
      const r = await swarm.tsw(1, 'stack', 'deploy', '-c', bad, 'bad')
      expect(r.code, text).toBe(1)
      expect(r.stderr).toMatch(message)
      expect(r.stdout).toBe('')
    }
    const left = await swarm.tsw(1, 'stack', 'services', 'bad')
    expect(left.stderr).toBe('Nothing found in stack: bad\n')
    expect((await docker('network', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=bad')).stdout).toBe('')
    const ps = await swarm.tsw(1, 'stack', 'ps', 'bad')
    expect(ps.code).toBe(1)
    expect(ps.stderr).toContain('nothing found in stack: bad')
  })

  it('--prune removes the services no longer in the file', async () => {
    writeFileSync(file, composeFile({ webEnv: 'green', withDb: false }))
    const r = await swarm.tsw(1, 'stack', 'deploy', '--prune', '-c', file, 'app')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Removing service app_db\nUpdating service app_web \(id: \w+\)\n$/)
    await waitFor(async () => (await allContainers('app_db')).length === 0, 30_000, 'db containers gone')
    expect((await swarm.tsw(1, 'stack', 'ls')).stdout).toBe('NAME      SERVICES\napp       1\n')
  })

  it('stack rm removes services and networks, and leaves no container behind', async () => {
    const r = await swarm.tsw(1, 'stack', 'rm', 'app')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('Removing service app_web\nRemoving network app_back\nRemoving network app_front\n')
    await waitFor(async () => (await allContainers('app_web')).length === 0, 30_000, 'web containers gone')
    expect((await swarm.tsw(1, 'stack', 'ls')).stdout).toBe('NAME      SERVICES\n')
    expect((await docker('network', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=app')).stdout).toBe('')
    const again = await swarm.tsw(1, 'stack', 'rm', 'app')
    expect(again.code).toBe(0)
    expect(again.stderr).toBe('Nothing found in stack: app\n')
  })
})
