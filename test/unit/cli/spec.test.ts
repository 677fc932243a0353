import { describe, expect, test } from 'vitest'
import { specFromFlags } from '../../../src/lib/cli/service/spec.js'

describe('specFromFlags (docker ToService)', () => {
  test('an image alone: replicated, 1 replica, vip, docker-shaped empties', () => {
    expect(specFromFlags('nginx:alpine', [], {}, {})).toEqual({
      Name: '',
      Labels: {},
      TaskTemplate: { ContainerSpec: { Image: 'nginx:alpine', Init: false }, Resources: { Limits: {}, Reservations: {} }, Placement: {} },
      Mode: { Replicated: { Replicas: 1 } },
      EndpointSpec: { Mode: 'vip' },
    })
  })

  test('image arguments go to Args, --entrypoint (shell words) to Command', () => {
    const spec = specFromFlags('alpine', ['echo', 'hi'], { entrypoint: '/bin/sh -c' }, {})
    expect(spec.TaskTemplate.ContainerSpec.Args).toEqual(['echo', 'hi'])
    expect(spec.TaskTemplate.ContainerSpec.Command).toEqual(['/bin/sh', '-c'])
  })

  test('global mode, and its conflicts', () => {
    expect(specFromFlags('nginx', [], { mode: 'global' }, {}).Mode).toEqual({ Global: {} })
    expect(() => specFromFlags('nginx', [], { mode: 'global', replicas: '2' }, {})).toThrow('replicas can only be used with replicated or replicated-job mode')
    expect(() => specFromFlags('nginx', [], { mode: 'global', 'replicas-max-per-node': '1' }, {}))
      .toThrow('replicas-max-per-node can only be used with replicated or replicated-job mode')
    expect(() => specFromFlags('nginx', [], { mode: 'cron' }, {})).toThrow('Unknown mode: cron, only replicated and global supported')
    expect(() => specFromFlags('nginx', [], { replicas: 'three' }, {}))
      .toThrow('invalid argument "three" for "--replicas" flag: strconv.ParseUint: parsing "three": invalid syntax')
  })

  test('everything at once', () => {
    const spec = specFromFlags('web:1', ['--port', '80'], {
      name: 'web', replicas: '3', label: ['tier=front', 'team'], 'container-label': ['c=1'],
      env: ['A=1', 'B=2', 'A=3', 'FROM_ENV'], workdir: '/app', user: 'nobody', hostname: 'h', 'stop-signal': 'SIGQUIT',
      'stop-grace-period': '30s', tty: true, 'read-only': true, init: true, privileged: true,
      mount: ['type=bind,source=/srv,target=/srv,readonly'], publish: ['8080:80', 'published=53,target=53,protocol=udp,mode=host'],
      constraint: ['node.role==worker', 'node.labels.zone!=b'], 'placement-pref': ['spread=node.labels.zone'], 'replicas-max-per-node': '2',
      network: ['backend', 'frontend', 'backend'], 'limit-cpu': '1.5', 'limit-memory': '512m', 'reserve-cpu': '0.25', 'reserve-memory': '64MiB',
      'restart-condition': 'on-failure', 'restart-max-attempts': '3',
      'update-parallelism': '2', 'update-delay': '10s', 'update-failure-action': 'rollback', 'update-order': 'start-first',
      'rollback-parallelism': '0', 'rollback-monitor': '1m',
      'health-cmd': 'curl -f localhost', 'health-interval': '5s', 'health-retries': '3',
      'cap-add': ['net_admin'], 'cap-drop': ['mknod'], sysctl: ['net.core.somaxconn=1024'], ulimit: ['nproc=512', 'nofile=1024:2048'],
      device: ['/dev/fuse'], 'endpoint-mode': 'dnsrr',
    }, { FROM_ENV: 'yes' })
    expect(spec).toEqual({
      Name: 'web',
      Labels: { tier: 'front', team: '' },
      TaskTemplate: {
        ContainerSpec: {
          Image: 'web:1', Args: ['--port', '80'], Init: true, Env: ['B=2', 'A=3', 'FROM_ENV=yes'], Labels: { c: '1' },
          Hostname: 'h', Dir: '/app', User: 'nobody', StopSignal: 'SIGQUIT', TTY: true, ReadOnly: true, Privileged: true,
          Mounts: [{ Type: 'bind', Source: '/srv', Target: '/srv', ReadOnly: true }], StopGracePeriod: 30e9,
          Healthcheck: { Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 5e9, Retries: 3 },
          Sysctls: { 'net.core.somaxconn': '1024' }, CapabilityAdd: ['CAP_NET_ADMIN'], CapabilityDrop: ['CAP_MKNOD'],
          Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }, { Name: 'nproc', Soft: 512, Hard: 512 }], Devices: ['/dev/fuse'],
        },
        Resources: { Limits: { NanoCPUs: 1.5e9, MemoryBytes: 512 * 1024 ** 2 }, Reservations: { NanoCPUs: 2.5e8, MemoryBytes: 64 * 1024 ** 2 } },
        RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3 },
        Placement: { Constraints: ['node.role==worker', 'node.labels.zone!=b'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
        Networks: [{ Target: 'backend' }, { Target: 'frontend' }],
      },
      Mode: { Replicated: { Replicas: 3 } },
      UpdateConfig: { Parallelism: 2, Delay: 10e9, FailureAction: 'rollback', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' },
      RollbackConfig: { Parallelism: 0, Delay: 0, FailureAction: 'pause', Monitor: 60e9, MaxFailureRatio: 0, Order: 'stop-first' },
      EndpointSpec: {
        Mode: 'dnsrr',
        Ports: [
          { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
          { Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'host' },
        ],
      },
    })
  })

  test('healthcheck switches', () => {
    expect(specFromFlags('x', [], { 'no-healthcheck': true }, {}).TaskTemplate.ContainerSpec.Healthcheck).toEqual({ Test: ['NONE'] })
    expect(() => specFromFlags('x', [], { 'no-healthcheck': true, 'health-cmd': 'true' }, {})).toThrow('--no-healthcheck conflicts with --health-* options')
    expect(specFromFlags('x', [], { 'health-timeout': '2s' }, {}).TaskTemplate.ContainerSpec.Healthcheck).toEqual({ Timeout: 2e9 })
  })

  test('bad values say which flag and what is accepted', () => {
    const bad = (flags: Parameters<typeof specFromFlags>[2]) => () => specFromFlags('x', [], flags, {})
    expect(bad({ 'restart-condition': 'always' })).toThrow('invalid argument "always" for "--restart-condition" flag: must be one of "none", "on-failure", "any"')
    expect(bad({ 'update-failure-action': 'stop' })).toThrow('must be one of "pause", "continue", "rollback"')
    expect(bad({ 'rollback-failure-action': 'rollback' })).toThrow('must be one of "pause", "continue"')
    expect(bad({ 'endpoint-mode': 'dns' })).toThrow('invalid argument "dns" for "--endpoint-mode" flag: must be one of "vip", "dnsrr"')
    expect(bad({ 'limit-memory': '1gx' })).toThrow('invalid argument "1gx" for "--limit-memory" flag: invalid suffix: \'gx\'')
    expect(bad({ 'reserve-cpu': 'lots' })).toThrow('invalid argument "lots" for "--reserve-cpu" flag: failed to parse lots as a rational number')
    expect(bad({ 'update-max-failure-ratio': '2' })).toThrow('must be between 0 and 1')
    expect(bad({ mount: ['target=/x,oops'] })).toThrow('invalid argument "target=/x,oops" for "--mount" flag: invalid field \'oops\' must be a key=value pair')
    expect(bad({ env: ['=1'] })).toThrow('invalid argument "=1" for "-e, --env" flag: invalid environment variable: =1')
    expect(bad({ 'update-delay': 'soon' })).toThrow('invalid argument "soon" for "--update-delay" flag: time: invalid duration "soon"')
    expect(bad({ entrypoint: '"sh' })).toThrow('for "--entrypoint" flag: EOF found when expecting closing quote')
  })
})

describe('specFromFlags: job modes (docker ToServiceMode)', () => {
  test('replicated-job: --replicas is the total completions, --max-concurrent defaults to it', () => {
    expect(specFromFlags('busybox', [], { mode: 'replicated-job', replicas: '5', 'max-concurrent': '2' }, {}).Mode)
      .toEqual({ ReplicatedJob: { TotalCompletions: 5, MaxConcurrent: 2 } })
    expect(specFromFlags('busybox', [], { mode: 'replicated-job', replicas: '3' }, {}).Mode).toEqual({ ReplicatedJob: { TotalCompletions: 3, MaxConcurrent: 3 } })
    expect(specFromFlags('busybox', [], { mode: 'replicated-job' }, {}).Mode).toEqual({ ReplicatedJob: {} })
  })

  test('global-job, and the flags only replicated jobs take', () => {
    expect(specFromFlags('busybox', [], { mode: 'global-job' }, {}).Mode).toEqual({ GlobalJob: {} })
    expect(() => specFromFlags('busybox', [], { mode: 'global-job', replicas: '2' }, {})).toThrow('replicas can only be used with replicated or replicated-job mode')
    expect(() => specFromFlags('busybox', [], { mode: 'global-job', 'max-concurrent': '2' }, {})).toThrow('max-concurrent can only be used with replicated-job mode')
    expect(() => specFromFlags('busybox', [], { 'max-concurrent': '2' }, {})).toThrow('max-concurrent can only be used with replicated-job mode')
  })
})
