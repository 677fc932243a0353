// The network commands run through oclif against a fake manager client; stdout and stderr are
// compared with what docker 28.2 printed for the same answers (cli-golden/).
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import NetworkCreate from '../../../src/commands/network/create.js'
import NetworkInspect from '../../../src/commands/network/inspect.js'
import NetworkLs from '../../../src/commands/network/ls.js'
import NetworkRm from '../../../src/commands/network/rm.js'
import { BaseCommand } from '../../../src/lib/cli/base.js'
import { confirm } from '../../../src/lib/cli/confirm.js'
import { INGRESS_WARNING, removeNetworks } from '../../../src/lib/cli/network/remove.js'
import type { ManagerClient } from '../../../src/lib/client/client.js'
import type { NetworkCreateRequest } from '../../../src/lib/types/index.js'
import { OCLIF_OPTIONS } from '../cli/oclif-options.js'
import { FakeNetworkClient, golden } from './cli-fixtures.js'

let client: FakeNetworkClient
let stdout: string
let stderr: string

beforeEach(() => {
  client = new FakeNetworkClient()
  stdout = ''
  stderr = ''
  vi.spyOn(BaseCommand.prototype, 'client').mockImplementation(() => client as unknown as ManagerClient)
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true })
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true })
})

afterEach(() => {
  vi.restoreAllMocks()
  process.exitCode = undefined
})

const posts = () => client.calls.filter((c) => c.method === 'POST')

