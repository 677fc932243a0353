import { describe, expect, test } from 'vitest'
import {
  csvFields, effectiveCaps, flagError, kvMap, parseCpus, parseDevice, parseEnv, parseLabel, parseMount, parsePlacementPref,
  parsePublish, parseSysctl, parseUint, parseUlimit, ramInBytes, shlexSplit, withFlag, durationNs,
} from '../../../src/lib/cli/service/opts/index.js'
import { InvalidArgumentError } from '../../../src/lib/errors/index.js'

describe('ramInBytes (go-units RAMInBytes)', () => {
  test.each([
    ['32', 32], ['32b', 32], ['32B', 32], ['32k', 32 * 1024], ['32K', 32 * 1024], ['32kb', 32 * 1024], ['32Kib', 32 * 1024],
    ['32Mb', 32 * 1024 ** 2], ['512m', 512 * 1024 ** 2], ['1g', 1024 ** 3], ['100MiB', 100 * 1024 ** 2], ['32Tb', 32 * 1024 ** 4],
    ['32PB', 32 * 1024 ** 5], ['32.5KB', 33280], ['32.3 GB', Math.trunc(32.3 * 1024 ** 3)], ['0.3MB', Math.trunc(0.3 * 1024 ** 2)],
  ])('%s', (s, n) => expect(ramInBytes(s)).toBe(n))
  test.each([
    ['', "invalid size: ''"], ['hello', "invalid size: 'hello'"], ['-32', 'invalid size: \'-32\''], ['32.3 mbb', "invalid suffix: 'mbb'"],
    ['1gx', "invalid suffix: 'gx'"], ['32bb', "invalid suffix: 'bb'"], ['32kbib', "invalid suffix: 'kbib'"], ['.', 'strconv.ParseFloat: parsing ".": invalid syntax'],
  ])('rejects %j', (s, msg) => expect(() => ramInBytes(s)).toThrow(msg))
})

describe('parseCpus (opts.ParseCPUs)', () => {
  test.each([['0.5', 5e8], ['1', 1e9], ['2.25', 2.25e9], ['1/4', 2.5e8], ['0.000000001', 1], ['1e-3', 1e6], ['.5', 5e8]])('%s', (s, n) => expect(parseCpus(s)).toBe(n))
  test('too precise', () => expect(() => parseCpus('0.0000000001')).toThrow('value is too precise'))
  test('not a number', () => expect(() => parseCpus('one')).toThrow('failed to parse one as a rational number'))
})

describe('parseUint (strconv.ParseUint base 0)', () => {
  test.each([['3', 3], ['0x10', 16], ['010', 8], ['0b11', 3], ['1_000', 1000]])('%s', (s, n) => expect(parseUint(s)).toBe(n))
  test.each(['-1', 'x', '1.5', ''])('rejects %j', (s) => expect(() => parseUint(s)).toThrow(`strconv.ParseUint: parsing "${s}": invalid syntax`))
})

describe('parsePublish', () => {
  test('short forms', () => {
    expect(parsePublish('8080:80')).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }])
    expect(parsePublish('80')).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishMode: 'ingress' }])
    expect(parsePublish('53:53/udp')).toEqual([{ Protocol: 'udp', TargetPort: 53, PublishedPort: 53, PublishMode: 'ingress' }])
    expect(parsePublish('8080-8081:80-81').map((p) => [p.PublishedPort, p.TargetPort])).toEqual([[8080, 80], [8081, 81]])
    expect(parsePublish('8080-8082:80').map((p) => p.PublishedPort)).toEqual([8080, 8081, 8082])
  })
  test('long form', () => {
    expect(parsePublish('published=8080,target=80')).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }])
    expect(parsePublish('published=8080,target=80,protocol=udp,mode=host'))
      .toEqual([{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'host' }])
    expect(parsePublish('target=80')).toEqual([{ Protocol: 'tcp', TargetPort: 80, PublishedPort: undefined, PublishMode: 'ingress' }])
  })
  test.each([
    ['published=8080', "missing mandatory field 'target'"],
    ['target=80,mode=bridge', "invalid publish mode value (bridge): must be either 'ingress' or 'host'"],
    ['target=80,protocol=icmp', "invalid protocol value 'icmp'"],
    ['target=80,foo=bar', 'invalid field key: foo'],
    ['target=x80,published=1', 'invalid target port (x80): value must be an integer: invalid syntax'],
    ['target=80,published=99999', 'invalid published port (99999): value must be an integer: value out of range'],
    ['8080:80/icmp', 'invalid proto: icmp'],
    ['8080:', 'no port specified: 8080:<empty>'],
    ['8080:http', 'invalid containerPort: http'],
    ['x:80', 'invalid hostPort: x'],
    ['127.0.0.1:8080:80', 'hostip is not supported'],
    ['8080-8081:80-82', 'invalid ranges specified for container and host Ports: 80-82 and 8080-8081'],
  ])('rejects %s', (v, msg) => expect(() => parsePublish(v)).toThrow(msg))
  test('as a flag error', () => {
    expect(() => withFlag('8080:http', 'publish', parsePublish))
      .toThrow(new InvalidArgumentError('invalid argument "8080:http" for "-p, --publish" flag: invalid containerPort: http'))
  })
})

