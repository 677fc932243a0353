import { describe, expect, it } from 'vitest'
import {
  containerConfig, parseDevice, taskContainerName, type ContainerConfigInput,
} from '../../../src/lib/executor/container-config.js'
import {
  belongsToCluster, LABEL_CLUSTER_ID, LABEL_TASK_ID, taskIdOfContainer,
} from '../../../src/lib/executor/labels.js'
import { Limiter } from '../../../src/lib/executor/limiter.js'
import { LineSplitter } from '../../../src/lib/executor/lines.js'
import { engineMessage, typedEngineError } from '../../../src/lib/engine/errors.js'
import { hostPorts } from '../../../src/lib/executor/runner.js'
import { ConflictError, NotFoundError, UnavailableError } from '../../../src/lib/errors/index.js'
import type { Task, TaskSpec } from '../../../src/lib/types/index.js'

function task(spec: Partial<TaskSpec> & { ContainerSpec: TaskSpec['ContainerSpec'] }, extra: Partial<Task> = {}): Task {
  return {
    ID: 'task123',
    Version: { Index: 1 },
    CreatedAt: '2024-01-01T00:00:00Z',
    UpdatedAt: '2024-01-01T00:00:00Z',
    Labels: {},
    Spec: spec,
    ServiceID: 'svc9',
    Slot: 2,
    NodeID: 'node7',
    Status: { Timestamp: '2024-01-01T00:00:00Z', State: 'assigned', Message: 'assigned' },
    DesiredState: 'running',
    ...extra,
  }
}

function input(t: Task, hostPorts: ContainerConfigInput['hostPorts'] = []): ContainerConfigInput {
  return { task: t, serviceName: 'web', serviceId: 'svc9', clusterId: 'clu1', nodeId: 'node7', hostPorts }
}

const systemLabels = (name: string) => ({
  'com.docker.swarm.task': '',
  'com.docker.swarm.task.id': 'task123',
  'com.docker.swarm.task.name': name,
  'com.docker.swarm.node.id': 'node7',
  'com.docker.swarm.service.id': 'svc9',
  'com.docker.swarm.service.name': 'web',
  'io.tsw.cluster.id': 'clu1',
})

