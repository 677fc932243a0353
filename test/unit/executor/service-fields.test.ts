import { describe, expect, it } from 'vitest'
import { containerConfig } from '../../../src/lib/executor/container-config.js'
import { extraHosts, genericResourceEnv, securityOptions } from '../../../src/lib/executor/container-options.js'
import type { ContainerSpec, Task, TaskSpec } from '../../../src/lib/types/index.js'

function task(spec: Partial<TaskSpec>, c: Partial<ContainerSpec> = {}, extra: Partial<Task> = {}): Task {
  return {
    ID: 't1', Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '', Labels: {}, ServiceID: 's1', Slot: 1, NodeID: 'n1',
    Spec: { ...spec, ContainerSpec: { Image: 'busybox', ...c } },
    Status: { Timestamp: '', State: 'assigned', Message: '' }, DesiredState: 'running', ...extra,
  }
}
const config = (t: Task, dns?: string[]) => containerConfig({ task: t, serviceName: 'web', serviceId: 's1', clusterId: 'c1', nodeId: 'n1', hostPorts: [], dns })

describe('service fields → the container', () => {
  it('maps DNS, hosts, groups, OOM score, PIDs limit, isolation, log driver, init, stdin and the start interval', () => {
    const c = config(task({
      Resources: { Limits: { Pids: 100 } },
      LogDriver: { Name: 'json-file', Options: { 'max-size': '1m' } },
    }, {
      DNSConfig: { Nameservers: ['10.0.0.2'], Search: ['example.org'], Options: ['ndots:2'] },
      Hosts: ['10.1.2.3 db db.local', '10.1.2.4 cache'],
      Groups: ['audio', '1234'], OomScoreAdj: 300, Isolation: 'default', Init: true, OpenStdin: true,
      Healthcheck: { Test: ['CMD', 'true'], StartInterval: 2e9 },
    }))
    const hc = c.HostConfig!
    expect(hc.Dns).toEqual(['10.0.0.2'])
    expect(hc.DnsSearch).toEqual(['example.org'])
    expect(hc.DnsOptions).toEqual(['ndots:2'])
    expect(hc.ExtraHosts).toEqual(['db:10.1.2.3', 'db.local:10.1.2.3', 'cache:10.1.2.4'])
    expect(hc.GroupAdd).toEqual(['audio', '1234'])
    expect(hc.OomScoreAdj).toBe(300)
    expect(hc.PidsLimit).toBe(100)
    expect(hc.Isolation).toBe('default')
    expect(hc.Init).toBe(true)
    expect(hc.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '1m' } })
    expect(c.OpenStdin).toBe(true)
    expect((c.Healthcheck as { StartInterval?: number }).StartInterval).toBe(2e9)
  })
  it('puts the swarm resolvers before the spec nameservers on overlay tasks', () => {
    const t = task({}, { DNSConfig: { Nameservers: ['8.8.8.8'] } }, {
      NetworksAttachments: [{ Network: { ID: 'n', Spec: { Name: 'appnet' } }, Addresses: ['10.0.1.5/24'] }],
    })
    expect(config(t, ['10.213.0.1']).HostConfig!.Dns).toEqual(['10.213.0.1', '8.8.8.8'])
  })
  it('adds DOCKER_RESOURCE_<KIND> after the spec environment, values of a kind comma-joined', () => {
    const t = task({}, { Env: ['A=1'] }, {
      AssignedGenericResources: [
        { NamedResourceSpec: { Kind: 'gpu', Value: 'UUID1' } }, { NamedResourceSpec: { Kind: 'gpu', Value: 'UUID2' } },
        { DiscreteResourceSpec: { Kind: 'ssd', Value: 2 } },
      ],
    })
    expect(config(t).Env).toEqual(['A=1', 'DOCKER_RESOURCE_GPU=UUID1,UUID2', 'DOCKER_RESOURCE_SSD=2'])
    expect(genericResourceEnv(undefined)).toEqual([])
  })
  it('turns Privileges into security options as dockerd takes them', () => {
    expect(securityOptions({
      SELinuxContext: { User: 'u', Role: 'r', Type: 't', Level: 's0' },
      Seccomp: { Mode: 'unconfined' }, AppArmor: { Mode: 'disabled' }, NoNewPrivileges: true,
    })).toEqual(['label=user:u', 'label=role:r', 'label=type:t', 'label=level:s0', 'seccomp=unconfined', 'apparmor=unconfined', 'no-new-privileges=true'])
    expect(securityOptions({ SELinuxContext: { Disable: true, User: 'u' }, Seccomp: { Mode: 'custom', Profile: Buffer.from('{"defaultAction":"SCMP_ACT_ALLOW"}').toString('base64') } }))
      .toEqual(['label=disable', 'seccomp={"defaultAction":"SCMP_ACT_ALLOW"}'])
    expect(securityOptions({ CredentialSpec: null, SELinuxContext: null })).toEqual([])
    expect(config(task({}, { Privileges: { NoNewPrivileges: true } })).HostConfig!.SecurityOpt).toEqual(['no-new-privileges=true'])
  })
  it('passes the newer mount options through', () => {
    const c = config(task({}, {
      Mounts: [
        { Type: 'bind', Source: '/tmp', Target: '/t', Consistency: 'cached', BindOptions: { NonRecursive: true, CreateMountpoint: true } },
        { Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { Subpath: 'sub' } },
        { Type: 'tmpfs', Target: '/m', TmpfsOptions: { SizeBytes: 1024, Options: [['exec']] } },
      ],
    }))
    expect(c.HostConfig!.Mounts).toEqual([
      { Type: 'bind', Source: '/tmp', Target: '/t', Consistency: 'cached', BindOptions: { NonRecursive: true, CreateMountpoint: true } },
      { Type: 'volume', Source: 'v', Target: '/v', VolumeOptions: { Subpath: 'sub' } },
      { Type: 'tmpfs', Target: '/m', TmpfsOptions: { SizeBytes: 1024, Options: [['exec']] } },
    ])
  })
  it('leaves out what the spec does not set', () => {
    const hc = config(task({})).HostConfig!
    for (const k of ['Dns', 'DnsSearch', 'DnsOptions', 'ExtraHosts', 'GroupAdd', 'OomScoreAdj', 'PidsLimit', 'SecurityOpt', 'Isolation']) {
      expect(hc).not.toHaveProperty(k)
    }
    expect(extraHosts(['10.0.0.1'])).toEqual([])
  })
})