describe('parseMount', () => {
  test('bind, volume, tmpfs', () => {
    expect(parseMount('type=bind,source=/srv/data,target=/data,readonly'))
      .toEqual({ Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: true })
    expect(parseMount('source=vol,target=/data')).toEqual({ Type: 'volume', Source: 'vol', Target: '/data' })
    expect(parseMount('type=volume,src=v,dst=/d,volume-driver=local,volume-opt=o=bind,volume-label=a=b,volume-nocopy'))
      .toEqual({ Type: 'volume', Source: 'v', Target: '/d', VolumeOptions: { NoCopy: true, Labels: { a: 'b' }, DriverConfig: { Name: 'local', Options: { o: 'bind' } } } })
    expect(parseMount('type=tmpfs,target=/tmp,tmpfs-size=64m,tmpfs-mode=1777'))
      .toEqual({ Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 1024 ** 2, Mode: 0o1777 } })
    expect(parseMount('type=bind,src=/a,dst=/b,ro=false,bind-propagation=rshared')).toMatchObject({ ReadOnly: false, BindOptions: { Propagation: 'rshared' } })
    expect(parseMount('type=bind,"source=/a,b",target=/c').Source).toBe('/a,b')
  })
  test('a relative source is made absolute', () => expect(parseMount('type=bind,source=./x,target=/x').Source).toBe(`${process.cwd()}/x`))
  test.each([
    ['type=bind,source=/a', 'target is required'],
    ['type=bind,target=/a,rw', "invalid field 'rw' must be a key=value pair"],
    ['type=bind,target=/a,readonly=maybe', 'invalid value for readonly: maybe'],
    ['type=bind,target=/a,color=red', "unexpected key 'color' in 'color=red'"],
    ['type=bind,target=/a,volume-nocopy', "cannot mix 'volume-*' options with mount type 'bind'"],
    ['type=volume,target=/a,tmpfs-size=1m', "cannot mix 'tmpfs-*' options with mount type 'volume'"],
    ['type=tmpfs,target=/a,tmpfs-mode=999', 'invalid value for tmpfs-mode: 999'],
    ['type=nfs,target=/a', "invalid mount type 'nfs': use bind, volume or tmpfs"],
  ])('rejects %s', (v, msg) => expect(() => parseMount(v)).toThrow(msg))
})

describe('parseUlimit', () => {
  test('soft and hard', () => expect(parseUlimit('nofile=1024:2048')).toEqual({ Name: 'nofile', Soft: 1024, Hard: 2048 }))
  test('soft only', () => expect(parseUlimit('nproc=512')).toEqual({ Name: 'nproc', Soft: 512, Hard: 512 }))
  test('unlimited hard', () => expect(parseUlimit('memlock=-1:-1')).toEqual({ Name: 'memlock', Soft: -1, Hard: -1 }))
  test.each([
    ['nofile', 'invalid ulimit argument: nofile'], ['files=1', 'invalid ulimit type: files'],
    ['nofile=1:2:3', 'too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`'],
    ['nofile=2048:1024', 'ulimit soft limit must be less than or equal to hard limit: 2048 > 1024'],
    ['nofile=x', 'strconv.ParseInt: parsing "x": invalid syntax'],
  ])('rejects %s', (v, msg) => expect(() => parseUlimit(v)).toThrow(msg))
})