describe('containerConfig', () => {
  it('maps a minimal replicated task', () => {
    expect(containerConfig(input(task({ ContainerSpec: { Image: 'busybox:1' } })))).toStrictEqual({
      name: 'web.2.task123',
      Image: 'busybox:1',
      Labels: systemLabels('web.2.task123'),
      HostConfig: { RestartPolicy: { Name: 'no' } },
    })
  })

  it('names global tasks by node', () => {
    const c = containerConfig(input(task({ ContainerSpec: { Image: 'busybox:1' } }, { Slot: undefined })))
    expect(c.name).toBe('web.node7.task123')
    expect(c.Labels!['com.docker.swarm.task.name']).toBe('web.node7.task123')
    expect(taskContainerName('db', { ID: 'x', Slot: 0 }, 'n1')).toBe('db.n1.x')
  })

  it('maps every ContainerSpec field and the task template', () => {
    const t = task({
      ContainerSpec: {
        Image: 'reg:5000/app:2',
        Labels: { team: 'a', 'com.docker.swarm.task.id': 'spoofed' },
        Command: ['/bin/sh', '-c'],
        Args: ['echo hi'],
        Hostname: 'h1',
        Env: ['A=1', 'B=2'],
        Dir: '/work',
        User: '1000:1000',
        Mounts: [
          { Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
          { Type: 'volume', Source: 'vol1', Target: '/vol', VolumeOptions: { NoCopy: true, Labels: { x: 'y' }, DriverConfig: { Name: 'local', Options: { o: 'p' } } } },
          { Type: 'volume', Target: '/anon' },
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
        ],
        StopGracePeriod: 1_500_000_000,
        StopSignal: 'SIGINT',
        Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9, Timeout: 1e9, Retries: 3, StartPeriod: 2e9 },
        CapabilityAdd: ['NET_ADMIN'],
        CapabilityDrop: ['MKNOD'],
        Sysctls: { 'net.core.somaxconn': '1024' },
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        Init: true,
        TTY: true,
        ReadOnly: true,
        Privileged: true,
        Devices: ['/dev/fuse', '/dev/sda:/dev/xvda:r', '/dev/null:rw'],
      },
      Resources: { Limits: { NanoCPUs: 500_000_000, MemoryBytes: 64 << 20 }, Reservations: { MemoryBytes: 1 } },
      LogDriver: { Name: 'json-file', Options: { 'max-size': '1m' } },
    }, { Labels: { fromTask: '1' } })
    const ports = [
      { Protocol: 'tcp' as const, TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' as const },
      { Protocol: 'udp' as const, TargetPort: 53, PublishMode: 'host' as const },
      { TargetPort: 443, PublishedPort: 8443, PublishMode: 'host' as const },
    ]
    expect(containerConfig(input(t, ports))).toStrictEqual({
      name: 'web.2.task123',
      Image: 'reg:5000/app:2',
      Labels: { team: 'a', fromTask: '1', ...systemLabels('web.2.task123') },
      Entrypoint: ['/bin/sh', '-c'],
      Cmd: ['echo hi'],
      Env: ['A=1', 'B=2'],
      WorkingDir: '/work',
      User: '1000:1000',
      Hostname: 'h1',
      Tty: true,
      StopSignal: 'SIGINT',
      StopTimeout: 2,
      Healthcheck: { Test: ['CMD', 'true'], Interval: 5e9, Timeout: 1e9, StartPeriod: 2e9, Retries: 3 },
      ExposedPorts: { '80/tcp': {}, '53/udp': {}, '443/tcp': {} },
      HostConfig: {
        RestartPolicy: { Name: 'no' },
        Mounts: [
          { Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
          { Type: 'volume', Source: 'vol1', Target: '/vol', VolumeOptions: { NoCopy: true, Labels: { x: 'y' }, DriverConfig: { Name: 'local', Options: { o: 'p' } } } },
          { Type: 'volume', Target: '/anon' },
          { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1777 } },
        ],
        Memory: 64 << 20,
        NanoCpus: 500_000_000,
        CapAdd: ['NET_ADMIN'],
        CapDrop: ['MKNOD'],
        Sysctls: { 'net.core.somaxconn': '1024' },
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
        ReadonlyRootfs: true,
        Privileged: true,
        Init: true,
        Devices: [
          { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' },
          { PathOnHost: '/dev/sda', PathInContainer: '/dev/xvda', CgroupPermissions: 'r' },
          { PathOnHost: '/dev/null', PathInContainer: '/dev/null', CgroupPermissions: 'rw' },
        ],
        PortBindings: { '80/tcp': [{ HostPort: '8080' }], '53/udp': [{}], '443/tcp': [{ HostPort: '8443' }] },
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m' } },
      },
    })
  })

  it('puts Args alone in Cmd (the image keeps its entrypoint), and Command alone empties Cmd', () => {
    const args = containerConfig(input(task({ ContainerSpec: { Image: 'i', Args: ['a', 'b'] } })))
    expect(args.Entrypoint).toBeUndefined()
    expect(args.Cmd).toEqual(['a', 'b'])
    const cmd = containerConfig(input(task({ ContainerSpec: { Image: 'i', Command: ['run'] } })))
    expect(cmd.Entrypoint).toEqual(['run'])
    expect(cmd.Cmd).toEqual([])
  })

  it('turns a zero grace period into StopTimeout 0 and Init false into Init false', () => {
    const c = containerConfig(input(task({ ContainerSpec: { Image: 'i', StopGracePeriod: 0, Init: false } })))
    expect(c.StopTimeout).toBe(0)
    expect(c.HostConfig!.Init).toBe(false)
  })
})

describe('parseDevice', () => {
  it('parses docker --device syntax', () => {
    expect(parseDevice('/dev/a:/dev/b:rwm')).toStrictEqual({ PathOnHost: '/dev/a', PathInContainer: '/dev/b', CgroupPermissions: 'rwm' })
    expect(parseDevice('/dev/a:m')).toStrictEqual({ PathOnHost: '/dev/a', PathInContainer: '/dev/a', CgroupPermissions: 'm' })
  })
  it('rejects nonsense', () => {
    for (const bad of ['', ':/dev/b', '/dev/a:/dev/b:xyz', '/dev/a:/b:r:w', '/dev/a:/dev/b:rr']) {
      expect(() => parseDevice(bad), bad).toThrow(/invalid device/)
    }
  })
})

describe('labels', () => {
  it('reads task and cluster ids', () => {
    const labels = { [LABEL_TASK_ID]: 't1', [LABEL_CLUSTER_ID]: 'c1' }
    expect(taskIdOfContainer(labels)).toBe('t1')
    expect(taskIdOfContainer({})).toBeUndefined()
    expect(taskIdOfContainer(null)).toBeUndefined()
    expect(belongsToCluster(labels, 'c1')).toBe(true)
    expect(belongsToCluster(labels, 'c2')).toBe(false)
  })
})

describe('helpers', () => {
  it('Limiter runs at most n jobs at once, in order', async () => {
    const limiter = new Limiter(2)
    let running = 0
    let peak = 0
    const order: number[] = []
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.run(async () => {
      running++
      peak = Math.max(peak, running)
      order.push(i)
      await new Promise((r) => setTimeout(r, 10))
      running--
      if (i === 1) throw new Error('boom')
      return i
    }).catch(() => -1)))
    expect(peak).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4])
    expect(limiter.active).toBe(0)
    expect(limiter.pending).toBe(0)
  })

  it('LineSplitter keeps half lines for the next chunk', () => {
    const lines: string[] = []
    const s = new LineSplitter((l) => lines.push(l))
    s.push('{"a":1}\n{"b"')
    s.push(':2}\r\n\nlast')
    s.end()
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '', 'last'])
  })

  it('cleans up dockerode errors', () => {
    const err = Object.assign(new Error('(HTTP code 404) no such container - No such container: abc '), { statusCode: 404, json: { message: 'No such container: abc' } })
    expect(engineMessage(err)).toBe('No such container: abc')
    expect(typedEngineError('tcp://x:2375', err)).toBeInstanceOf(NotFoundError)
    const conflict = Object.assign(new Error('(HTTP code 409) unexpected - name in use '), { statusCode: 409, json: null })
    expect(typedEngineError('tcp://x:2375', conflict)).toEqual(new ConflictError('name in use'))
    const refused = Object.assign(new Error('connect ECONNREFUSED 1.2.3.4:2375'), { code: 'ECONNREFUSED' })
    const typed = typedEngineError('tcp://1.2.3.4:2375', refused)
    expect(typed).toBeInstanceOf(UnavailableError)
    expect(typed.message).toBe('cannot reach engine tcp://1.2.3.4:2375: connect ECONNREFUSED 1.2.3.4:2375')
  })

  it('reads published host ports', () => {
    expect(hostPorts({
      '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '::', HostPort: '8080' }],
      '53/udp': [{ HostIp: '0.0.0.0', HostPort: '32768' }],
      '9000/tcp': null,
    })).toStrictEqual([
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' },
      { Protocol: 'udp', TargetPort: 53, PublishedPort: 32768, PublishMode: 'host' },
    ])
  })
})
