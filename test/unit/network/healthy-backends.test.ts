// Only tasks that serve take traffic: a task still starting (its health check
// has not passed) or being failed for an unhealthy container is left out of
// DNS answers (and, through the same isServing, of VIP and mesh backends).
import { describe, expect, test } from 'vitest'
import { buildNameIndex } from '../../../src/lib/network/names.js'
import { isServing, UNHEALTHY } from '../../../src/lib/types/index.js'
import { svc, task } from './overlay-fixtures.js'

describe('healthy backends', () => {
  test('isServing: running and wanted, not marked unhealthy; a job task wanted until complete serves too', () => {
    const s = svc('s1', 'web', { networks: ['app'] })
    expect(isServing(task('t1', s))).toBe(true)
    expect(isServing(task('t2', s, { state: 'starting' }))).toBe(false)
    expect(isServing(task('t3', s, { desired: 'shutdown' }))).toBe(false)
    expect(isServing(task('t4', s, { desired: 'complete' }))).toBe(true)
    const sick = task('t5', s)
    sick.Status.Err = UNHEALTHY
    expect(isServing(sick)).toBe(false)
  })

  test('tasks.<name> and a dnsrr name answer only the serving tasks', () => {
    const s = svc('s1', 'web', { networks: ['app'], mode: 'dnsrr' })
    const sick = task('t3', s, { node: 'n1', slot: 3, addrs: { app: '10.0.1.5/24' } })
    sick.Status.Err = UNHEALTHY
    const tasks = [
      task('t1', s, { node: 'n1', slot: 1, addrs: { app: '10.0.1.3/24' } }),
      task('t2', s, { node: 'n2', slot: 2, state: 'starting', addrs: { app: '10.0.1.4/24' } }),
      sick,
    ]
    const idx = buildNameIndex([s], tasks)
    expect(idx.get('tasks.web')).toEqual(['10.0.1.3'])
    expect(idx.get('web')).toEqual(['10.0.1.3'])
  })
})
