import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { parseDnsSearch, parseEnvFile, parseExtraHost, parseGenericResource, parseIPAddress, parseUlimit, readEnvFiles } from '../../../src/lib/cli/service/opts/index.js'
import { specFromFlags } from '../../../src/lib/cli/service/spec.js'
import { applyUpdateFlags } from '../../../src/lib/cli/service/update.js'
import type { ServiceSpec } from '../../../src/lib/types/index.js'

const dir = mkdtempSync(join(tmpdir(), 'tsw-envfile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('create: the container field flags', () => {
  test('--dns, --dns-option, --dns-search, --host, --group, --log-driver/--log-opt, --limit-pids, --oom-score-adj, --generic-resource', () => {
    const spec = specFromFlags('busybox', [], {
      dns: ['10.0.0.2', ' 2001:db8::1'], 'dns-option': ['ndots:2'], 'dns-search': ['example.org'],
      host: ['db:10.1.2.3', 'cache=10.1.2.4', 'v6:[2001:db8::2]', 'gw:host-gateway'], group: ['audio', '1234'],
      'log-driver': 'json-file', 'log-opt': ['max-size=1m', 'max-file=2'], 'limit-pids': '100', 'oom-score-adj': '-500',
      'generic-resource': ['gpu=2'], 'health-start-interval': '2s', isolation: 'default',
    }, {})
    const c = spec.TaskTemplate.ContainerSpec
    expect(c.DNSConfig).toEqual({ Nameservers: ['10.0.0.2', '2001:db8::1'], Search: ['example.org'], Options: ['ndots:2'] })
    expect(c.Hosts).toEqual(['10.1.2.3 db', '10.1.2.4 cache', '2001:db8::2 v6', 'host-gateway gw'])
    expect(c.Groups).toEqual(['audio', '1234'])
    expect(c.OomScoreAdj).toBe(-500)
    expect(c.Isolation).toBe('default')
    expect(c.Healthcheck).toEqual({ StartInterval: 2e9 })
    expect(spec.TaskTemplate.LogDriver).toEqual({ Name: 'json-file', Options: { 'max-size': '1m', 'max-file': '2' } })
    expect(spec.TaskTemplate.Resources).toEqual({ Limits: { Pids: 100 }, Reservations: { GenericResources: [{ DiscreteResourceSpec: { Kind: 'gpu', Value: 2 } }] } })
  })
  test('--log-opt without --log-driver is ignored, as docker does', () => {
    expect(specFromFlags('busybox', [], { 'log-opt': ['a=b'] }, {}).TaskTemplate.LogDriver).toBeUndefined()
  })
  test.each([
    [{ dns: ['10.0.0'] }, 'invalid argument "10.0.0" for "--dns" flag: IP address is not correctly formatted: 10.0.0'],
    [{ 'dns-search': ['-bad-'] }, 'invalid argument "-bad-" for "--dns-search" flag: -bad- is not a valid domain'],
    [{ host: ['db'] }, 'invalid argument "db" for "--host" flag: bad format for add-host: "db"'],
    [{ host: ['db:10.0.0.300'] }, 'invalid argument "db:10.0.0.300" for "--host" flag: invalid IP address in add-host: "10.0.0.300"'],
    [{ 'limit-pids': 'ten' }, 'invalid argument "ten" for "--limit-pids" flag: strconv.ParseInt: parsing "ten": invalid syntax'],
    [{ 'oom-score-adj': '1.5' }, 'invalid argument "1.5" for "--oom-score-adj" flag: strconv.ParseInt: parsing "1.5": invalid syntax'],
    [{ 'generic-resource': ['gpu'] }, 'invalid argument "gpu" for "--generic-resource" flag: invalid generic resource specification: incorrect term gpu, missing \'=\' or malformed expression'],
    [{ 'generic-resource': ['gpu=UUID1'] }, 'Named Generic Resources is not supported for service create or update'],
    [{ ulimit: ['nofile'] }, 'invalid argument "nofile" for "--ulimit" flag: invalid ulimit argument: nofile'],
    [{ ulimit: ['nofile=a:b'] }, 'invalid argument "nofile=a:b" for "--ulimit" flag: strconv.ParseInt: parsing "b": invalid syntax'],
    [{ ulimit: ['nofiles=1'] }, 'invalid argument "nofiles=1" for "--ulimit" flag: invalid ulimit type: nofiles'],
    [{ ulimit: ['nofile=20:10'] }, 'ulimit soft limit must be less than or equal to hard limit: 20 > 10'],
    [{ 'env-file': [join(dir, 'nope')] }, `open ${join(dir, 'nope')}: no such file or directory`],
  ])('refuses %j', (flags, message) => {
    expect(() => specFromFlags('busybox', [], flags, {})).toThrow(message)
  })
  test('--env-file: files first, then --env; comments, blanks, bare names from the environment', () => {
    const file = join(dir, 'app.env')
    writeFileSync(file, '\uFEFF# comment\n\n  A=1\nB= two words \nFROM_ENV\nUNSET\nC=x=y\n')
    const spec = specFromFlags('busybox', [], { 'env-file': [file], env: ['A=override', 'D=4'] }, { FROM_ENV: 'here' })
    expect(spec.TaskTemplate.ContainerSpec.Env).toEqual(['B= two words ', 'FROM_ENV=here', 'C=x=y', 'A=override', 'D=4'])
    expect(() => parseEnvFile('BAD KEY=1')).toThrow("variable 'BAD KEY' contains whitespaces")
    expect(() => parseEnvFile('=1')).toThrow("no variable name on line '=1'")
    expect(readEnvFiles([], {})).toEqual([])
  })
  test('value parsers', () => {
    expect(parseIPAddress('1.2.3.4')).toBe('1.2.3.4')
    expect(parseDnsSearch('.')).toBe('.')
    expect(parseDnsSearch('corp.example.com.')).toBe('corp.example.com.')
    expect(parseExtraHost('a=::1')).toBe('a:::1')
    expect(() => parseExtraHost(':1.2.3.4')).toThrow('bad format for add-host: ":1.2.3.4"')
    expect(parseGenericResource('ssd=3')).toEqual({ DiscreteResourceSpec: { Kind: 'ssd', Value: 3 } })
    expect(parseUlimit('nproc=-1')).toEqual({ Name: 'nproc', Soft: -1, Hard: -1 })
  })
})

