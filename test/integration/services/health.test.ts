// Health checks as swarm has them, on the lab's engines: a task whose
// container has a health check is starting until the check passes and takes
// no traffic meanwhile (routing mesh, virtual IP); a container turning
// unhealthy fails its task, which leaves the mesh and the VIP at once (its
// container still stopping) and is replaced; a rolling update moves on only
// once the new task is healthy. Health is toggled with a file, by docker exec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostIp, LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'
// A web server that answers with its container's hostname (the container ID).
const WEB = ['sh', '-c', 'mkdir -p /www; hostname > /www/index.html; exec httpd -f -p 80 -h /www']
// Healthy while /tmp/healthy exists; failures before the first success do not count (start period).
const HEALTH = ['--health-cmd', 'test -f /tmp/healthy', '--health-interval', '1s', '--health-timeout', '1s', '--health-retries', '1', '--health-start-period', '5m']

interface ApiTask { ID: string; Slot?: number; CreatedAt: string; DesiredState: string; Status: { State: string; Err?: string; ContainerStatus?: { ContainerID?: string } }; Spec: { ContainerSpec: { Env?: string[] } } }

describe('health checks', () => {
  const swarm = new LabSwarm(2452)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const tasksOf = async (service: string): Promise<ApiTask[]> =>
    (await swarm.api('GET', `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ service: { [service]: true } }))}`)).json
  const live = async (service: string) => (await tasksOf(service)).filter((t) => t.DesiredState === 'running')
  /** The container of a task on node02 (where the health-checked service runs). */
  const containerOf = async (taskId: string) => (await swarm.dockerOn(2, 'ps', '-q', '--filter', `label=com.docker.swarm.task.id=${taskId}`)).stdout.trim()
  const setHealthy = async (taskId: string, healthy: boolean) =>
    expect((await swarm.dockerOn(2, 'exec', await containerOf(taskId), healthy ? 'touch' : 'rm', '-f', '/tmp/healthy')).code).toBe(0)
  /** GET / through the routing mesh on node01 (no hc task there): the answering container's hostname, '' when none answers. */
  const viaMesh = async () =>
    (await run('sh', ['-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 4 busybox nc -w 2 ${hostIp(1)} 8010 | tail -1`])).stdout.trim()
  /** GET http://hc/ from the probe task on node01: through the service's virtual IP. */
  const viaVip = async () => {
    const [probe] = await swarm.containers(1, 'probe')
    return (await swarm.dockerOn(1, 'exec', probe, 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 hc 80 | tail -1`)).stdout.trim()
  }
  /** The set of hostnames answering n requests in a row. */
  const answers = async (get: () => Promise<string>, n = 6) => {
    const seen = new Set<string>()
    for (let i = 0; i < n; i++) seen.add(await get())
    return [...seen].sort().join()
  }
  const short = (id: string) => id.slice(0, 12)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
    expect((await tsw('network', 'create', '-d', 'overlay', 'hcnet')).code).toBe(0)
    expect((await tsw('service', 'create', '-d', '--name', 'probe', '--network', 'hcnet', '--constraint', 'node.hostname==node01',
      '--stop-grace-period', '1s', IMG, 'sleep', '1d')).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('a task is starting until its check passes, and only then takes traffic', { timeout: 120_000 }, async () => {
    const r = await tsw('service', 'create', '-d', '--name', 'hc', '--replicas', '2', '--constraint', 'node.hostname==node02', '--network', 'hcnet',
      '-p', '8010:80', '--stop-grace-period', '10s', ...HEALTH, IMG, ...WEB)
    expect(r.code).toBe(0)
    const [a, b] = await waitFor(async () => {
      const ts = await live('hc')
      return ts.length === 2 && ts.every((t) => t.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID) && ts
    }, 60_000, 'two hc tasks starting, their containers up')
    await waitFor(async () => (await swarm.containers(1, 'probe')).length === 1, 30_000, 'probe running')
    expect((await tsw('service', 'ls', '--filter', 'name=hc', '--format', '{{.Replicas}}')).stdout.trim()).toBe('0/2')
    expect(await viaMesh()).toBe('')
    expect(await viaVip()).toBe('')

    await setHealthy(a.ID, true)
    await waitFor(async () => (await tasksOf('hc')).find((t) => t.ID === a.ID)?.Status.State === 'running', 30_000, 'first task running')
    const aHost = short(await containerOf(a.ID))
    await waitFor(async () => (await viaMesh()) === aHost, 30_000, 'the healthy task answering through the mesh', 100)
    expect(await answers(viaMesh)).toBe(aHost)
    await waitFor(async () => (await viaVip()) === aHost, 30_000, 'the healthy task answering through the VIP', 100)
    expect(await answers(viaVip)).toBe(aHost)
    expect((await tasksOf('hc')).find((t) => t.ID === b.ID)?.Status.State).toBe('starting')

    await setHealthy(b.ID, true)
    const both = [aHost, short(await containerOf(b.ID))].sort().join()
    await waitFor(async () => (await answers(viaMesh, 8)) === both, 30_000, 'both tasks answering', 100)
  })

  it('an unhealthy container fails its task, out of the mesh and the VIP while it stops, and is replaced', { timeout: 120_000 }, async () => {
    const [a, b] = (await live('hc')).sort((x, y) => (x.Slot ?? 0) - (y.Slot ?? 0))
    const aContainer = await containerOf(a.ID)
    const bHost = short(await containerOf(b.ID))
    await setHealthy(a.ID, false)
    await waitFor(async () => (await tasksOf('hc')).find((t) => t.ID === a.ID)?.Status.Err === 'dockerexec: unhealthy container', 20_000, 'task marked unhealthy')
    // Its container takes its 10 s grace period to stop; meanwhile only the healthy task answers.
    await waitFor(async () => (await answers(viaMesh)) === bHost && (await answers(viaVip)) === bHost, 8_000, 'only the healthy task answering', 100)
    expect((await swarm.containers(2, 'hc'))).toContain(aContainer.slice(0, 12))
    const failed = await waitFor(async () => {
      const t = (await tasksOf('hc')).find((x) => x.ID === a.ID)
      return t?.Status.State === 'failed' && t
    }, 30_000, 'task failed')
    expect(failed.Status.Err).toMatch(/^task: non-zero exit \(\d+\): dockerexec: unhealthy container$/)
    // The replacement in the same slot starts (after the restart delay) and takes no traffic until healthy.
    const fresh = await waitFor(async () => {
      const t = (await live('hc')).find((x) => x.Slot === a.Slot && x.ID !== a.ID)
      return t?.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID && t
    }, 40_000, 'replacement starting')
    expect(await answers(viaMesh)).toBe(bHost)
    await setHealthy(fresh.ID, true)
    const both = [bHost, short(await containerOf(fresh.ID))].sort().join()
    await waitFor(async () => (await answers(viaMesh, 8)) === both, 30_000, 'replacement answering', 100)
  })

  it('a rolling update moves on only once the new task is healthy', { timeout: 150_000 }, async () => {
    const old = await live('hc')
    expect((await tsw('service', 'update', '-d', '--update-order', 'start-first', '--update-monitor', '1s', '--env-add', 'V=2', 'hc')).code).toBe(0)
    const isNew = (t: ApiTask) => (t.Spec.ContainerSpec.Env ?? []).includes('V=2')
    const first = await waitFor(async () => {
      const t = (await live('hc')).find(isNew)
      return t?.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID && t
    }, 40_000, 'first new task starting')
    // Held there: for 4 s the old tasks keep running, the update stays under way, no second new task comes.
    const until = Date.now() + 4000
    await waitFor(async () => {
      const ts = await live('hc')
      expect(old.every((o) => ts.some((t) => t.ID === o.ID && t.Status.State === 'running'))).toBe(true)
      expect(ts.filter(isNew).map((t) => t.ID)).toEqual([first.ID])
      expect((await swarm.api('GET', '/v1.41/services/hc')).json.UpdateStatus.State).toBe('updating')
      return Date.now() > until
    }, 10_000, 'update held')
    await setHealthy(first.ID, true)
    const second = await waitFor(async () => {
      const t = (await live('hc')).find((x) => isNew(x) && x.ID !== first.ID)
      return t?.Status.State === 'starting' && t.Status.ContainerStatus?.ContainerID && t
    }, 40_000, 'second new task starting')
    expect((await tasksOf('hc')).find((t) => t.ID === first.ID)?.Status.State).toBe('running')
    await setHealthy(second.ID, true)
    await waitFor(async () => (await swarm.api('GET', '/v1.41/services/hc')).json.UpdateStatus.State === 'completed', 40_000, 'update completed')
    const ts = await live('hc')
    expect(ts.map((t) => t.ID).sort()).toEqual([first.ID, second.ID].sort())
  })
})
