// Every ServiceSpec field an engine can express reaches the task's container
// (docker inspect on the engine that runs it, and what the process sees);
// generic resources place tasks and reach them as DOCKER_RESOURCE_*; a field
// tsw cannot honour is refused with nothing created.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LabSwarm, run, waitFor } from '../../helpers/lab.js'

const IMG = '10.213.0.1:5000/busybox:1'

describe('service fields reach the container', () => {
  const swarm = new LabSwarm(2441)
  const tsw = (...args: string[]) => swarm.tsw(1, ...args)
  const dockerCli = (...args: string[]) => swarm.docker(1, ...args)
  /** The one running container of a service: [host index, container ID]; on timeout, the tasks' errors. */
  const containerOf = async (service: string) => {
    try {
      return await waitFor(async () => {
        for (const i of [1, 2, 3]) {
          const [id] = await swarm.containers(i, service)
          if (id) return [i, id] as const
        }
        return undefined
      }, 30_000, `a running container of ${service}`)
    } catch (err) {
      const ps = await tsw('service', 'ps', '--no-trunc', '--format', '{{.CurrentState}} {{.Error}}', service)
      throw new Error(`${(err as Error).message}\n${ps.stdout}${ps.stderr}`)
    }
  }
  const inspect = async (i: number, id: string) => JSON.parse((await swarm.dockerOn(i, 'inspect', id)).stdout)[0]
  const exec = async (i: number, id: string, ...cmd: string[]) => (await swarm.dockerOn(i, 'exec', id, ...cmd)).stdout
  const serviceNames = async () => (await tsw('service', 'ls', '--format', '{{.Name}}')).stdout.split('\n').filter(Boolean)

  beforeAll(async () => {
    expect((await swarm.init()).code).toBe(0)
    expect((await swarm.join(2)).code).toBe(0)
    expect((await swarm.join(3)).code).toBe(0)
  })
  afterAll(() => swarm.destroy(), 120_000)

  it('tsw service create: DNS, hosts, groups, OOM score, PIDs limit, log driver, init, sysctls, ulimits, caps, read-only, stop signal, env file', async () => {
    const envFile = join(swarm.root, 'app.env')
    await run('sh', ['-c', `printf '# settings\\nFROM_FILE=yes\\n' > ${envFile}`])
    const r = await tsw('service', 'create', '-d', '--name', 'fields', '--stop-grace-period', '1s',
      '--dns', '10.213.0.1', '--dns-search', 'example.org', '--dns-option', 'ndots:3',
      '--host', 'db:10.1.2.3', '--host', 'cache=10.1.2.4', '--group', '4141', '--group', '4242',
      '--oom-score-adj', '250', '--limit-pids', '64', '--log-driver', 'json-file', '--log-opt', 'max-size=1m',
      '--init', '--sysctl', 'net.ipv4.ip_forward=1', '--ulimit', 'nofile=512:1024', '--cap-add', 'NET_ADMIN', '--cap-drop', 'MKNOD',
      '--read-only', '--stop-signal', 'SIGUSR1', '--health-start-interval', '1s', '--env-file', envFile, '-e', 'B=2',
      IMG, 'sleep', '1d')
    expect(r.code, r.stderr).toBe(0)
    const [i, id] = await containerOf('fields')
    const c = await inspect(i, id)
    const hc = c.HostConfig
    expect(hc.Dns).toEqual(['10.213.0.1'])
    expect(hc.DnsSearch).toEqual(['example.org'])
    expect(hc.DnsOptions).toEqual(['ndots:3'])
    expect(hc.ExtraHosts).toEqual(['db:10.1.2.3', 'cache:10.1.2.4'])
    expect(hc.GroupAdd).toEqual(['4141', '4242'])
    expect(hc.OomScoreAdj).toBe(250)
    expect(hc.PidsLimit).toBe(64)
    expect(hc.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m' } })
    expect(hc.Init).toBe(true)
    expect(hc.Sysctls).toEqual({ 'net.ipv4.ip_forward': '1' })
    expect(hc.Ulimits).toEqual([{ Name: 'nofile', Soft: 512, Hard: 1024 }])
    expect(hc.CapAdd).toEqual(['CAP_NET_ADMIN'])
    expect(hc.CapDrop).toEqual(['CAP_MKNOD'])
    expect(hc.ReadonlyRootfs).toBe(true)
    expect(c.Config.StopSignal).toBe('SIGUSR1')
    expect(c.Config.Env).toEqual(expect.arrayContaining(['FROM_FILE=yes', 'B=2']))
    // What the process sees.
    expect(await exec(i, id, 'cat', '/etc/hosts')).toMatch(/^10\.1\.2\.3\s+db$/m)
    const resolv = await exec(i, id, 'cat', '/etc/resolv.conf')
    for (const line of ['nameserver 10.213.0.1', 'search example.org', 'options ndots:3']) expect(resolv.split('\n')).toContain(line)
    expect((await exec(i, id, 'id', '-G')).trim().split(' ')).toEqual(expect.arrayContaining(['4141', '4242']))
    expect((await exec(i, id, 'cat', '/proc/self/oom_score_adj')).trim()).toBe('250')
    expect((await exec(i, id, 'sh', '-c', 'ulimit -n')).trim()).toBe('512')
    // docker service inspect shows the spec as swarm keeps it.
    const spec = JSON.parse((await dockerCli('service', 'inspect', 'fields')).stdout)[0].Spec.TaskTemplate
    expect(spec.ContainerSpec.Hosts).toEqual(['10.1.2.3 db', '10.1.2.4 cache'])
    expect(spec.Resources.Limits.Pids).toBe(64)
  })

  it('tsw service update: the -add/-rm pairs change the container', async () => {
    const r = await tsw('service', 'update', '-d', '--dns-add', '10.213.0.11', '--dns-rm', '10.213.0.1', '--host-rm', 'cache',
      '--host-add', 'web:10.9.9.9', '--group-rm', '4141', '--limit-pids', '32', '--oom-score-adj', '100', '--read-only=false', 'fields')
    expect(r.code, r.stderr).toBe(0)
    const updated = async () => {
      for (const i of [1, 2, 3]) {
        for (const id of await swarm.containers(i, 'fields')) {
          const h = (await inspect(i, id)).HostConfig
          if (h.PidsLimit === 32) return h
        }
      }
      return undefined
    }
    const hc = await waitFor(updated, 40_000, 'the updated container').catch(async (err: Error) => {
      const ps = await tsw('service', 'ps', '--no-trunc', '--format', '{{.CurrentState}} {{.Error}}', 'fields')
      throw new Error(`${err.message}\n${ps.stdout}`)
    })
    expect(hc.Dns).toEqual(['10.213.0.11'])
    expect(hc.ExtraHosts).toEqual(['db:10.1.2.3', 'web:10.9.9.9'])
    expect(hc.GroupAdd).toEqual(['4242'])
    expect(hc.OomScoreAdj).toBe(100)
    expect(hc.ReadonlyRootfs).toBe(false)
  })

  // --oom-score-adj and --health-start-interval through the docker CLI: api-version.test.ts.
  it('the docker CLI: --dns, --host, --group, --limit-pids, --log-driver, --init reach the container too', async () => {
    const r = await dockerCli('service', 'create', '-d', '--name', 'dfields', '--stop-grace-period', '1s', '--dns', '10.213.0.12',
      '--host', 'db:10.1.2.3', '--group', '4343', '--limit-pids', '50', '--log-driver', 'json-file',
      '--log-opt', 'max-file=2', '--init', IMG, 'sleep', '1d')
    expect(r.code, r.stderr).toBe(0)
    const [i, id] = await containerOf('dfields')
    const hc = (await inspect(i, id)).HostConfig
    expect([hc.Dns, hc.ExtraHosts, hc.GroupAdd, hc.PidsLimit, hc.Init]).toEqual([['10.213.0.12'], ['db:10.1.2.3'], ['4343'], 50, true])
    expect(hc.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-file': '2' } })
  })

  it('Privileges, isolation "default" and OpenStdin through the API reach the engine', async () => {
    const res = await swarm.api('POST', '/v1.41/services/create', {
      Name: 'privs',
      TaskTemplate: {
        ContainerSpec: {
          Image: IMG, Args: ['sleep', '1d'], StopGracePeriod: 1e9, Isolation: 'default', OpenStdin: true,
          Privileges: { CredentialSpec: null, SELinuxContext: null, NoNewPrivileges: true, Seccomp: { Mode: 'unconfined' }, AppArmor: { Mode: 'disabled' } },
        },
      },
    })
    expect(res.status).toBe(201)
    const [i, id] = await containerOf('privs')
    const c = await inspect(i, id)
    expect(c.HostConfig.SecurityOpt).toEqual(['seccomp=unconfined', 'apparmor=unconfined', 'no-new-privileges=true'])
    expect(c.Config.OpenStdin).toBe(true)
    expect((await exec(i, id, 'grep', 'NoNewPrivs', '/proc/self/status')).trim()).toMatch(/NoNewPrivs:\s+1/)
  })

  it('generic resources: only the node that advertises them runs the tasks, each with its own DOCKER_RESOURCE_GPU', async () => {
    const node2 = (await tsw('node', 'ls', '--format', '{{.ID}} {{.Hostname}}')).stdout.split('\n').find((l) => l.endsWith(' node02'))!.split(' ')[0]
    expect((await tsw('node', 'update', '--label-add', 'tsw.generic-resource.gpu=UUID-A,UUID-B', node2)).code).toBe(0)
    const r = await tsw('service', 'create', '-d', '--name', 'gpus', '--replicas', '3', '--generic-resource', 'gpu=1',
      '--stop-grace-period', '1s', IMG, 'sleep', '1d')
    expect(r.code).toBe(0)
    await waitFor(async () => (await swarm.running('gpus')).join() === '0,2,0', 30_000, 'two tasks on node02')
    const envs = await Promise.all((await swarm.containers(2, 'gpus')).map(async (id) =>
      (await inspect(2, id)).Config.Env.filter((e: string) => e.startsWith('DOCKER_RESOURCE_'))))
    expect(envs.flat().sort()).toEqual(['DOCKER_RESOURCE_GPU=UUID-A', 'DOCKER_RESOURCE_GPU=UUID-B'])
    const err = await waitFor(async () => {
      const ps = await tsw('service', 'ps', '--no-trunc', '--format', '{{.Error}}', 'gpus')
      return ps.stdout.includes('insufficient resources') && ps.stdout
    }, 15_000, 'the third task pending')
    expect(err).toContain('no suitable node (insufficient resources on 3 nodes)')
    const named = await tsw('service', 'create', '-d', '--generic-resource', 'gpu=UUID-A', IMG)
    expect([named.code, named.stderr.trim()]).toEqual([1, expect.stringContaining('Named Generic Resources is not supported for service create or update')])
  })

  it('a field tsw cannot honour is refused, by tsw and the docker CLI, and nothing is created', async () => {
    const before = await serviceNames()
    const r = await tsw('service', 'create', '-d', '--name', 'hyper', '--isolation', 'hyperv', IMG, 'sleep', '1d')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('ContainerSpec.Isolation "hyperv" is not supported by tsw: Linux engines have only "default"')
    const d = await dockerCli('service', 'create', '-d', '--name', 'hyper', '--credential-spec', 'file://spec.json', IMG)
    expect(d.code).toBe(1)
    expect(d.stderr).toContain('ContainerSpec.Privileges.CredentialSpec is not supported by tsw')
    const api = await swarm.api('POST', '/v1.41/services/create', {
      Name: 'secretive', TaskTemplate: { ContainerSpec: { Image: IMG, Secrets: [{ SecretID: 'x', SecretName: 'x' }] } },
    })
    // Secrets are supported now (test/integration/secrets): an unknown one is refused as swarmkit refuses it.
    expect([api.status, api.json.message]).toEqual([400, 'rpc error: code = InvalidArgument desc = secret not found: x'])
    expect(await serviceNames()).toEqual(before)
    for (const i of [1, 2, 3]) expect(await swarm.containers(i, 'hyper', true)).toEqual([])
  })
})
