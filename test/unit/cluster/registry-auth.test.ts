import { describe, expect, it } from 'vitest'
import { applyRegistryAuth, publicService, publicTask } from '../../../src/lib/cluster/registry-auth.js'
import type { Service, ServiceSpec, Task } from '../../../src/lib/types/index.js'

const spec = (auth?: string): ServiceSpec => ({
  Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'busybox', ...(auth ? { PullOptions: { RegistryAuth: auth } } : {}) } },
})
const service = (current?: string, previous?: string): Service => ({
  ID: 's', Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Spec: spec(current), ...(previous ? { PreviousSpec: spec(previous) } : {}),
})

describe('registry credentials of a service', () => {
  it('takes the header, else keeps the current (or previous) spec\'s', () => {
    const a = spec(); applyRegistryAuth(a, 'NEW', service('OLD'))
    expect(a.TaskTemplate.ContainerSpec.PullOptions).toEqual({ RegistryAuth: 'NEW' })
    const b = spec(); applyRegistryAuth(b, undefined, service('OLD', 'PREV'))
    expect(b.TaskTemplate.ContainerSpec.PullOptions).toEqual({ RegistryAuth: 'OLD' })
    const c = spec(); applyRegistryAuth(c, undefined, service('OLD', 'PREV'), 'previous-spec')
    expect(c.TaskTemplate.ContainerSpec.PullOptions).toEqual({ RegistryAuth: 'PREV' })
    const d = spec('STRAY'); applyRegistryAuth(d, undefined, service())
    expect(d.TaskTemplate.ContainerSpec.PullOptions).toBeUndefined()
    expect(() => applyRegistryAuth(spec(), undefined, service('OLD'), 'previous-spec')).toThrow('service does not have a previous spec')
    expect(() => applyRegistryAuth(spec(), undefined, service('OLD'), 'other')).toThrow('unsupported registryAuthFrom value')
  })
  it('never shows them in API output', () => {
    const s = publicService(service('OLD', 'PREV'))
    expect(JSON.stringify(s)).not.toMatch(/OLD|PREV|PullOptions/)
    const t = { ID: 't', Spec: spec('OLD').TaskTemplate } as Task
    expect(JSON.stringify(publicTask(t))).not.toContain('OLD')
    expect(t.Spec.ContainerSpec.PullOptions).toEqual({ RegistryAuth: 'OLD' })
  })
})
