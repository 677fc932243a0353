// deployStack's calls, against a fake manager: what is created, updated, pruned, and in which words.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../src/lib/client/client.js'
import { deployStack } from '../../../src/lib/stack/deploy.js'
import { loadCompose } from '../../../src/lib/stack/load.js'
import { planStack } from '../../../src/lib/stack/plan.js'
import type { Service } from '../../../src/lib/types/index.js'

const FILE = 'services:\n  web:\n    image: web:1\n  api:\n    image: api:1\n'
const plan = (text = FILE) => planStack('app', loadCompose([{ name: 'f.yml', text }], () => undefined, '/').config, () => undefined)

function fakeManager(services: Service[], networks: Array<{ Name: string }> = []) {
  const calls: string[] = []
  const bodies: Record<string, unknown> = {}
  const client = {
    get: async <T>(path: string): Promise<T> => {
      if (path === '/services') return services as T
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
  return { client, calls, bodies }
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

  it('updates existing services at their version, keeping a pinned image (and its platforms) and ForceUpdate; --prune removes the others', async () => {
    const { client, calls, bodies } = fakeManager(
      [existing('app_web', 'web:1', 'web:1@sha256:abc', 3), existing('app_old', 'old:1', 'old:1')],
      [{ Name: 'app_default' }],
    )
    const out: string[] = []
    await deployStack(client, plan('services:\n  web:\n    image: web:1\n'), { prune: true, out: (l) => out.push(l), err: () => {} })
    expect(out).toEqual(['Removing service app_old', 'Updating service app_web (id: id-app_web)'])
    expect(calls).toEqual(['DELETE /services/id-app_old', 'POST /services/id-app_web/update?version=7'])
    const spec = bodies['/services/id-app_web/update'] as Service['Spec']
    expect(spec.TaskTemplate.ContainerSpec.Image).toBe('web:1@sha256:abc')
    expect(spec.TaskTemplate.ForceUpdate).toBe(3)
    expect(spec.TaskTemplate.Placement).toEqual({ Platforms: [{ Architecture: 'amd64', OS: 'linux' }] })
  })

  it('a changed image in the file is sent as written', async () => {
    const { client, bodies } = fakeManager([existing('app_web', 'web:1', 'web:1@sha256:abc')], [{ Name: 'app_default' }])
    await deployStack(client, plan('services:\n  web:\n    image: web:2\n'), { out: () => {}, err: () => {} })
    expect((bodies['/services/id-app_web/update'] as Service['Spec']).TaskTemplate.ContainerSpec.Image).toBe('web:2')
  })

  it('a missing external network stops the deploy before anything is made', async () => {
    const { client, calls } = fakeManager([])
    const p = plan('services:\n  web:\n    image: web:1\n    networks: [corp]\nnetworks:\n  corp:\n    external: true\n')
    await expect(deployStack(client, p, { out: () => {}, err: () => {} })).rejects.toThrow('network "corp" is declared as external, but could not be found')
    expect(calls).toEqual([])
  })
})
