import { describe, expect, it } from 'vitest'
import { parseEngineUrl } from '../../../src/lib/engine/address.js'
import { engineInfoFromRaw, parseLabels } from '../../../src/lib/engine/probe.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

describe('parseEngineUrl', () => {
  it('parses unix sockets', () => {
    expect(parseEngineUrl('unix:///var/run/docker.sock')).toEqual({
      kind: 'unix', url: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock',
    })
  })

  it('parses tcp with and without a port', () => {
    expect(parseEngineUrl('tcp://10.213.0.12:2375')).toEqual({ kind: 'tcp', url: 'tcp://10.213.0.12:2375', host: '10.213.0.12', port: 2375 })
    expect(parseEngineUrl('tcp://node01')).toMatchObject({ host: 'node01', port: 2375, url: 'tcp://node01:2375' })
    expect(parseEngineUrl('tcp://node01/')).toMatchObject({ port: 2375 })
    expect(parseEngineUrl('TCP://node01:1234')).toMatchObject({ port: 1234 })
  })

  it('defaults tcp to 2376 when TLS material is given', () => {
    expect(parseEngineUrl('tcp://node03', { tls: true })).toMatchObject({ port: 2376, url: 'tcp://node03:2376' })
    expect(parseEngineUrl('tcp://node03:2375', { tls: true })).toMatchObject({ port: 2375 })
  })

  it('parses IPv6 literals', () => {
    expect(parseEngineUrl('tcp://[fd00::12]:2375')).toMatchObject({ host: 'fd00::12', port: 2375, url: 'tcp://[fd00::12]:2375' })
    expect(parseEngineUrl('ssh://ops@[::1]')).toMatchObject({ host: '::1', port: 22 })
  })

  it('parses ssh with defaults', () => {
    expect(parseEngineUrl('ssh://ops@10.0.0.12')).toEqual({
      kind: 'ssh', url: 'ssh://ops@10.0.0.12:22', user: 'ops', host: '10.0.0.12', port: 22, socketPath: '/var/run/docker.sock',
    })
  })

  it('parses ssh port and socket', () => {
    expect(parseEngineUrl('ssh://root@10.213.0.12:2222?socket=/var/lib/tsw-lab/node02/docker.sock')).toEqual({
      kind: 'ssh', url: 'ssh://root@10.213.0.12:2222?socket=/var/lib/tsw-lab/node02/docker.sock',
      user: 'root', host: '10.213.0.12', port: 2222, socketPath: '/var/lib/tsw-lab/node02/docker.sock',
    })
    expect(parseEngineUrl('ssh://root@h/?socket=/run/d.sock')).toMatchObject({ socketPath: '/run/d.sock' })
  })

  it('takes the ssh socket from the URL, then the default given, then /var/run/docker.sock', () => {
    expect(parseEngineUrl('ssh://a@h', { sshSocket: '/run/x.sock' })).toMatchObject({ socketPath: '/run/x.sock' })
    expect(parseEngineUrl('ssh://a@h?socket=/run/y.sock', { sshSocket: '/run/x.sock' })).toMatchObject({ socketPath: '/run/y.sock' })
  })

  const bad: Array<[string, RegExp]> = [
    ['foo', /invalid engine address "foo": use unix:\/\/\/var\/run\/docker.sock, tcp:\/\/HOST:PORT or ssh:\/\/USER@HOST\[:PORT\]/],
    ['', /invalid engine address ""/],
    ['10.0.0.1:2375', /invalid engine address/],
    ['http://10.0.0.1:2375', /unsupported scheme "http:\/\/"/],
    ['npipe:////./pipe/docker_engine', /unsupported scheme "npipe:\/\/"/],
    ['unix://var/run/docker.sock', /must be absolute/],
    ['unix://', /must be absolute/],
    ['tcp://', /tcp:\/\/HOST\[:PORT\]/],
    ['tcp://host:0', /port must be 1-65535, not "0"/],
    ['tcp://host:65536', /port must be 1-65535/],
    ['tcp://host:abc', /port must be 1-65535, not "abc"/],
    ['tcp://host:', /port must be 1-65535/],
    ['tcp://host:2375/v1.41', /no user, path or query/],
    ['tcp://user@host:2375', /no user, path or query/],
    ['tcp://host:2375?x=1', /no user, path or query/],
    ['ssh://10.0.0.12', /needs a user and a host/],
    ['ssh://ops@', /needs a user and a host/],
    ['ssh://ops@host/var/run/docker.sock', /no path/],
    ['ssh://ops:secret@host', /passwords are not accepted/],
    ['ssh://ops@host:99999', /port must be 1-65535/],
    ['ssh://ops@host?sock=/x', /unknown ssh option "sock"/],
    ['ssh://ops@host?socket=run/x', /must be absolute/],
  ]
  it.each(bad)('rejects %j', (url, message) => {
    expect(() => parseEngineUrl(url)).toThrow(InvalidArgumentError)
    expect(() => parseEngineUrl(url)).toThrow(message)
  })
})

describe('engineInfoFromRaw', () => {
  it('maps /info fields', () => {
    expect(engineInfoFromRaw({
      ID: 'FCCE:7IFU', Name: 'node02', OSType: 'linux', Architecture: 'x86_64', NCPU: 2,
      MemTotal: 1024, ServerVersion: '28.5.1', Labels: ['zone=a', 'disk=ssd=fast', 'gpu'],
    })).toEqual({
      ID: 'FCCE:7IFU', Hostname: 'node02', OS: 'linux', Architecture: 'x86_64', NCPU: 2,
      MemTotal: 1024, ServerVersion: '28.5.1', Labels: { zone: 'a', disk: 'ssd=fast', gpu: '' },
    })
  })

  it('maps Go architecture names and tolerates missing fields', () => {
    expect(engineInfoFromRaw({ Architecture: 'amd64', Labels: null })).toMatchObject({ Architecture: 'x86_64', Labels: {}, NCPU: 0 })
    expect(engineInfoFromRaw({ Architecture: 'aarch64' }).Architecture).toBe('aarch64')
  })

  it('parses labels', () => {
    expect(parseLabels([])).toEqual({})
  })
})
