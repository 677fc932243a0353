import { describe, expect, test } from 'vitest'
import { applyUpdateFlags, checkRollbackAlone } from '../../../src/lib/cli/service/update.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'

const base = (): ServiceSpec => ({
  Name: 'web',
  Labels: { tier: 'front', old: 'x' },
  TaskTemplate: {
    ContainerSpec: {
      Image: 'nginx:1', Env: ['A=1', 'B=2'], Labels: { keep: '1', drop: '2' },
      Mounts: [{ Type: 'volume', Source: 'data', Target: '/data' }], CapabilityAdd: ['CAP_NET_ADMIN'], CapabilityDrop: ['CAP_MKNOD'],
      Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }], Sysctls: { 'net.a': '1' },
    },
    Resources: { Limits: { MemoryBytes: 1024 }, Reservations: {} },
    Placement: { Constraints: ['node.role==worker'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }] },
    Networks: [{ Target: 'net1' }],
    ForceUpdate: 0,
  },
  Mode: { Replicated: { Replicas: 2 } },
  UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
  EndpointSpec: { Mode: 'vip', Ports: [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }] },
})

describe('applyUpdateFlags (docker updateService)', () => {
  test('no flags: nothing changes, and the input is not touched', () => {
    const spec = base()
    expect(applyUpdateFlags(spec, {})).toEqual(base())
    applyUpdateFlags(spec, { image: 'nginx:2', 'env-add': ['C=3'] })
    expect(spec).toEqual(base())
  })

  test('image, args, entrypoint, plain fields', () => {
    const c = applyUpdateFlags(base(), { image: 'nginx:2', args: 'nginx -g "daemon off;"', entrypoint: '', workdir: '/w', user: 'u', tty: true, 'read-only': false, init: true, privileged: true, hostname: 'h' })
      .TaskTemplate.ContainerSpec
    expect(c).toMatchObject({ Image: 'nginx:2', Args: ['nginx', '-g', 'daemon off;'], Command: [], Dir: '/w', User: 'u', TTY: true, ReadOnly: false, Init: true, Privileged: true, Hostname: 'h' })
  })

  test('env, labels, container labels, sysctls', () => {
    const spec = applyUpdateFlags(base(), {
      'env-add': ['B=20', 'C=3'], 'env-rm': ['A'], 'label-add': ['new=1'], 'label-rm': ['old'],
      'container-label-add': ['add=1'], 'container-label-rm': ['drop'], 'sysctl-add': ['net.b=2'], 'sysctl-rm': ['net.a'],
    })
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual(['B=20', 'C=3'])
    expect(spec.Labels).toEqual({ tier: 'front', new: '1' })
    expect(spec.TaskTemplate.ContainerSpec.Labels).toEqual({ keep: '1', add: '1' })
    expect(spec.TaskTemplate.ContainerSpec.Sysctls).toEqual({ 'net.b': '2' })
  })

  test('mounts by target, sorted by source', () => {
    const c = applyUpdateFlags(base(), { 'mount-add': ['type=bind,source=/a,target=/data', 'type=tmpfs,target=/tmp'] }).TaskTemplate.ContainerSpec
    expect(c.Mounts).toEqual([{ Type: 'tmpfs', Target: '/tmp' }, { Type: 'bind', Source: '/a', Target: '/data' }])
    expect(applyUpdateFlags(base(), { 'mount-rm': ['/data'] }).TaskTemplate.ContainerSpec.Mounts).toEqual([])
    expect(() => applyUpdateFlags(base(), { 'mount-add': ['target=/x', 'target=/x'] })).toThrow('duplicate mount target')
  })

  test('ports: remove by target, add, sorted', () => {
    const spec = applyUpdateFlags(base(), { 'publish-add': ['9090:90', '8080:80'], 'publish-rm': [] })
    expect(spec.EndpointSpec?.Ports?.map((p) => `${p.PublishedPort}:${p.TargetPort}`)).toEqual(['8080:80', '9090:90'])
    expect(applyUpdateFlags(base(), { 'publish-rm': ['80'] }).EndpointSpec?.Ports).toEqual([])
    expect(applyUpdateFlags(base(), { 'publish-rm': ['80/udp'] }).EndpointSpec?.Ports).toHaveLength(1)
  })

  test('placement, networks, replicas, resources, force', () => {
    const spec = applyUpdateFlags(base(), {
      'constraint-add': ['node.labels.a==1'], 'constraint-rm': ['node.role==worker'],
      'placement-pref-rm': ['spread=node.labels.zone'], 'placement-pref-add': ['spread=node.labels.rack'],
      'network-add': ['net2'], 'network-rm': ['net1'], replicas: '5', 'limit-cpu': '2', 'reserve-memory': '1k',
      'replicas-max-per-node': '1', force: true,
    })
    expect(spec.TaskTemplate.Placement).toEqual({ Constraints: ['node.labels.a==1'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.rack' } }], MaxReplicas: 1 })
    expect(spec.TaskTemplate.Networks).toEqual([{ Target: 'net2' }])
    expect(spec.Mode).toEqual({ Replicated: { Replicas: 5 } })
    expect(spec.TaskTemplate.Resources).toEqual({ Limits: { MemoryBytes: 1024, NanoCPUs: 2e9 }, Reservations: { MemoryBytes: 1024 } })
    expect(spec.TaskTemplate.ForceUpdate).toBe(1)
    expect(() => applyUpdateFlags(base(), { 'network-add': ['net1'] })).toThrow('service is already attached to network net1')
  })

  test('replicas on a global service', () => {
    const global = { ...base(), Mode: { Global: {} } }
    expect(() => applyUpdateFlags(global, { replicas: '2' })).toThrow('replicas can only be used with replicated mode')
  })

  test('update, rollback and restart configs start from swarm defaults', () => {
    const spec = applyUpdateFlags({ ...base(), UpdateConfig: undefined }, { 'update-delay': '5s', 'rollback-order': 'start-first', 'restart-window': '1m' })
    expect(spec.UpdateConfig).toEqual({ Parallelism: 1, Delay: 5e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' })
    expect(spec.RollbackConfig?.Order).toBe('start-first')
    expect(spec.TaskTemplate.RestartPolicy).toEqual({ Condition: 'any', Delay: 5e9, MaxAttempts: 0, Window: 60e9 })
  })

  test('capabilities, tri-state as docker', () => {
    const c = (flags: Parameters<typeof applyUpdateFlags>[1]) => applyUpdateFlags(base(), flags).TaskTemplate.ContainerSpec
    // dropping an added capability only removes it from the add list; adding a dropped one only un-drops it.
    expect(c({ 'cap-drop': ['net_admin'], 'cap-add': ['mknod'] })).toMatchObject({ CapabilityAdd: undefined, CapabilityDrop: undefined })
    expect(c({ 'cap-add': ['sys_time'] })).toMatchObject({ CapabilityAdd: ['CAP_NET_ADMIN', 'CAP_SYS_TIME'], CapabilityDrop: ['CAP_MKNOD'] })
    expect(c({ 'cap-add': ['RESET', 'chown'] })).toMatchObject({ CapabilityAdd: ['CAP_CHOWN'], CapabilityDrop: ['CAP_MKNOD'] })
  })

  test('ulimits and devices', () => {
    const c = applyUpdateFlags(base(), { 'ulimit-add': ['nproc=5', 'nofile=1:2'], 'device-add': ['/dev/fuse', '/dev/kvm'], 'device-rm': ['/dev/kvm'] })
      .TaskTemplate.ContainerSpec
    expect(c.Ulimits).toEqual([{ Name: 'nofile', Soft: 1, Hard: 2 }, { Name: 'nproc', Soft: 5, Hard: 5 }])
    expect(c.Devices).toEqual(['/dev/fuse', '/dev/kvm'])
    expect(applyUpdateFlags(base(), { 'ulimit-rm': ['nofile'] }).TaskTemplate.ContainerSpec.Ulimits).toBeUndefined()
  })

  test('healthcheck: NONE is replaced by settings, --no-healthcheck sets it', () => {
    const none = base()
    none.TaskTemplate.ContainerSpec.Healthcheck = { Test: ['NONE'] }
    expect(applyUpdateFlags(none, { 'health-interval': '3s' }).TaskTemplate.ContainerSpec.Healthcheck).toEqual({ Interval: 3e9 })
    expect(applyUpdateFlags(base(), { 'no-healthcheck': true }).TaskTemplate.ContainerSpec.Healthcheck).toEqual({ Test: ['NONE'] })
  })

  test('--rollback goes alone', () => {
    expect(() => checkRollbackAlone({ rollback: true, detach: true, quiet: true })).not.toThrow()
    expect(() => checkRollbackAlone({ rollback: true, image: 'x' })).toThrow('other flags may not be combined with --rollback')
  })
})