const current = (): ServiceSpec => ({
  Name: 'web',
  TaskTemplate: {
    ContainerSpec: {
      Image: 'busybox', DNSConfig: { Nameservers: ['10.0.0.3', '10.0.0.2'], Search: ['a.org'], Options: ['ndots:1'] },
      Hosts: ['10.1.2.3 db db.local', '10.1.2.4 cache'], Groups: ['video'],
    },
    Resources: { Reservations: { GenericResources: [{ DiscreteResourceSpec: { Kind: 'gpu', Value: 1 } }] } },
  },
})

describe('update: the -add/-rm pairs', () => {
  test('DNS lists: add, no duplicates, remove, sorted', () => {
    const c = applyUpdateFlags(current(), {
      'dns-add': ['10.0.0.1', '10.0.0.2'], 'dns-rm': ['10.0.0.3'], 'dns-search-add': ['b.org'], 'dns-search-rm': ['a.org'],
      'dns-option-add': ['timeout:2'], 'dns-option-rm': ['ndots:1'],
    }).TaskTemplate.ContainerSpec
    expect(c.DNSConfig).toEqual({ Nameservers: ['10.0.0.1', '10.0.0.2'], Search: ['b.org'], Options: ['timeout:2'] })
    expect(applyUpdateFlags(current(), { 'dns-rm': ['10.0.0.2', '10.0.0.3'], 'dns-search-rm': ['a.org'], 'dns-option-rm': ['ndots:1'] })
      .TaskTemplate.ContainerSpec.DNSConfig).toBeUndefined()
    expect(() => applyUpdateFlags(current(), { 'dns-add': ['x'] })).toThrow('invalid argument "x" for "--dns-add" flag: IP address is not correctly formatted: x')
  })
  test('hosts: --host-rm by name (or name:ip), --host-add appended in swarm form', () => {
    expect(applyUpdateFlags(current(), { 'host-rm': ['db'], 'host-add': ['web:10.9.9.9'] }).TaskTemplate.ContainerSpec.Hosts)
      .toEqual(['10.1.2.3 db.local', '10.1.2.4 cache', '10.9.9.9 web'])
    expect(applyUpdateFlags(current(), { 'host-rm': ['cache:10.0.0.1'] }).TaskTemplate.ContainerSpec.Hosts)
      .toEqual(['10.1.2.3 db db.local', '10.1.2.4 cache'])
    expect(applyUpdateFlags(current(), { 'host-rm': ['cache:10.1.2.4', 'db', 'db.local'] }).TaskTemplate.ContainerSpec.Hosts).toBeUndefined()
  })
  test('groups, generic resources, limit-pids, oom-score-adj, log driver', () => {
    const spec = applyUpdateFlags(current(), {
      'group-add': ['audio'], 'group-rm': ['video'], 'generic-resource-rm': ['gpu'], 'generic-resource-add': ['ssd=2'],
      'limit-pids': '50', 'oom-score-adj': '10', 'log-driver': 'none',
    })
    expect(spec.TaskTemplate.ContainerSpec.Groups).toEqual(['audio'])
    expect(spec.TaskTemplate.Resources).toEqual({ Reservations: { GenericResources: [{ DiscreteResourceSpec: { Kind: 'ssd', Value: 2 } }] }, Limits: { Pids: 50 } })
    expect(spec.TaskTemplate.ContainerSpec.OomScoreAdj).toBe(10)
    expect(spec.TaskTemplate.LogDriver).toEqual({ Name: 'none' })
    expect(() => applyUpdateFlags(current(), { 'generic-resource-rm': ['fpga'] })).toThrow('could not find generic-resource `fpga` to remove it')
  })
})
