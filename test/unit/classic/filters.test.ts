import { describe, it, expect } from 'vitest'
import {
  AffinityFilter, ConstraintFilter, HealthFilter, PortFilter, ResourceFilter, parseExpr, requestFromCreateBody,
  type EngineState, type Filter,
} from '../../../src/lib/classic/placement/index.js'
import { CPU, GiB, engine } from './build.js'

const req = requestFromCreateBody({ Image: 'x' })
/** The hostnames of the engines a filter passes, after setTask of the first (soft) pass. */
const passing = (f: Filter, engines: EngineState[]): string[] => {
  f.setTask({ req, soft: true })
  return engines.filter((e) => f.check(e)).map((e) => e.node.Description.Hostname)
}
const constraint = (text: string) => new ConstraintFilter(parseExpr('constraint', text))
const affinity = (text: string) => new AffinityFilter(parseExpr('affinity', text))

describe('HealthFilter', () => {
  const engines = [
    engine('node01'), engine('node02', { state: 'down' }), engine('node03', { state: 'disconnected' }),
    engine('node04', { availability: 'drain' }), engine('node05', { availability: 'pause' }), engine('node06', { state: 'unknown' }),
    engine('node07', { state: 'down' }),
  ]
  it('passes ready, active engines only', () => {
    expect(passing(new HealthFilter(), engines)).toEqual(['node01'])
  })
  it('says why each engine is excluded, grouped', () => {
    expect(new HealthFilter().explain([engines[1]])).toBe('node02 is down')
    expect(new HealthFilter().explain(engines.slice(1))).toBe(
      'node02, node07 are down; node03 is disconnected; node04 is drained; node05 is paused; node06 is not ready')
  })
})

describe('ConstraintFilter', () => {
  const engines = [
    engine('node01', { engineLabels: { storage: 'ssd', 'com.example.zone': 'a' } }),
    engine('node02', { engineLabels: { storage: 'disk' }, nodeLabels: { rack: 'r2' } }),
    engine('node12', { nodeLabels: { storage: 'ssd', rack: 'r1' }, engineLabels: {} }),
  ]
  it('node matches the hostname or node ID, plain, glob or regex', () => {
    expect(passing(constraint('node==node02'), engines)).toEqual(['node02'])
    expect(passing(constraint('node==id-node12'), engines)).toEqual(['node12'])
    expect(passing(constraint('node!=node02'), engines)).toEqual(['node01', 'node12'])
    expect(passing(constraint('node==node0*'), engines)).toEqual(['node01', 'node02'])
    expect(passing(constraint('node==/node[01]2/'), engines)).toEqual(['node02', 'node12'])
    expect(passing(constraint('node==/2$/'), engines)).toEqual(['node02', 'node12'])
    expect(passing(constraint('NODE==node01'), engines)).toEqual(['node01'])
  })
  it('plain values are literal and case-sensitive, as classic swarm', () => {
    expect(passing(constraint('node==node.1'), [engine('node.1'), engine('nodex1')])).toEqual(['node.1'])
    expect(passing(constraint('node==NODE01'), engines)).toEqual([])
  })
  it('other keys read engine labels, then tsw node labels; a missing label reads as ""', () => {
    expect(passing(constraint('storage==ssd'), engines)).toEqual(['node01', 'node12'])
    expect(passing(constraint('storage!=ssd'), engines)).toEqual(['node02'])
    expect(passing(constraint('com.example.zone==a'), engines)).toEqual(['node01'])
    expect(passing(constraint('rack==r*'), engines)).toEqual(['node02', 'node12'])
    expect(passing(constraint('rack!=r1'), engines)).toEqual(['node01', 'node02'])
    expect(passing(constraint('node.labels.rack==r2'), engines)).toEqual(['node02'])
    expect(passing(constraint('engine.labels.storage==ssd'), engines)).toEqual(['node01'])
    expect(passing(constraint('constructor==x'), engines)).toEqual([])
  })
  it('a soft constraint applies only in the first pass', () => {
    const f = constraint('storage==~ssd')
    expect(f.setTask({ req, soft: true })).toBe(true)
    expect(f.setTask({ req, soft: false })).toBe(false)
    expect(constraint('storage==ssd').setTask({ req, soft: false })).toBe(true)
  })
  it('explains with the expression and the engines', () => {
    expect(constraint('node==node09').explain(engines)).toBe('constraint node==node09 excluded node01, node02, node12')
    expect(constraint('storage==~ssd').explain([engines[1]])).toBe('constraint storage==~ssd excluded node02')
  })
})

