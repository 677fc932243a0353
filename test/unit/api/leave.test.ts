// POST /swarm/leave on a manager: with --force it stops (and wipes) the
// manager, except on SQLite, where that manager holds the only copy of the swarm.
import { describe, expect, it } from 'vitest'
import { Router } from '../../../src/lib/api/router.js'
import { swarmRoutes } from '../../../src/lib/api/routes/swarm.js'
import type { ApiContext } from '../../../src/lib/api/context.js'
import type { ApiRequest } from '../../../src/lib/api/http.js'

function leave(store: ApiContext['config']['Store'], query: string) {
  const wipes: boolean[] = []
  const ctx = { config: { Store: store }, shutdown: (wipe: boolean) => wipes.push(wipe) } as unknown as ApiContext
  const router = new Router()
  swarmRoutes(router, ctx)
  const found = router.match('POST', '/swarm/leave')!
  const call = () => found.route.handler({ method: 'POST', path: '/swarm/leave', params: {}, query: new URLSearchParams(query), body: undefined } as unknown as ApiRequest)
  return { call, wipes }
}

describe('POST /swarm/leave', () => {
  it('refuses without force, as dockerd does', () => {
    const { call, wipes } = leave(undefined, '')
    expect(call).toThrow('Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.')
    expect(wipes).toEqual([])
  })

  it('refuses with force on SQLite: the request would erase the only copy of the swarm', async () => {
    const { call, wipes } = leave(undefined, 'force=1')
    expect(call).toThrow(expect.objectContaining({ status: 503, message: expect.stringContaining('holds the only copy of the swarm\'s state (a SQLite store)') }))
    await new Promise((r) => setImmediate(r))
    expect(wipes).toEqual([])
  })

  it('leaves with force on etcd, where the state outlives this manager', async () => {
    const { call, wipes } = leave({ URL: 'etcd://10.0.0.1:2379' } as never, 'force=true')
    expect(await call()).toEqual({ status: 200 })
    await new Promise((r) => setImmediate(r))
    expect(wipes).toEqual([true])
  })
})
