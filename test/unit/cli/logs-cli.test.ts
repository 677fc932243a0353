import { describe, expect, test } from 'vitest'
import { LogLineFormatter, logTarget, sinceParam, type LogLineOptions } from '../../../src/lib/cli/logs.js'
import { FrameDemuxer } from '../../../src/lib/cli/stream.js'
import type { Service, Task } from '../../../src/lib/types/index.js'
import { api, bin, golden, nodes, services, tasks } from '../format/golden.js'
import { fakeClient } from './fake-lookups.js'

const client = fakeClient({ services: [...services, api<Service>('api-service-ten.json')], tasks: [...tasks, ...api<Task[]>('api-tasks-ten.json')], nodes })

/** Renders a captured log stream as `service logs` would: stdout and stderr lines, each sorted (tasks interleave at random). */
async function render(stream: string, opts: LogLineOptions, raw = false): Promise<{ out: string[]; err: string[] }> {
  const f = new LogLineFormatter(client, opts)
  const out: string[] = []
  const err: string[] = []
  const demux = new FrameDemuxer()
  const data = bin(stream)
  // Feed it in odd-sized chunks, as a socket would.
  for (let i = 0; i < data.length; i += 7) {
    for (const { stream: s, payload } of demux.push(data.subarray(i, i + 7))) {
      ;(s === 2 ? err : out).push(raw ? payload.toString() : await f.format(payload.toString()))
    }
  }
  expect(demux.pending).toBe(0)
  return { out: out.sort(), err: err.sort() }
}
const lines = (name: string) => golden(name).split(/(?<=\n)/).filter(Boolean).sort()

describe('service logs, against real docker output', () => {
  test('default, -t, --no-task-ids, --no-trunc, --no-resolve, --details, --raw', async () => {
    const cases: Array<[string, string, LogLineOptions, boolean?]> = [
      ['service-logs', 'api-logs-logger.bin', { padding: 1 }],
      ['service-logs-t', 'api-logs-logger-ts.bin', { padding: 1, timestamps: true }],
      ['service-logs-notaskids', 'api-logs-logger.bin', { padding: 1, noTaskIds: true }],
      ['service-logs-notrunc', 'api-logs-logger.bin', { padding: 1, noTrunc: true }],
      ['service-logs-noresolve', 'api-logs-logger.bin', { padding: 1, noResolve: true }],
      ['service-logs-details', 'api-logs-logger.bin', { padding: 1, details: true }],
      ['service-logs-raw', 'api-logs-logger-raw.bin', {}, true],
    ]
    for (const [name, stream, opts, raw] of cases) {
      const { out, err } = await render(stream, opts, raw)
      expect(out, name).toEqual(lines(`${name}.golden`))
      expect(err, name).toEqual(lines(`${name}.stderr`))
    }
  })
  test('slots are padded to the widest replica number', async () => {
    const { out } = await render('api-logs-ten.bin', { padding: 2 })
    expect(out).toEqual(lines('service-logs-ten.golden'))
  })
  test('names are looked up once per task', async () => {
    const c = fakeClient({ services, tasks, nodes })
    const f = new LogLineFormatter(c, { padding: 1 })
    const demux = new FrameDemuxer()
    for (const { payload } of demux.push(bin('api-logs-logger.bin'))) await f.format(payload.toString())
    expect(c.calls.filter((x) => x.path.startsWith('/tasks/')).length).toBe(2)
  })
})

describe('logTarget', () => {
  test('a service (padding from its replicas), else a task (padding from its slot), else docker\'s error', async () => {
    expect(await logTarget(client, 'ten')).toEqual({ path: '/services/ten/logs', tty: false, padding: 2 })
    expect(await logTarget(client, 'wpayfvcje11s')).toEqual({ path: '/tasks/wpayfvcje11s/logs', tty: false, padding: 1 })
    await expect(logTarget(client, 'nope')).rejects.toThrow(/^no such task or service: nope$/)
    expect(golden('service-logs-missing.stderr')).toBe('no such task or service: nope\n')
  })
})

describe('sinceParam', () => {
  test('unix seconds as is, durations before now, dates', () => {
    const now = Date.parse('2024-01-01T00:10:00Z')
    expect(sinceParam(undefined, now)).toBeUndefined()
    expect(sinceParam('1700000000', now)).toBe('1700000000')
    expect(sinceParam('10m', now)).toBe(`${now / 1000 - 600}.000000000`)
    expect(sinceParam('1.5s', now)).toBe(`${now / 1000 - 2}.500000000`)
    expect(sinceParam('2024-01-01T00:00:00Z', now)).toBe('1704067200.000000000')
    expect(() => sinceParam('yesterday', now)).toThrow(/since/)
  })
})
