// deployStack's calls, against a fake manager: what is created, updated, pruned, and in which words.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/lib/client/client.js'
import { deployStack } from '../../../src/lib/stack/deploy.js'
import { loadCompose } from '../../../src/lib/stack/load.js'
import { planStack } from '../../../src/lib/stack/plan.js'
import type { Service } from '../../../src/lib/types/index.js'

const DIGEST = `sha256:${'cd'.repeat(32)}`
const FILE = 'services:\n  web:\n    image: web:1\n  api:\n    image: api:1\n'
const plan = (text = FILE) => planStack('app', loadCompose([{ name: 'f.yml', text }], () => undefined, '/').config, () => undefined)

function fakeManager(services: Service[], networks: Array<{ Name: string }> = []) {
  const calls: string[] = []
  const asked: string[] = []
  const bodies: Record<string, unknown> = {}
  const client = {
    get: async <T>(path: string): Promise<T> => {
      if (path === '/services') return services as T
      if (path.startsWith('/distribution/')) {
        asked.push(path)
        if (path.includes('offline')) throw new ApiError('no such host', 500)
        return { Descriptor: { digest: DIGEST }, Platforms: [{ architecture: 'arm', os: 'linux' }] } as T
      }
      if (path === '/networks') return networks as T
      if (path.startsWith('/networks/')) throw new ApiError('network not found', 404)
      return [] as T
    },
    post: async <T>(path: string, opts: { body?: unknown; query?: Record<string, unknown> } = {}): Promise<T> => {
      calls.push(`POST ${path}${opts.query?.version !== undefined ? `?version=${String(opts.query.version)}` : ''}`)
      bodies[path] = opts.body
      return { ID: 'new-id', Warnings: null } as T
    },
    delete: async <T>(path: string): Promise<T> => {
      calls.push(`DELETE ${path}`)
      return undefined as T
    },
  }
  return { client, calls, bodies, asked }
}

const existing = (name: string, image: string, pinned: string, force?: number): Service => ({
  ID: `id-${name}`, Version: { Index: 7 }, CreatedAt: '', UpdatedAt: '',
  Spec: { Name: name, Labels: { 'com.docker.stack.namespace': 'app', 'com.docker.stack.image': image }, TaskTemplate: { ContainerSpec: { Image: pinned }, Placement: { Platforms: [{ Architecture: 'amd64', OS: 'linux' }] }, ...(force ? { ForceUpdate: force } : {}) } },
})

describe('deployStack', () => {
  it('creates the default network and the services, in docker\'s words', async () => {
    const { client, calls } = fakeManager([])
    const out: string[] = []
    const ids = await deployStack(client, plan(), { out: (l) => out.push(l), err: () => {} })
    expect(out).toEqual(['Creating network app_default', 'Creating service app_api', 'Creating service app_web'])
    expect(calls).toEqual(['POST /networks/create', 'POST /services/create', 'POST /services/create'])
    expect(ids).toEqual(['new-id', 'new-id'])
  })

  it('creates services with their image pinned to the registry\'s digest (arm: no architecture, as docker); never: as written', async () => {
    const { client, bodies, asked } = fakeManager([])
    await deployStack(client, plan('services:\n  web:\n    image: web\n'), { out: () => {}, err: () => {} })
    expect(asked).toEqual(['/distribution/web:latest/json'])
    const spec = bodies['/services/create'] as Service['Spec']
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe(`web:latest@${DIGEST}`)
    expect(spec.TaskTemplate.Placement?.Platforms).toEqual([{ Architecture: '', OS: 'linux' }])
    const never = fakeManager([])
    await deployStack(never.client, plan('services:\n  web:\n    image: web\n'), { resolveImage: 'never', out: () => {}, err: () => {} })
    expect(never.asked).toEqual([])
    expect((never.bodies['/services/create'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe('web:latest')
  })

  it('updates existing services at their version, keeping a pinned image (and its platforms) and ForceUpdate; --prune removes the others', async () => {
    const { client, calls, bodies, asked } = fakeManager(
      [existing('app_web', 'web:1', 'web:1@sha256:abc', 3), existing('app_old', 'old:1', 'old:1')],
      [{ Name: 'app_default' }],
    )
    const out: string[] = []
    await deployStack(client, plan('services:\n  web:\n    image: web:1\n'), { prune: true, resolveImage: 'changed', out: (l) => out.push(l), err: () => {} })
    expect(out).toEqual(['Removing service app_old', 'Updating service app_web (id: id-app_web)'])
    expect(calls).toEqual(['DELETE /services/id-app_old', 'POST /services/id-app_web/update?version=7'])
    expect(asked).toEqual([])
    const spec = bodies['/services/id-app_web/update'] as Service['Spec']
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe('web:1@sha256:abc')
    expect(spec.TaskTemplate.ForceUpdate).toBe(3)
    expect(spec.TaskTemplate.Placement).toEqual({ Platforms: [{ Architecture: 'amd64', OS: 'linux' }] })
  })

  it('always (the default) asks the registry again for an unchanged image; changed asks for a changed one', async () => {
    const always = fakeManager([existing('app_web', 'web:1', 'web:1@sha256:abc')], [{ Name: 'app_default' }])
    await deployStack(always.client, plan('services:\n  web:\n    image: web:1\n'), { out: () => {}, err: () => {} })
    expect((always.bodies['/services/id-app_web/update'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe(`web:1@${DIGEST}`)
    const changed = fakeManager([existing('app_web', 'web:1', 'web:1@sha256:abc')], [{ Name: 'app_default' }])
    await deployStack(changed.client, plan('services:\n  web:\n    image: web:2\n'), { resolveImage: 'changed', out: () => {}, err: () => {} })
    expect(changed.asked).toEqual(['/distribution/web:2/json'])
    expect((changed.bodies['/services/id-app_web/update'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe(`web:2@${DIGEST}`)
  })

  it('never: a changed image in the file is sent as written', async () => {
    const { client, bodies } = fakeManager([existing('app_web', 'web:1', 'web:1@sha256:abc')], [{ Name: 'app_default' }])
    await deployStack(client, plan('services:\n  web:\n    image: web:2\n'), { resolveImage: 'never', out: () => {}, err: () => {} })
    expect((bodies['/services/id-app_web/update'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe('web:2')
  })

  it('an update whose registry cannot be reached goes on with docker\'s warning; a create\'s is not printed', async () => {
    const { client, bodies } = fakeManager([existing('app_web', 'offline:1', 'offline:1')], [{ Name: 'app_default' }])
    const err: string[] = []
    await deployStack(client, plan('services:\n  web:\n    image: offline:1\n  api:\n    image: offline:2\n'), { out: () => {}, err: (l) => err.push(l) })
    expect((bodies['/services/id-app_web/update'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe('offline:1')
    expect((bodies['/services/create'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe('offline:2')
    expect(err).toEqual(['image offline:1 could not be accessed on a registry to record\nits digest. Each node will access offline:1 independently,\npossibly leading to different nodes running different\nversions of the image.\n'])
  })

  it('a missing external network stops the deploy before anything is made', async () => {
    const { client, calls } = fakeManager([])
    const p = plan('services:\n  web:\n    image: web:1\n    networks: [corp]\nnetworks:\n  corp:\n    external: true\n')
    await expect(deployStack(client, p, { out: () => {}, err: () => {} })).rejects.toThrow('network "corp" is declared as external, but could not be found')
    expect(calls).toEqual([])
  })
})
