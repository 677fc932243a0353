import { describe, expect, it } from 'vitest'
import { validateServiceSpec } from '../../../src/lib/cluster/services.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'

const spec = (container: object = {}, task: object = {}): ServiceSpec =>
  ({ Name: 'web', TaskTemplate: { ContainerSpec: { Image: 'busybox', ...container }, ...task } }) as ServiceSpec

describe('service fields tsw cannot honour', () => {
  it.each([
    [spec({ Privileges: { CredentialSpec: { File: 'spec.json' } } }), 'ContainerSpec.Privileges.CredentialSpec is not supported by tsw: it is for Windows engines'],
    [spec({ Isolation: 'hyperv' }), 'ContainerSpec.Isolation "hyperv" is not supported by tsw: Linux engines have only "default"'],
    [spec({ Secrets: [{ SecretName: 's' }] }), 'ContainerSpec.Secrets is not supported by tsw'],
    [spec({ Configs: [{ ConfigName: 'c' }] }), 'ContainerSpec.Configs is not supported by tsw'],
    [spec({ Mounts: [{ Type: 'cluster', Source: 'v', Target: '/v' }] }), 'ContainerSpec.Mounts: mount type "cluster" is not supported by tsw'],
    [spec({}, { PluginSpec: { Name: 'p' } }), 'TaskTemplate.PluginSpec is not supported by tsw: tsw runs containers only'],
    [spec({}, { Runtime: 'plugin' }), 'TaskTemplate.Runtime "plugin" is not supported by tsw: tsw runs containers only'],
  ])('refuses %#', (s, message) => {
    expect(() => validateServiceSpec(s)).toThrow(message)
  })
  it('accepts the zero values the docker CLI always sends', () => {
    const s = validateServiceSpec(spec({ Privileges: { CredentialSpec: null, SELinuxContext: null }, Isolation: 'default', Secrets: [], Configs: null }, { Runtime: 'container' }))
    expect(s.TaskTemplate.ContainerSpec.Image).toBe('busybox')
    expect(() => validateServiceSpec(spec({ Isolation: '' }))).not.toThrow()
  })
  it('checks the values it passes on', () => {
    expect(() => validateServiceSpec(spec({ OomScoreAdj: 1001 }))).toThrow('ContainerSpec: invalid value 1001, range for oom score adj is [-1000, 1000]')
    expect(() => validateServiceSpec(spec({ Hosts: ['10.0.0.1'] }))).toThrow('ContainerSpec.Hosts: invalid entry "10.0.0.1"')
    expect(() => validateServiceSpec(spec({}, { Resources: { Limits: { Pids: -1 } } }))).toThrow('Resources.Limits.Pids must be a whole number >= 0')
    expect(() => validateServiceSpec(spec({}, { Resources: { Reservations: { GenericResources: [{ NamedResourceSpec: { Kind: 'gpu', Value: 'x' } }] } } })))
      .toThrow('invalid argument for resource gpu')
    expect(() => validateServiceSpec(spec({ Privileges: { Seccomp: { Mode: 'custom' } } }))).toThrow('mode custom needs a Profile')
  })
  it('drops PullOptions sent in a body: registry credentials come in X-Registry-Auth only', () => {
    const s = validateServiceSpec(spec({ PullOptions: { RegistryAuth: 'x' } }))
    expect(s.TaskTemplate.ContainerSpec.PullOptions).toBeUndefined()
  })
})
