import { describe, expect, test } from 'vitest'
import { MultiError } from '../../../src/lib/cli/errors.js'
import {
  appendServiceStatus, listTasks, lookupTaskNames, parseFilters, resolveNodeFilter, resolveServiceRefs, withFilter,
} from '../../../src/lib/cli/tasks.js'
import { inspectService } from '../../../src/lib/cli/service-refs.js'
import { describeError } from '../../../src/lib/cli/errors.js'
import { golden, nodes, serviceId, services, tasks } from '../format/golden.js'
import { fakeClient, sentFilters } from './fake-lookups.js'

const client = () => fakeClient({ services, tasks, nodes, selfId: nodes[0].ID })

describe('resolveServiceRefs (service ps arguments)', () => {
  test('full ID, then exact name, then a unique ID prefix; misses reported as docker words them', async () => {
    const c = client()
    const web = serviceId('web')
    expect(await resolveServiceRefs(c, [web, 'crash', serviceId('glob').slice(0, 5), 'nope']))
      .toEqual({ ids: [web, serviceId('crash'), serviceId('glob')], notFound: ['no such service: nope'] })
    // docker asks twice: services whose ID starts with the refs, and whose name does.
    expect(c.calls.map((x) => Object.keys(sentFilters(x.opts)))).toEqual([['id'], ['name']])
    expect(golden('service-ps-missing.stderr')).toBe('no such service: nope\n')
  })
  test('nothing found is an error with every miss; an ambiguous prefix is an error', async () => {
    const err = await resolveServiceRefs(client(), ['nope', 'nada']).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MultiError)
    expect(describeError(err) + '\n').toBe(golden('service-ps-allmissing.stderr'))
    const twins = fakeClient({ services: [{ ...services[0], ID: 'abc1' }, { ...services[1], ID: 'abc2' }] })
    await expect(resolveServiceRefs(twins, ['abc'])).rejects.toThrow('multiple services found with provided prefix: abc')
  })
})

describe('task filters', () => {
  test('--filter values, added service/node filters, node=self resolved to this node', async () => {
    const f = parseFilters(['desired-state=running', 'node=self'])
    expect(f).toEqual({ 'desired-state': { running: true }, node: { self: true } })
    expect(await resolveNodeFilter(client(), f)).toEqual({ 'desired-state': { running: true }, node: { [nodes[0].ID]: true } })
    expect(withFilter(f, 'service', 'x')).toEqual({ ...f, service: { x: true } })
    const c = client()
    const got = await listTasks(c, { service: { [serviceId('crash')]: true }, 'desired-state': { running: true } })
    expect(got).toEqual([])
    expect(c.calls[0].opts?.query?.filters).toBe(`{"service":{"${serviceId('crash')}":true},"desired-state":{"running":true}}`)
  })
  test('names: looked up from /services and /nodes, or not at all with --no-resolve', async () => {
    const c = client()
    const names = await lookupTaskNames(c)
    expect([names.service(serviceId('web')), names.node(nodes[0].ID), names.node('')]).toEqual(['web', 'node04', ''])
    const none = fakeClient({})
    expect((await lookupTaskNames(none, true)).service('abc')).toBe('abc')
    expect(none.calls).toEqual([])
  })
})

describe('appendServiceStatus (managers that leave ServiceStatus out)', () => {
  test('counts as docker does: desired from replicas or tasks not shutting down, running tasks on nodes not down', async () => {
    const bare = services.map(({ ServiceStatus: _s, ...s }) => s)
    const out = await appendServiceStatus(client(), bare)
    const status = (name: string) => out.find((s) => s.Spec.Name === name)?.ServiceStatus
    expect(status('web')).toEqual({ RunningTasks: 3, DesiredTasks: 3, CompletedTasks: 0 })
    expect(status('maxr')).toEqual({ RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 0 })
    expect(status('glob')).toEqual({ RunningTasks: 1, DesiredTasks: 1, CompletedTasks: 0 })
    const c = client()
    expect(await appendServiceStatus(c, services)).toBe(services)
    expect(c.calls).toEqual([])
  })
})

describe('inspectService', () => {
  test('asks for defaults; a 404 becomes docker\'s "no such service"', async () => {
    const c = client()
    expect((await inspectService(c, 'web')).ID).toBe(serviceId('web'))
    expect(c.calls[0].opts?.query).toEqual({ insertDefaults: true })
    const err = await inspectService(c, 'nope').catch((e: unknown) => e)
    expect(describeError(err) + '\n').toBe(golden('service-inspect-missing.stderr'))
  })
})