describe('AffinityFilter', () => {
  const engines = [
    engine('node01', { containers: [{ id: 'a1b2c3d4e5', names: ['web'], image: 'nginx', labels: { tier: 'front' } }] }),
    engine('node02', { containers: [{ id: 'f0f0f0', names: ['db'], image: 'redis', running: false }], images: ['redis:latest'] }),
    engine('node03', { images: ['10.213.0.1:5000/busybox:1', 'docker.io/library/postgres:16'] }),
  ]
  it('container matches a name (running or not) or an ID prefix', () => {
    expect(passing(affinity('container==web'), engines)).toEqual(['node01'])
    expect(passing(affinity('container==db'), engines)).toEqual(['node02'])
    expect(passing(affinity('container==a1b2'), engines)).toEqual(['node01'])
    expect(passing(affinity('container==we'), engines)).toEqual([])
    expect(passing(affinity('container==w*'), engines)).toEqual(['node01'])
    expect(passing(affinity('container==/^(web|db)$/'), engines)).toEqual(['node01', 'node02'])
    expect(passing(affinity('container!=web'), engines)).toEqual(['node02', 'node03'])
  })
  it('image matches images present or used, tag-insensitive when the value has no tag', () => {
    expect(passing(affinity('image==redis'), engines)).toEqual(['node02'])
    expect(passing(affinity('image==redis:latest'), engines)).toEqual(['node02'])
    expect(passing(affinity('image==redis:7'), engines)).toEqual([])
    expect(passing(affinity('image==nginx'), engines)).toEqual(['node01'])
    expect(passing(affinity('image==nginx:latest'), engines)).toEqual(['node01'])
    expect(passing(affinity('image==10.213.0.1:5000/busybox'), engines)).toEqual(['node03'])
    expect(passing(affinity('image==10.213.0.1:5000/busybox:1'), engines)).toEqual(['node03'])
    expect(passing(affinity('image==postgres:16'), engines)).toEqual(['node03'])
    expect(passing(affinity('image==docker.io/library/redis'), engines)).toEqual(['node02'])
    expect(passing(affinity('image!=redis'), engines)).toEqual(['node01', 'node03'])
    expect(passing(affinity('image==*busybox*'), engines)).toEqual(['node03'])
  })
  it('image matches a container\'s image ID', () => {
    const e = engine('node04', { containers: [{ image: 'app', imageId: 'sha256:abcdef0123' }] })
    expect(passing(affinity('image==abcdef'), [e])).toEqual(['node04'])
    expect(passing(affinity('image==sha256:abcdef0123'), [e])).toEqual(['node04'])
  })
  it('any other key matches a label of a container on the engine', () => {
    expect(passing(affinity('tier==front'), engines)).toEqual(['node01'])
    expect(passing(affinity('tier!=front'), engines)).toEqual(['node02', 'node03'])
  })
  it('explains with the expression and the engines', () => {
    expect(affinity('container==web').explain(engines.slice(1))).toBe('affinity container==web excluded node02, node03')
  })
})

describe('PortFilter', () => {
  const engines = [
    engine('node01', { containers: [{ hostPorts: ['tcp/80'] }] }),
    engine('node02', { containers: [{ hostPorts: ['tcp/80'], running: false }] }),
    engine('node03', { containers: [{ hostPorts: ['udp/80', 'tcp/8080'] }] }),
  ]
  it('excludes engines where a running container publishes the port', () => {
    expect(passing(new PortFilter('tcp/80'), engines)).toEqual(['node02', 'node03'])
    expect(passing(new PortFilter('udp/80'), engines)).toEqual(['node01', 'node02'])
    expect(passing(new PortFilter('tcp/8080'), engines)).toEqual(['node01', 'node02'])
  })
  it('explains with the port and the engines', () => {
    expect(new PortFilter('tcp/80').explain([engines[0]])).toBe('port tcp/80 already in use on node01')
  })
})

describe('ResourceFilter', () => {
  const engines = [
    engine('node01', { memoryGiB: 4, cpus: 2 }),
    engine('node02', { memoryGiB: 4, cpus: 2, containers: [{ memory: 3 * GiB }, { memory: 4 * GiB, running: false }] }),
    engine('node03', { memoryGiB: 8, cpus: 1 }),
    engine('node04', { memoryGiB: 1, cpus: 1 }),
  ]
  const ask = (memory: number, nanoCpus: number) => {
    const f = new ResourceFilter()
    const applies = f.setTask({ req: { ...req, memory, nanoCpus }, soft: true })
    return { f, applies, passing: engines.filter((e) => f.check(e)).map((e) => e.node.Description.Hostname) }
  }
  it('applies only when memory or CPUs are asked', () => {
    expect(ask(0, 0).applies).toBe(false)
    expect(ask(1, 0).applies).toBe(true)
    expect(ask(0, 1).applies).toBe(true)
  })
  it('compares with the total minus what running containers reserve', () => {
    expect(ask(2 * GiB, 0).passing).toEqual(['node01', 'node03'])
    expect(ask(1 * GiB, 0).passing).toEqual(['node01', 'node02', 'node03', 'node04'])
    expect(ask(0, 1.5 * CPU).passing).toEqual(['node01', 'node02'])
    expect(ask(2 * GiB, 1.5 * CPU).passing).toEqual(['node01'])
  })
  it('says what each engine lacks', () => {
    const { f } = ask(2 * GiB, 1.5 * CPU)
    expect(f.explain([engines[1]])).toBe('insufficient memory on node02')
    expect(f.explain(engines.slice(1))).toBe('insufficient memory on node02; insufficient cpus on node03; insufficient memory and cpus on node04')
  })
})
