import { describe, expect, test } from 'vitest'
import { goDuration, goFloat, humanDuration, timeNanos } from '../../../src/lib/format/durations.js'
import { formatLogLine, logPrefix, parseLogDetails, parseLogLine } from '../../../src/lib/format/logs.js'
import { ellipsis, naturalCompare, prettyPrint, truncateId } from '../../../src/lib/format/strings.js'

describe('Go and go-units wording', () => {
  test('time.Duration.String', () => {
    expect([0, 999, 1500, 2_500_000, 5e9, 90e9, 3600e9, 3723.5e9, -5e9].map(goDuration))
      .toEqual(['0s', '999ns', '1.5µs', '2.5ms', '5s', '1m30s', '1h0m0s', '1h2m3.5s', '-5s'])
  })
  test('HumanDuration', () => {
    const s = 1000
    expect([0, 999, 1 * s, 59 * s, 60 * s, 119 * s, 120 * s, 59 * 60 * s, 90 * 60 * s, 47 * 3600 * s, 3 * 86400 * s, 30 * 86400 * s, 90 * 86400 * s, 800 * 86400 * s].map(humanDuration))
      .toEqual(['Less than a second', 'Less than a second', '1 second', '59 seconds', 'About a minute', 'About a minute', '2 minutes', '59 minutes',
        '2 hours', '47 hours', '3 days', '4 weeks', '3 months', '2 years'])
  })
  test('fmt %v of floats (checked against docker templates: {{1000000.5}} → 1.0000005e+06)', () => {
    expect([0.25, 2, 123456, 1000000.5, 0.00001, 0.0001].map(goFloat)).toEqual(['0.25', '2', '123456', '1.0000005e+06', '1e-05', '0.0001'])
  })
  test('nanosecond timestamps order correctly', () => {
    expect(timeNanos('2024-01-01T00:00:00.08Z') < timeNanos('2024-01-01T00:00:00.080770976Z')).toBe(true)
    expect(timeNanos('2024-01-01T01:00:00+01:00')).toBe(timeNanos('2024-01-01T00:00:00Z'))
  })
})

describe('docker string rules', () => {
  test('natural order', () => {
    const sorted = ['web.10', 'web.2', 'a', 'web.02', 'web.1', 'api', 'web', 'Web', '1'].sort(naturalCompare)
    expect(sorted).toEqual(['1', 'Web', 'a', 'api', 'web', 'web.1', 'web.2', 'web.02', 'web.10'])
  })
  test('ellipsis counts display columns', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…')
    expect(ellipsis('abc', 3)).toBe('abc')
    expect(ellipsis('日本語テキスト', 6)).toBe('日本…')
    expect(ellipsis('abc', 1)).toBe('a')
  })
  test('IDs, enum values', () => {
    expect(truncateId('sha256:0123456789abcdef')).toBe('0123456789ab')
    expect(prettyPrint('running')).toBe('Running')
    expect(prettyPrint('READY')).toBe('Ready')
  })
})

describe('log lines', () => {
  const ids = 'com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1'
  test('details are query-escaped k=v pairs', () => {
    expect(parseLogDetails('a=b%2Cc,x+y=1')).toEqual({ a: 'b,c', 'x y': '1' })
    expect(() => parseLogDetails('novalue')).toThrow('invalid details format')
  })
  test('a line: optional timestamp, details, message (spaces kept)', () => {
    const l = parseLogLine(`2024-01-01T00:00:00Z ${ids},env=prod hello  world\n`, true)
    expect(l).toEqual({ timestamp: '2024-01-01T00:00:00Z', context: { nodeId: 'n1', serviceId: 's1', taskId: 't1' }, details: { env: 'prod' }, message: 'hello  world\n' })
    expect(formatLogLine(l, 'web.1.t1@node1', { details: true })).toBe('2024-01-01T00:00:00Z web.1.t1@node1    | env=prod hello  world\n')
    expect(() => parseLogLine('nospace', false)).toThrow('invalid context in log message: nospace')
    expect(() => parseLogLine('a=b msg', false)).toThrow('missing node id in details: map[a:b]')
  })
  test('prefix: task ID cut to 12 unless --no-trunc, left out with --no-task-ids, padded to the slot width', () => {
    const src = { service: 'web', slot: 3, taskId: 'abcdefghijklmnopqrstuvwxy', node: 'node02' }
    expect(logPrefix(src)).toBe('web.3.abcdefghijkl@node02')
    expect(logPrefix(src, { noTrunc: true })).toBe('web.3.abcdefghijklmnopqrstuvwxy@node02')
    expect(logPrefix(src, { noTaskIds: true, padding: 3 })).toBe('web.3@node02  ')
  })
})
