// Classic swarm: the real docker CLI (and dockerode) pointed at the manager
// runs plain containers on the lab's engines, as against classic Docker Swarm.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GATEWAY, LabSwarm, SSH_KEY, run, sshEngine, type Run } from '../../helpers/lab.js'

const IMAGE = '10.213.0.1:5000/busybox:1'

describe('classic swarm: plain containers through the manager', () => {
  const swarm = new LabSwarm(2398)
  const env = () => swarm.dockerEnv(1)
  const dockerAt = (...args: string[]) => run('docker', args, env(), 120_000)
  // Unique per run: a container left by an earlier run (another cluster) must not clash by name.
  const tag = randomBytes(3).toString('hex')
  const name = (n: string | number) => `cls${tag}-${n}`

  /** Which lab engine (1-3) has the container; 0 when none. */
  const engineOf = async (id: string): Promise<number> => {
    for (const i of [1, 2, 3]) if ((await swarm.classicContainers(i)).some((c) => id.startsWith(c))) return i
    return 0
  }

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    // node02's engine over SSH: hijacked streams through an SSH channel too
    expect((await swarm.join(2, sshEngine(2), ['--engine-ssh-key', SSH_KEY])).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  /** How classic lists node i's engine. */
  const addr = (i: number) => (i === 2 ? sshEngine(2) : `10.213.0.1${i}:2375`)
  afterAll(() => swarm.destroy(), 60_000)

  it('docker run -d spreads ten containers over the three engines', async () => {
    const running = async () => Promise.all([1, 2, 3].map(async (i) => (await swarm.dockerOn(i, 'ps', '-q')).stdout.split('\n').filter(Boolean).length))
    const before = await running()
    const ids: string[] = []
    for (let n = 0; n < 10; n++) {
      const r = await dockerAt('run', '-d', '--name', name(n), IMAGE, 'sleep', '600')
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/)
      ids.push(r.stdout.trim())
    }
    const ours = await Promise.all([1, 2, 3].map(async (i) => (await swarm.classicContainers(i)).length))
    expect(ours.reduce((a, b) => a + b)).toBe(10)
    // Spread evens out running containers, those already there included.
    const after = await running()
    expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1)
    if (before.every((b) => b === before[0])) expect([...ours].sort()).toEqual([3, 3, 4])
    for (const id of ids) expect(await engineOf(id)).toBeGreaterThan(0)
    // The classic labels, and no swarm-mode task label (the executor would remove the container).
    const labels = JSON.parse((await swarm.dockerOn(await engineOf(ids[0]!), 'inspect', '--format', '{{json .Config.Labels}}', ids[0]!)).stdout)
    expect(labels['io.tsw.classic.cluster']).toBe(swarm.clusterId())
    expect(labels['com.docker.swarm.id']).toMatch(/^[0-9a-f]{64}$/)
    expect(labels['io.tsw.cluster.id']).toBeUndefined()
  })

  it('docker ps lists them with their node in the name', async () => {
    const r = await dockerAt('ps', '--filter', `name=cls${tag}-`, '--format', '{{.ID}} {{.Names}}')
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n').filter(Boolean)
    expect(lines).toHaveLength(10)
    for (const line of lines) {
      const [id, shown] = line.split(' ')
      const m = /^node0([123])\/(cls\w+-\d)$/.exec(shown!)
      expect(m, shown).not.toBeNull()
      expect(await engineOf(id!)).toBe(Number(m![1]))
    }
    const one = await dockerAt('ps', '-q', '--filter', `name=${name(3)}`)
    expect(one.stdout.trim()).toMatch(/^[0-9a-f]{12}$/)
  })

  it('a burst of docker run -d at once still spreads', async () => {
    const running = async () => Promise.all([1, 2, 3].map(async (i) => (await swarm.dockerOn(i, 'ps', '-q')).stdout.split('\n').filter(Boolean).length))
    const before = await running()
    const runs = await Promise.all([0, 1, 2, 3, 4, 5].map((n) => dockerAt('run', '-d', '--name', name(`burst${n}`), IMAGE, 'sleep', '600')))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const after = await running()
    expect(after.reduce((a, b) => a + b) - before.reduce((a, b) => a + b)).toBe(6)
    expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(1)
    const rm = await dockerAt('rm', '-f', ...[0, 1, 2, 3, 4, 5].map((n) => name(`burst${n}`)))
    expect(rm.code).toBe(0)
  })

  it('docker logs and docker exec reach the right engine', async () => {
    // On node02, whose engine is reached over SSH.
    const r = await dockerAt('run', '-d', '--name', name('echo'), '-e', 'constraint:node==node02', IMAGE, 'sh', '-c', 'echo hello; echo oops >&2; sleep 600')
    expect(r.code).toBe(0)
    await waitLogs(() => dockerAt('logs', name('echo')), 'hello\n')
    const logs = await dockerAt('logs', name('echo'))
    expect(logs.stdout).toBe('hello\n')
    expect(logs.stderr).toBe('oops\n')
    const exec = await dockerAt('exec', name('echo'), 'sh', '-c', 'echo hi; exit 3')
    expect(exec.stdout).toBe('hi\n')
    expect(exec.code).toBe(3)
    // stdin piped through the hijacked connection, and the output after its end
    const piped = await dockerIn('one\ntwo\n', 'exec', '-i', name('echo'), 'sh', '-c', 'cat; echo done')
    expect(piped.stderr).toBe('')
    expect(piped.stdout).toBe('one\ntwo\ndone\n')
    expect(piped.code).toBe(0)
    // node/name, as docker ps shows it
    expect(await engineOf(r.stdout.trim())).toBe(2)
    const byNode = await dockerAt('exec', `node02/${name('echo')}`, 'hostname')
    expect(byNode.code).toBe(0)
    expect(byNode.stdout).toBe(`${r.stdout.slice(0, 12)}\n`)
    expect((await dockerAt('exec', `node01/${name('echo')}`, 'hostname')).stderr).toContain(`No such container: node01/${name('echo')}`)
  })

  it('docker run --rm without -d prints the output and removes the container', async () => {
    for (const node of ['node01', 'node02']) {
      const r = await dockerAt('run', '--rm', '--name', name('rm'), '-e', `constraint:node==${node}`, IMAGE, 'echo', 'hi')
      expect(r.stderr).toBe('')
      expect(r.stdout).toBe('hi\n')
      expect(r.code).toBe(0)
    }
    const piped = await dockerIn('in\n', 'run', '--rm', '-i', '-e', 'constraint:node==node02', IMAGE, 'sh', '-c', 'cat; echo out')
    expect(piped.stdout).toBe('in\nout\n')
    const failed = await dockerAt('run', '--rm', IMAGE, 'sh', '-c', 'exit 7')
    expect(failed.code).toBe(7)
    const left = await Promise.all([1, 2, 3].map((i) => swarm.dockerOn(i, 'ps', '-aq', '--filter', `name=${name('rm')}`)))
    expect(left.map((l) => l.stdout).join('')).toBe('')
  })

  it('docker inspect shows the node; stop, wait, rename, rm', async () => {
    const inspect = await dockerAt('inspect', name(0))
    expect(inspect.code).toBe(0)
    const [c] = JSON.parse(inspect.stdout)
    expect(c.Name).toBe(`/${name(0)}`)
    const node = await engineOf(c.Id)
    expect(c.Node).toMatchObject({ Name: `node0${node}`, Addr: addr(node), IP: `10.213.0.1${node}` })
    const missing = await dockerAt('container', 'inspect', 'nosuchcontainer')
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain('No such container: nosuchcontainer')

    const stop = await dockerAt('stop', '-t', '1', name(1))
    expect(stop.stdout).toBe(`${name(1)}\n`)
    expect((await dockerAt('wait', name(1))).stdout).toBe('137\n')
    const stopped = await dockerAt('ps', '-a', '--filter', `name=${name(1)}`, '--format', '{{.State}}')
    expect(stopped.stdout).toBe('exited\n')

    expect((await dockerAt('rename', name(2), name('renamed'))).code).toBe(0)
    expect((await dockerAt('ps', '--filter', `name=${name('renamed')}`, '--format', '{{.Names}}')).stdout).toMatch(new RegExp(`^node0[123]/${name('renamed')}\n$`))

    expect((await dockerAt('restart', '-t', '1', name(4))).code).toBe(0)
    expect((await dockerAt('kill', name(5))).stdout).toBe(`${name(5)}\n`)
    expect((await dockerAt('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name(4), name(5))).stdout).toBe('running 0\nexited 137\n')
    const top = await dockerAt('top', name(4))
    expect(top.stdout).toContain('sleep 600')

    expect((await dockerAt('rm', name(1))).stdout).toBe(`${name(1)}\n`)
    expect((await dockerAt('rm', '-f', name('renamed'))).stdout).toBe(`${name('renamed')}\n`)
    const ours = await Promise.all([1, 2, 3].map(async (i) => (await swarm.classicContainers(i)).length))
    expect(ours.reduce((a, b) => a + b)).toBe(9) // ten, plus echo, less two
  })

  it('docker pull pulls on every node; docker images lists what the engines have', async () => {
    const pull = await dockerAt('pull', IMAGE)
    expect(pull.code).toBe(0)
    for (const n of ['node01', 'node02', 'node03']) expect(pull.stdout).toContain(n)
    const images = await dockerAt('images', '--format', '{{.Repository}}:{{.Tag}}')
    expect(images.code).toBe(0)
    expect(images.stdout.split('\n')).toContain(IMAGE)
    const bad = await dockerAt('pull', '10.213.0.1:5000/nosuchimage:1')
    expect(bad.code).toBe(1)
  })

  it('docker info lists the nodes with their containers, CPUs, memory and labels', async () => {
    const r = await dockerAt('info')
    expect(r.code).toBe(0)
    const out = r.stdout
    expect(out).toContain(' Nodes: 3\n')
    expect(out).toContain(' Strategy: spread\n')
    for (const i of [1, 2, 3]) expect(out).toContain(`  node0${i}: ${addr(i)}\n`)
    expect(out).toMatch(/ {3}└ Status: Healthy\n/)
    expect(out).toMatch(/ {3}└ Containers: \d+ \(\d+ Running, 0 Paused, \d+ Stopped\)\n/)
    expect(out).toMatch(/ {3}└ Reserved CPUs: 0 \/ \d+\n/)
    expect(out).toMatch(/ {3}└ Reserved Memory: 0 B \/ [\d.]+ GiB\n/)
    expect(out).toMatch(/ {3}└ Labels: kernelversion=.*ostype=linux/)
    const running = Number(/^ {2}Running: (\d+)$/m.exec(out)?.[1])
    expect(running).toBeGreaterThanOrEqual(8)
    // the swarm section is still there
    expect(out).toContain(' Swarm: active\n')
    expect(out).toContain('  Is Manager: true\n')
  })

  it('dockerode as a client: create, start, inspect, remove', async () => {
    const tls = (f: string) => readFileSync(join(swarm.dir(1), 'tls', f), 'utf8')
    const docker = new Dockerode({ host: GATEWAY, port: swarm.port, protocol: 'https', ca: tls('ca.pem'), cert: tls('cert.pem'), key: tls('key.pem') })
    const container = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '600'], name: name('dockerode'), HostConfig: { Memory: 64 << 20 } })
    await container.start()
    const info = await container.inspect() as Dockerode.ContainerInspectInfo & { Node: { Name: string } }
    expect(info.State.Running).toBe(true)
    expect(info.HostConfig.Memory).toBe(64 << 20)
    expect(info.Node.Name).toBe(`node0${await engineOf(info.Id)}`)
    const listed = await docker.listContainers({ filters: { name: [name('dockerode')] } })
    expect(listed.map((c) => c.Names[0])).toEqual([`/${info.Node.Name}/${name('dockerode')}`])
    await container.remove({ force: true })
    expect(await engineOf(info.Id)).toBe(0)
  })

  /** The docker CLI against the manager with `input` on its stdin. */
  function dockerIn(input: string, ...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      const child = spawn('docker', args, { env: { ...process.env, ...env() } })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (d) => (stdout += d))
      child.stderr.on('data', (d) => (stderr += d))
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }))
      child.stdin.end(input)
    })
  }
})

async function waitLogs(get: () => Promise<Run>, want: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await get()).stdout === want) return
    await new Promise((r) => setTimeout(r, 100))
  }
}