describe('key=value flags', () => {
  test('env takes a bare key from the environment, as docker does', () => {
    expect(parseEnv('A=1', {})).toBe('A=1')
    expect(parseEnv('A=', {})).toBe('A=')
    expect(parseEnv('HOME', { HOME: '/root' })).toBe('HOME=/root')
    expect(parseEnv('UNSET', {})).toBe('UNSET')
    expect(() => parseEnv('=x', {})).toThrow('invalid environment variable: =x')
  })
  test('labels', () => {
    expect(parseLabel('a=b')).toBe('a=b')
    expect(parseLabel('flag')).toBe('flag')
    expect(() => parseLabel('=b')).toThrow("invalid label '=b': empty name")
    expect(() => parseLabel('a b=c')).toThrow("label 'a b' contains whitespaces")
    expect(kvMap(['a=b=c', 'flag'])).toEqual({ a: 'b=c', flag: '' })
  })
  test('sysctl', () => {
    expect(parseSysctl('net.core.somaxconn=1024')).toBe('net.core.somaxconn=1024')
    expect(() => parseSysctl('net.core.somaxconn')).toThrow('KEY=VALUE')
  })
  test('placement preferences', () => {
    expect(parsePlacementPref('spread=node.labels.zone')).toEqual({ Spread: { SpreadDescriptor: 'node.labels.zone' } })
    expect(() => parsePlacementPref('spread')).toThrow('placement preference must be of the format "<strategy>=<arg>"')
    expect(() => parsePlacementPref('pack=x')).toThrow('unsupported placement preference pack (only spread is supported)')
  })
})

describe('small parsers', () => {
  test('shlex', () => {
    expect(shlexSplit(`sh -c 'echo "hi there"'`)).toEqual(['sh', '-c', 'echo "hi there"'])
    expect(shlexSplit('a\\ b "c d" e""')).toEqual(['a b', 'c d', 'e'])
    expect(shlexSplit('  ')).toEqual([])
    expect(() => shlexSplit('"open')).toThrow('closing quote')
  })
  test('csv', () => {
    expect(csvFields('a,b,"c,d","e""f"')).toEqual(['a', 'b', 'c,d', 'e"f'])
    expect(() => csvFields('a,b"c')).toThrow('bare "')
  })
  test('capabilities: normalised, sorted, add wins, ALL trumps', () => {
    expect(effectiveCaps(['net_admin', 'CAP_SYS_TIME', 'chown'], ['chown', 'mknod'])).toEqual({ add: ['CAP_CHOWN', 'CAP_NET_ADMIN', 'CAP_SYS_TIME'], drop: ['CAP_MKNOD'] })
    expect(effectiveCaps(['all', 'net_admin'], [])).toEqual({ add: ['ALL'], drop: [] })
  })
  test('devices', () => {
    expect(parseDevice('/dev/fuse')).toBe('/dev/fuse')
    expect(parseDevice('/dev/sda:/dev/xvda:rw')).toBe('/dev/sda:/dev/xvda:rw')
    expect(parseDevice('/dev/sda:r')).toBe('/dev/sda:r')
    expect(() => parseDevice('sda')).toThrow('sda is not an absolute path')
    expect(() => parseDevice('/dev/sda:/dev/xvda:rwx')).toThrow('bad mode specified: rwx')
  })
  test('durations in nanoseconds', () => {
    expect(durationNs('1m30s', 'update-delay')).toBe(90e9)
    expect(durationNs('500ms', 'update-delay')).toBe(5e8)
    expect(() => durationNs('5 s', 'update-delay')).toThrow('invalid argument "5 s" for "--update-delay" flag: time: invalid duration "5 s"')
  })
  test('flag errors name the flag as pflag does', () => {
    expect(flagError('x', 'mount', 'bad').message).toBe('invalid argument "x" for "--mount" flag: bad')
    expect(flagError('x', 'env', 'bad').message).toBe('invalid argument "x" for "-e, --env" flag: bad')
  })
})
