// The four commands run end to end through oclif, against a fake manager client.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import ServiceCreate from '../../../src/commands/service/create.js'
import ServiceRollback from '../../../src/commands/service/rollback.js'
import ServiceScale from '../../../src/commands/service/scale.js'
import ServiceUpdate from '../../../src/commands/service/update.js'
import { BaseCommand } from '../../../src/lib/cli/base.js'
import type { ManagerClient } from '../../../src/lib/client/client.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'
import { FAKE_DIGEST, FakeClient, service, task } from './fakes.js'
import { OCLIF_OPTIONS } from './oclif-options.js'

let client: FakeClient
let stdout: string
let stderr: string

beforeEach(() => {
  client = new FakeClient([{ service: service(), tasks: [task(1, 'running'), task(2, 'running'), task(3, 'running')] }])
  stdout = ''
  stderr = ''
  vi.spyOn(BaseCommand.prototype, 'client').mockImplementation(() => client as unknown as ManagerClient)
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true })
  vi.stubEnv('TSW_CONVERGE_STABLE_S', '0')
  Object.defineProperty(process.stdout, 'isTTY', { value: false, configurable: true })
})

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllEnvs()
  process.exitCode = undefined
})

const posts = () => client.calls.filter((c) => c.method === 'POST')

describe('service create', () => {
  test('sends the spec, prints the ID, then the progress', async () => {
    await ServiceCreate.run(['--name', 'web', '-p', '8080:80', '--replicas', '3', 'nginx:1', 'nginx', '-g', 'daemon off;'], OCLIF_OPTIONS)
    const [post] = posts()
    expect(post.path).toBe('/services/create')
    const spec = post.opts.body as ServiceSpec
    expect(spec).toMatchObject({ Name: 'web', Mode: { Replicated: { Replicas: 3 } }, EndpointSpec: { Ports: [{ TargetPort: 80, PublishedPort: 8080 }] } })
    // Pinned to the registry's digest, with its platforms, as docker's create does.
    expect(spec.TaskTemplate.ContainerSpec).toMatchObject({ Image: `nginx:1@${FAKE_DIGEST}`, Args: ['nginx', '-g', 'daemon off;'] })
    expect(spec.TaskTemplate.Placement?.Platforms).toEqual([{ Architecture: 'amd64', OS: 'linux' }])
    expect(stdout).toBe('svc1\noverall progress: 0 out of 3 tasks\noverall progress: 3 out of 3 tasks\nverify: Waiting 1 seconds to verify that tasks are stable...\nverify: Service svc1 converged\n')
    expect(process.exitCode).toBeUndefined()
  })

  test('--detach prints only the ID; warnings go to stderr', async () => {
    client.postAnswer = { ID: 'svc1', Warnings: ['image nginx:1 could not be accessed on a registry'] }
    await ServiceCreate.run(['-d', 'nginx:1'], OCLIF_OPTIONS)
    expect(stdout).toBe('svc1\n')
    expect(stderr).toBe('image nginx:1 could not be accessed on a registry\n')
    expect(client.calls.filter((c) => c.method === 'GET' && !c.path.startsWith('/distribution/'))).toEqual([])
  })

  test('--no-resolve-image: no registry asked, the image only tagged :latest; a registry out of reach: docker\'s warning', async () => {
    await ServiceCreate.run(['-d', '--no-resolve-image', 'nginx'], OCLIF_OPTIONS)
    expect(client.calls.map((c) => c.path)).toEqual(['/services/create'])
    expect((posts()[0].opts.body as ServiceSpec).TaskTemplate.ContainerSpec.Image).toBe('nginx:latest')
    client.calls = []
    client.registryDown = true
    await ServiceCreate.run(['-d', 'nginx:1'], OCLIF_OPTIONS)
    expect((posts()[0].opts.body as ServiceSpec).TaskTemplate.ContainerSpec.Image).toBe('nginx:1')
    expect(stderr).toBe('image nginx:1 could not be accessed on a registry to record\nits digest. Each node will access nginx:1 independently,\npossibly leading to different nodes running different\nversions of the image.\n\n')
  })

  test('a bad flag value: docker\'s message, exit 1, nothing sent', async () => {
    await ServiceCreate.run(['--publish', '8080:http', 'nginx'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error: invalid argument "8080:http" for "-p, --publish" flag: invalid containerPort: http\n')
    expect(process.exitCode).toBe(1)
    expect(posts()).toEqual([])
  })
})

describe('service update', () => {
  test('reads the service, writes the changed spec at its version, prints the name', async () => {
    client.states = [
      { service: service(), tasks: [] },
      { service: service({}, { TaskTemplate: { ContainerSpec: { Image: 'nginx:2' }, ForceUpdate: 0 } }), tasks: [1, 2, 3].map((s) => task(s, 'running', { image: 'nginx:2' })) },
    ]
    await ServiceUpdate.run(['--image', 'nginx:2', '--env-add', 'A=1', '--tty=false', 'web'], OCLIF_OPTIONS)
    const [post] = posts()
    expect(post.path).toBe('/services/svc1/update')
    expect(post.opts.query).toEqual({ version: 10, rollback: undefined })
    expect((post.opts.body as ServiceSpec).TaskTemplate.ContainerSpec).toEqual({ Image: `nginx:2@${FAKE_DIGEST}`, Env: ['A=1'], TTY: false })
    expect(stdout.split('\n')[0]).toBe('web')
    expect(stdout).toContain('verify: Service web converged')
  })

  test('--rollback asks the manager for the previous spec, and goes alone', async () => {
    await ServiceUpdate.run(['--rollback', '-d', 'web'], OCLIF_OPTIONS)
    expect(posts()[0].opts).toMatchObject({ query: { version: 10, rollback: 'previous' }, body: service().Spec })
    expect(stdout).toBe('web\n')
    await ServiceUpdate.run(['--rollback', '--image', 'x', 'web'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error: other flags may not be combined with --rollback\n')
    expect(process.exitCode).toBe(1)
  })

  test('--force bumps ForceUpdate', async () => {
    await ServiceUpdate.run(['--force', '--detach', 'web'], OCLIF_OPTIONS)
    expect((posts()[0].opts.body as ServiceSpec).TaskTemplate.ForceUpdate).toBe(1)
  })

  test('no such service', async () => {
    await ServiceUpdate.run(['-d', 'nosuch'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error response from daemon: service nosuch not found\n')
    expect(process.exitCode).toBe(1)
  })
})

describe('service scale', () => {
  test('scales each service, reports each failure, exits 1 when any failed', async () => {
    await ServiceScale.run(['web=5', 'web=x', 'nosuch=2', '-d'], OCLIF_OPTIONS)
    expect(stdout).toBe('web scaled to 5\n')
    expect(stderr).toBe('web: invalid replicas value x: strconv.ParseUint: parsing "x": invalid syntax\nnosuch: Error response from daemon: service nosuch not found\n')
    expect(process.exitCode).toBe(1)
    expect((posts()[0].opts.body as ServiceSpec).Mode).toEqual({ Replicated: { Replicas: 5 } })
  })

  test('a global service cannot be scaled', async () => {
    client.states = [{ service: service({}, { Mode: { Global: {} } }), tasks: [] }]
    await ServiceScale.run(['web=2'], OCLIF_OPTIONS)
    expect(stderr).toBe('web: scale can only be used with replicated or replicated-job mode\n')
    expect(posts()).toEqual([])
  })

  test('a bad specifier stops everything before any change', async () => {
    await ServiceScale.run(['web=2', 'db'], OCLIF_OPTIONS)
    expect(stderr).toContain("Invalid scale specifier 'db'.\nSee 'tsw service scale --help'.\n\nUsage:  tsw service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]")
    expect(posts()).toEqual([])
  })

  test('then waits for the services', async () => {
    await ServiceScale.run(['web=3'], OCLIF_OPTIONS)
    expect(stdout).toBe('web scaled to 3\noverall progress: 0 out of 3 tasks\noverall progress: 3 out of 3 tasks\nverify: Waiting 1 seconds to verify that tasks are stable...\nverify: Service web converged\n')
  })
})

describe('service rollback', () => {
  test('sends the current spec with rollback=previous and waits', async () => {
    await ServiceRollback.run(['web'], OCLIF_OPTIONS)
    expect(posts()[0]).toMatchObject({ path: '/services/svc1/update', opts: { query: { version: 10, rollback: 'previous' } } })
    expect(stdout.split('\n')[0]).toBe('web')
    expect(stdout).toContain('verify: Service web converged')
  })
})
