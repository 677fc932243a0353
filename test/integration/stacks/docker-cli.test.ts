// The docker CLI's stack commands against the manager: docker stack deploy
// makes the stack on the lab's engines, docker stack ps finds its tasks, and
// tsw's stack commands see the same stack (and remove it).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostIp, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const COMPOSE = `version: "3.8"
services:
  web:
    image: ${IMG}
    command: ["sh", "-c", "mkdir -p /www; echo from-docker > /www/index.html; exec httpd -f -p 80 -h /www"]
    ports: ["8462:80"]
    stop_grace_period: 1s
    deploy:
      replicas: 3
      update_config: {parallelism: 3, delay: 0s}
  worker:
    image: ${IMG}
    command: sleep 1d
    networks: [jobs]
    stop_grace_period: 1s
    deploy:
      mode: global
networks:
  jobs:
    driver: overlay
`

describe('docker stack commands against the manager', () => {
  const swarm = new LabSwarm(2462)
  const dir = mkdtempSync(join(tmpdir(), 'tsw-dstack-'))
  const file = join(dir, 'stack.yml')
  const docker = (...args: string[]) => swarm.docker(1, ...args)
  const get = async (port: number) =>
    (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${hostIp(2)} ${port} | tail -1`])).stdout.trim()

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
    writeFileSync(file, COMPOSE)
  })
  afterAll(async () => {
    await swarm.destroy()
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('docker stack deploy creates the stack; its tasks run on the engines; the port answers', async () => {
    const r = await docker('stack', 'deploy', '-c', file, 'dapp')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('Creating network dapp_default\n')
    expect(r.stdout).toContain('Creating network dapp_jobs\n')
    expect(r.stdout).toContain('Creating service dapp_web\n')
    expect(r.stdout).toContain('Creating service dapp_worker\n')
    await waitFor(async () => sum(await swarm.running('dapp_web')) === 3 && sum(await swarm.running('dapp_worker')) === 3, 60_000, 'web x3 and a worker per node')
    expect(await swarm.running('dapp_worker')).toEqual([1, 1, 1])
    await waitFor(async () => (await get(8462)) === 'from-docker', 30_000, 'web answering through the mesh')
  })

  it('docker stack ls/services/ps see the stack, and tsw sees the same', async () => {
    const ls = await docker('stack', 'ls')
    expect(ls.stdout).toMatch(/^NAME +SERVICES\ndapp +2\n$/)
    expect((await swarm.tsw(1, 'stack', 'ls')).stdout).toBe(ls.stdout)
    const fmt = '{{.Name}} {{.Mode}} {{.Image}} {{.Ports}}'
    const services = await docker('stack', 'services', '--format', fmt, 'dapp')
    expect(services.stdout).toMatch(/^dapp_web replicated \S*busybox\S* \*:8462->80\/tcp\ndapp_worker global \S*busybox\S* \n$/)
    expect((await swarm.tsw(1, 'stack', 'services', '--format', fmt, 'dapp')).stdout).toBe(services.stdout)
    // docker stack ps filters tasks by the stack label: the manager matches it against the tasks' service.
    const ps = await docker('stack', 'ps', '--format', '{{.Name}} {{.DesiredState}}', 'dapp')
    expect(ps.code, ps.stderr).toBe(0)
    const lines = ps.stdout.split('\n').filter(Boolean)
    expect(lines.filter((l) => /^dapp_web\.\d Running$/.test(l))).toHaveLength(3)
    expect(lines.filter((l) => /^dapp_worker\.\w+ Running$/.test(l))).toHaveLength(3)
    const tswPs = await swarm.tsw(1, 'stack', 'ps', '--format', '{{.Name}} {{.DesiredState}}', 'dapp')
    expect(tswPs.stdout.split('\n').filter(Boolean).sort()).toEqual([...lines].sort())
  })

  it('a second docker stack deploy updates in place and restarts nothing; tsw stack deploy of the same file neither', async () => {
    const before = (await docker('service', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=dapp')).stdout
    const containers = (await Promise.all([1, 2, 3].map((i) => swarm.containers(i, 'dapp_web')))).flat().sort()
    const again = await docker('stack', 'deploy', '-c', file, 'dapp')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/Updating service dapp_web \(id: \w+\)/)
    const tswAgain = await swarm.tsw(1, 'stack', 'deploy', '-c', file, 'dapp')
    expect(tswAgain.code, tswAgain.stderr).toBe(0)
    expect((await docker('service', 'ls', '-q', '--filter', 'label=com.docker.stack.namespace=dapp')).stdout).toBe(before)
    for (const name of ['dapp_web', 'dapp_worker']) {
      const s = JSON.parse((await docker('service', 'inspect', name)).stdout)[0]
      expect(s.UpdateStatus, JSON.stringify([name, s.PreviousSpec?.TaskTemplate, s.Spec.TaskTemplate])).toBeUndefined()
    }
    expect((await Promise.all([1, 2, 3].map((i) => swarm.containers(i, 'dapp_web')))).flat().sort()).toEqual(containers)
  })

  it('tsw stack rm removes what docker stack deploy made', async () => {
    const r = await swarm.tsw(1, 'stack', 'rm', 'dapp')
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('Removing service dapp_web\nRemoving service dapp_worker\nRemoving network dapp_default\nRemoving network dapp_jobs\n')
    await waitFor(async () => sum(await swarm.running('dapp_web')) + sum(await swarm.running('dapp_worker')) === 0, 30_000, 'containers gone')
    expect((await docker('stack', 'ls')).stdout).toMatch(/^NAME +SERVICES\n$/)
  })
})