describe('network ls', () => {
  test('the table, sorted by name', async () => {
    await NetworkLs.run([], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-ls.golden'))
    expect(client.calls).toEqual([{ method: 'GET', path: '/networks', opts: { query: { filters: undefined } } }])
  })
  test('-q --no-trunc, --format', async () => {
    await NetworkLs.run(['-q', '--no-trunc'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-ls-q-notrunc.golden'))
    stdout = ''
    await NetworkLs.run(['--format', 'json'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-ls-json.golden'))
  })
  test('--filter goes to the manager as docker sends it', async () => {
    await NetworkLs.run(['-f', 'name=web', '--filter', 'label=env=prod', '-f', 'driver=overlay'], OCLIF_OPTIONS)
    expect(client.calls[0].opts.query).toEqual({ filters: '{"name":{"web":true},"label":{"env=prod":true},"driver":{"overlay":true}}' })
  })
  test('a bad filter: docker\'s message, nothing asked', async () => {
    await NetworkLs.run(['-f', 'name'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error: bad format of filter (expected name=value): name\n')
    expect(process.exitCode).toBe(1)
    expect(client.calls).toEqual([])
  })
})

describe('network inspect', () => {
  test('prints the networks', async () => {
    await NetworkInspect.run(['web-net', 'ingress'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-inspect.golden'))
    expect(process.exitCode).toBeUndefined()
  })
  test('prints what it found, then an error per missing network, exit 1', async () => {
    await NetworkInspect.run(['nosuch', 'web-net', '-f', '{{.Name}} {{.Id}} {{json .Labels}}'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-inspect-missing.golden'))
    expect(stderr).toBe(golden('network-inspect-missing.stderr'))
    expect(process.exitCode).toBe(1)
  })
  test('nothing found: [] and the error', async () => {
    await NetworkInspect.run(['nosuch'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-inspect-none.golden'))
    expect(stderr).toBe(golden('network-inspect-none.stderr'))
    expect(process.exitCode).toBe(1)
  })
  test('a template that fails: an empty line and the error', async () => {
    await NetworkInspect.run(['-f', '{{.Nope}}', 'app9'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-inspect-nokey.golden'))
    expect(stderr).toBe(golden('network-inspect-nokey.stderr'))
    expect(process.exitCode).toBe(1)
  })
})

describe('network rm', () => {
  test('prints each argument removed; errors as they come, then "exit status 1"', async () => {
    await NetworkRm.run(['app9', 'nosuch', 'busy', 'web-net'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-rm.golden'))
    expect(stderr).toBe(golden('network-rm.stderr'))
    expect(process.exitCode).toBe(1)
    expect(client.calls.filter((c) => c.method === 'DELETE').map((c) => c.path)).toEqual(['/networks/app9', '/networks/nosuch', '/networks/busy', '/networks/web-net'])
  })
  test('-f: a missing network is no error', async () => {
    await NetworkRm.run(['-f', 'nosuch', 'app9'], OCLIF_OPTIONS)
    expect(stdout).toBe(golden('network-rm-force.golden'))
    expect(stderr).toBe('')
    expect(process.exitCode).toBeUndefined()
  })
  test('the alias', () => {
    expect(NetworkRm.aliases).toEqual(['network remove'])
  })
  test('the ingress network: asks first, as docker does', async () => {
    const asked: string[] = []
    const out: string[] = []
    const opts = { out: (s: string) => out.push(s), err: () => {}, confirm: async (m: string) => { asked.push(m); return false } }
    await removeNetworks(client, ['ingress'], opts)
    expect(asked).toEqual([INGRESS_WARNING])
    expect(out).toEqual([])
    expect(client.calls.some((c) => c.method === 'DELETE')).toBe(false)
    await removeNetworks(client, ['ingress'], { ...opts, confirm: async () => true })
    expect(out).toEqual(['ingress\n'])
  })
})

describe('confirm', () => {
  const ask = async (input: string | null) => {
    const stream = new PassThrough()
    let shown = ''
    const answer = confirm('Sure?', stream, (s) => { shown += s })
    if (input === null) stream.end()
    else stream.write(input)
    return { answer: await answer, shown }
  }
  test('"y" is yes, anything else or no input is no', async () => {
    expect(await ask('y\n')).toEqual({ answer: true, shown: 'Sure? [y/N] ' })
    expect((await ask(' Y \n')).answer).toBe(true)
    expect((await ask('yes\n')).answer).toBe(false)
    expect((await ask(null)).answer).toBe(false)
  })
})

describe('network create', () => {
  const body = () => posts()[0].opts.body as NetworkCreateRequest

  test('sends the request, prints the ID', async () => {
    await NetworkCreate.run(['--subnet', '10.1.0.0/24', '--gateway', '10.1.0.1', '--ip-range', '10.1.0.128/25', '--attachable',
      '--internal', '--label', 'a=b', '--label', 'c', '-o', 'x=y', '-o', 'z', 'foo'], OCLIF_OPTIONS)
    expect(stdout).toBe('newnetid0000000000000000a\n')
    expect(posts()[0].path).toBe('/networks/create')
    expect(body()).toEqual({
      Name: 'foo', Driver: 'overlay', Scope: 'swarm', Internal: true, Attachable: true, Ingress: false,
      IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: '10.1.0.0/24', IPRange: '10.1.0.128/25', Gateway: '10.1.0.1' }] },
      Options: { x: 'y', z: '' }, Labels: { a: 'b', c: '' },
    })
  })

  test('defaults: overlay, no subnet (the manager picks one); docker\'s --flag=bool forms', async () => {
    await NetworkCreate.run(['-d', 'overlay', '--scope', 'swarm', '--ingress=true', '--ipv6=false', 'ing'], OCLIF_OPTIONS)
    expect(body()).toMatchObject({ Name: 'ing', Driver: 'overlay', Ingress: true, IPAM: { Driver: 'default', Config: [] }, Options: {}, Labels: {} })
    expect(stderr).toBe('')
  })

  test.each([
    [['--gateway', '10.1.0.1'], 'every ip-range or gateway must have a corresponding subnet'],
    [['--subnet', '10.1.0.0/24', '--gateway', '10.1.0.1', '--gateway', '10.1.0.2'], 'every ip-range or gateway must have a corresponding subnet'],
    [['--subnet', '10.1.0.0/24', '--gateway', '10.2.0.1'], 'no matching subnet for gateway 10.2.0.1'],
    [['--subnet', '10.1.0.0/24', '--gateway', 'bad'], 'no matching subnet for gateway bad'],
    [['--subnet', '10.1.0.0/24', '--ip-range', '10.2.0.0/25'], 'no matching subnet for range 10.2.0.0/25'],
    [['--subnet', '10.1.0.0/24', '--ip-range', 'bad'], 'invalid CIDR address: bad'],
    [['--subnet', 'bad', '--gateway', '10.1.0.1'], 'invalid subnet: invalid CIDR address: bad'],
    [['--subnet', '10.1.0.0/24', '--subnet', '10.2.0.0/24'], 'a tsw network has one subnet; got 2 (10.1.0.0/24, 10.2.0.0/24): give one --subnet'],
    [['--label', '=x'], 'invalid argument "=x" for "--label" flag: invalid label \'=x\': empty name'],
    [['-d', 'bridge'], 'only the overlay driver is supported by a swarm; "bridge" networks are local to one engine (leave out -d, or use -d overlay)'],
    [['--scope', 'local'], 'only the swarm scope is supported by a swarm; leave out --scope (got "local")'],
    [['--ipam-driver', 'other'], 'only the default IPAM driver is supported by a swarm; leave out --ipam-driver (got "other")'],
    [['--ipv6'], 'IPv6 is not supported by tsw networks; leave out --ipv6'],
  ])('%j: %s, nothing sent', async (flags, message) => {
    await NetworkCreate.run([...flags, 'foo3'], OCLIF_OPTIONS)
    expect(stderr).toBe(`Error: ${message}\n`)
    expect(process.exitCode).toBe(1)
    expect(posts()).toEqual([])
  })

  test('the manager\'s refusal is printed as docker prints it', async () => {
    await NetworkCreate.run(['web-net'], OCLIF_OPTIONS)
    expect(stderr).toBe('Error response from daemon: network with name web-net already exists\n')
    expect(process.exitCode).toBe(1)
  })

  test('a name is required', async () => {
    await NetworkCreate.run([], OCLIF_OPTIONS)
    expect(stderr).toMatch(/Missing 1 required arg/)
    expect(process.exitCode).toBe(1)
  })
})
