import { describe, it, expect } from 'vitest'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'
import { requestFromCreateBody } from '../../../src/lib/classic/placement/index.js'

describe('requestFromCreateBody', () => {
  it('reads image, env, labels, limits and host ports', () => {
    const req = requestFromCreateBody({
      Image: 'redis',
      Env: ['A=1', 'constraint:node==node01'],
      Labels: { app: 'web' },
      HostConfig: {
        Memory: 512 * 1024 * 1024,
        NanoCpus: 1.5e9,
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostPort: '53' }], '443/tcp': [{ HostPort: '' }] },
      },
    }, '/web')
    expect(req).toEqual({
      name: 'web', image: 'redis', env: ['A=1', 'constraint:node==node01'], labels: { app: 'web' },
      memory: 512 * 1024 * 1024, nanoCpus: 1.5e9, hostPorts: ['tcp/8080', 'udp/53'],
    })
  })
  it('defaults everything but the image, and keeps no name when none is given', () => {
    expect(requestFromCreateBody({ Image: 'busybox', Env: null, HostConfig: null })).toEqual({
      image: 'busybox', env: [], labels: {}, memory: 0, nanoCpus: 0, hostPorts: [],
    })
  })
  it('turns CpuQuota/CpuPeriod into nano-CPUs (period 100 ms by default)', () => {
    expect(requestFromCreateBody({ Image: 'x', HostConfig: { CpuQuota: 50_000, CpuPeriod: 100_000 } }).nanoCpus).toBe(0.5e9)
    expect(requestFromCreateBody({ Image: 'x', HostConfig: { CpuQuota: 200_000 } }).nanoCpus).toBe(2e9)
    expect(requestFromCreateBody({ Image: 'x', HostConfig: { NanoCpus: 1e9, CpuQuota: 50_000 } }).nanoCpus).toBe(1e9)
  })
  it('expands host port ranges, defaults the protocol to tcp and dedupes', () => {
    const req = requestFromCreateBody({
      Image: 'x',
      HostConfig: { PortBindings: { 80: [{ HostPort: '8000-8002' }], '81/tcp': [{ HostPort: '8001' }] } },
    })
    expect(req.hostPorts).toEqual(['tcp/8000', 'tcp/8001', 'tcp/8002'])
  })
  it('with --network host, the exposed ports are host ports', () => {
    const req = requestFromCreateBody({ Image: 'x', ExposedPorts: { '80/tcp': {}, '53/udp': {} }, HostConfig: { NetworkMode: 'host' } })
    expect(req.hostPorts).toEqual(['tcp/80', 'udp/53'])
  })
  it('rejects a missing image and a bad host port', () => {
    expect(() => requestFromCreateBody({})).toThrow(InvalidArgumentError)
    expect(() => requestFromCreateBody({})).toThrow('Image: an image reference must be provided (e.g. "Image": "redis")')
    expect(() => requestFromCreateBody({ Image: 'x', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: 'http' }] } } }))
      .toThrow("HostConfig.PortBindings: host port 'http' of 80/tcp is invalid (use a number from 1 to 65535 or a range such as 8000-8010)")
    expect(() => requestFromCreateBody({ Image: 'x', HostConfig: { PortBindings: { '80/tcp': [{ HostPort: '70000' }] } } }))
      .toThrow("host port '70000' of 80/tcp is invalid")
  })
})
