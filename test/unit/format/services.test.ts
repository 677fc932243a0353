import { describe, expect, test } from 'vitest'
import {
  prettyService, prettyServices, renderServices, serviceReplicas, servicePorts, serviceRow,
} from '../../../src/lib/format/services.js'
import type { PortConfig, Service } from '../../../src/lib/types/index.js'
import { api, golden, ranAt, services } from './golden.js'

describe('service ls, against real docker output', () => {
  test('default table: natural name order, 12-char IDs, modes, replicas with max per node, digest stripped, ingress ports only', () => {
    expect(renderServices(services)).toBe(golden('service-ls.golden'))
  })
  test('-q, a template and json', () => {
    expect(renderServices(services, { quiet: true })).toBe(golden('service-ls-q.golden'))
    expect(renderServices(services, { format: '{{.Name}}: {{.Replicas}} {{.Ports}}' })).toBe(golden('service-ls-format.golden'))
    expect(renderServices(services, { format: 'json' })).toBe(golden('service-ls-json.golden'))
  })
  test('an empty list prints only the header', () => {
    expect(renderServices([])).toBe('ID        NAME      MODE      REPLICAS   IMAGE     PORTS\n')
  })
})

const svc = (over: Partial<Service['Spec']> = {}, status?: Service['ServiceStatus']): Service => ({
  ID: 'abcdefghijklmnopqrstuvwxy', Version: { Index: 1 }, CreatedAt: '', UpdatedAt: '',
  Spec: { Name: 's', TaskTemplate: { ContainerSpec: { Image: 'nginx' } }, Mode: { Replicated: { Replicas: 1 } }, ...over },
  ServiceStatus: status,
})

describe('service ls columns', () => {
  test('replicas: no status is 0/N… as docker shows it; jobs show completions', () => {
    expect(serviceReplicas(svc())).toBe('0/0')
    expect(serviceReplicas(svc({}, { RunningTasks: 2, DesiredTasks: 3, CompletedTasks: 0 }))).toBe('2/3')
    expect(serviceReplicas(svc({ Mode: { Global: {} }, TaskTemplate: { ContainerSpec: { Image: 'x' }, Placement: { MaxReplicas: 2 } } }, { RunningTasks: 1, DesiredTasks: 1, CompletedTasks: 0 }))).toBe('1/1')
    expect(serviceReplicas(svc({ Mode: { ReplicatedJob: { TotalCompletions: 5 } } as never }, { RunningTasks: 1, DesiredTasks: 2, CompletedTasks: 3 }))).toBe('1/2 (3/5 completed)')
  })
  test('image: digest stripped and familiar name only for tagged references', () => {
    const image = (Image: string) => serviceRow(svc({ TaskTemplate: { ContainerSpec: { Image } } })).Image
    expect(image('docker.io/library/nginx:1.25@sha256:abc')).toBe('nginx:1.25')
    expect(image('docker.io/me/app:v1')).toBe('me/app:v1')
    expect(image('localhost:5000/app:v1@sha256:abc')).toBe('localhost:5000/app:v1')
    expect(image('nginx@sha256:abc')).toBe('nginx@sha256:abc')
    expect(image('nginx')).toBe('nginx')
    expect(image('Bad/Name:1')).toBe('Bad/Name:1')
  })
  test('ports: ranges grouped as docker does, host mode left out', () => {
    const p = (PublishedPort: number, TargetPort: number, Protocol: PortConfig['Protocol'] = 'tcp', PublishMode: PortConfig['PublishMode'] = 'ingress'): PortConfig => ({ PublishedPort, TargetPort, Protocol, PublishMode })
    expect(servicePorts([p(80, 80), p(81, 80)])).toBe('*:80-81->80/tcp')
    expect(servicePorts([p(80, 80), p(81, 81), p(82, 80)])).toBe('*:80-81->80-81/tcp, *:82->80/tcp')
    expect(servicePorts([p(53, 53, 'udp'), p(80, 80), p(53, 53)])).toBe('*:53->53/tcp, *:80->80/tcp, *:53->53/udp')
    expect(servicePorts([p(8081, 80, 'tcp', 'host')])).toBe('')
    expect(servicePorts(undefined)).toBe('')
  })
})

describe('service inspect --pretty, against real docker output', () => {
  test('a service with most options', () => {
    expect(prettyServices([api<Service>('api-service-full.json')])).toBe(golden('service-inspect-pretty-full.golden'))
  })
  test('a plain one, a global one, host and udp ports, max replicas, dnsrr', () => {
    expect(prettyServices([api<Service>('api-service-web.json')])).toBe(golden('service-inspect-pretty-web.golden'))
    expect(prettyServices([api('api-service-glob.json'), api('api-service-dns.json')])).toBe(golden('service-inspect-pretty-glob-dns.golden'))
    expect(prettyServices([api('api-service-hostp.json'), api('api-service-maxr.json')])).toBe(golden('service-inspect-pretty-hostp-maxr.golden'))
  })
  test('after an update: UpdateStatus with how long ago it started and completed', () => {
    expect(prettyServices([api<Service>('api-service-web-updated.json')], { now: ranAt('service-inspect-pretty-web-updated') }))
      .toBe(golden('service-inspect-pretty-web-updated.golden'))
  })
  test('update status, network names, and what a bare spec leaves out', () => {
    const s = svc({ Networks: undefined, TaskTemplate: { ContainerSpec: { Image: 'x' }, Networks: [{ Target: 'n1' }, { Target: 'n2' }] } })
    s.UpdateStatus = { State: 'completed', StartedAt: '2024-01-01T00:00:00Z', CompletedAt: '2024-01-01T00:01:30.5Z', Message: 'update completed' }
    expect(prettyService(s, { now: Date.parse('2024-01-01T00:02:00Z'), networkNames: { n1: 'backend' } })).toBe(
      '\nID:\t\tabcdefghijklmnopqrstuvwxy\nName:\t\ts\nService Mode:\tReplicated\n Replicas:\t1\n' +
      'UpdateStatus:\n State:\t\tcompleted\n Started:\t2 minutes ago\n Completed:\t29 seconds ago\n Message:\tupdate completed\n' +
      'Placement:\nContainerSpec:\n Image:\t\tx\nNetworks: backend n2 \nEndpoint Mode:\t\n')
  })
})
