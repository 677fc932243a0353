// /swarm…: the cluster object, token rotation, and the init/join/leave calls a
// docker client may send to a manager that is already in a swarm.
import { applyAutolock, getSwarm, getUnlockKey, parseVersion, updateSwarm } from '../../cluster/index.js'
import { ConflictError, UnavailableError } from '../../errors/index.js'
import type { Swarm } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

const LAST_COPY = 'This manager holds the only copy of the swarm\'s state (a SQLite store): leaving would erase the swarm, and a request to the API cannot do that. To erase it, run `tsw swarm leave --force` on the manager\'s host.'
const ALREADY = 'This node is already part of a swarm. Use "tsw swarm leave" to leave this swarm and join another one.'

export function swarmRoutes(router: Router, ctx: ApiContext): void {
  router.add('GET', '/swarm', async () => ({ body: await getSwarm(ctx.store) }))

  router.add('POST', '/swarm/update', async (req) => {
    const version = parseVersion(req.query.get('version'), 'swarm')
    const flag = (name: string) => req.query.get(name) === 'true' || req.query.get(name) === '1'
    const spec = req.body as Swarm['Spec'] | undefined
    // A root CA rotation (CAConfig.ForceRotate, SigningCACert) is in force before this answers.
    const rotated = await updateSwarm(ctx.store, version, spec, { worker: flag('rotateWorkerToken'), manager: flag('rotateManagerToken') })
    if (rotated) await ctx.certs?.refresh()
    // Autolock (swarmkit's UnlockKeys): a key while AutoLockManagers is on, a new one on rotateManagerUnlockKey.
    const autolock = (await getSwarm(ctx.store)).Spec.EncryptionConfig?.AutoLockManagers === true
    if (await applyAutolock(ctx.store, autolock, flag('rotateManagerUnlockKey'))) await ctx.syncKekFile?.()
    return {}
  })

  router.add('GET', '/swarm/unlockkey', async () => ({ body: { UnlockKey: (await getUnlockKey(ctx.store)) ?? '' } }))
  // A manager that serves this route is unlocked (a locked one answers from api/locked.ts).
  router.add('POST', '/swarm/unlock', () => {
    throw new ConflictError('swarm is not locked')
  })

  router.add('POST', '/swarm/init', () => {
    throw new UnavailableError(ALREADY)
  })
  router.add('POST', '/swarm/join', () => {
    throw new UnavailableError(ALREADY)
  })

  router.add('POST', '/swarm/leave', (req) => {
    const force = req.query.get('force') === 'true' || req.query.get('force') === '1'
    if (!force) {
      throw new UnavailableError('You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message.')
    }
    // On SQLite this manager's data dir is the only copy of the swarm: no request erases it (etcd keeps its own).
    if (!ctx.config.Store) throw new UnavailableError(LAST_COPY)
    setImmediate(() => ctx.shutdown(true))
    return { status: 200 }
  })
}
