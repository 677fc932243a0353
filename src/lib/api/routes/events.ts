// GET /events: the swarm's events as newline-delimited JSON (dockerd's
// getEvents): those kept since `since`, then new ones until `until` or until
// the client goes away. Every manager answers from its own store watch.
import { InvalidArgumentError, UnavailableError } from '../../errors/index.js'
import { parseEventFilter, parseEventTime, type ClusterEvent } from '../../events/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function eventRoutes(router: Router, ctx: ApiContext): void {
  router.add('GET', '/events', (req) => {
    const events = ctx.events
    if (!events) throw new UnavailableError('this manager keeps no events')
    const since = parseEventTime('since', req.query.get('since'))
    const until = parseEventTime('until', req.query.get('until'))
    if (since !== undefined && until !== undefined && until < since) {
      throw new InvalidArgumentError(`\`since\` time (${req.query.get('since')}) cannot be after \`until\` time (${req.query.get('until')})`)
    }
    const filter = parseEventFilter(req.query.get('filters'))
    return {
      headers: { 'Content-Type': 'application/json' },
      stream: (res) => new Promise<void>((resolve) => {
        res.flushHeaders()
        // dockerd sends kept events only when a time was asked for. Kept ones and the
        // subscription are taken in one synchronous step: no event falls between them.
        if (since !== undefined || until !== undefined) {
          for (const m of events.recent(filter, since, until)) res.write(JSON.stringify(m) + '\n')
        }
        const unsubscribe = events.subscribe((e: ClusterEvent) => {
          if (filter(e)) res.write(JSON.stringify(e.message) + '\n')
        })
        const done = () => {
          unsubscribe()
          clearTimeout(timer)
          resolve()
        }
        const now = Date.now()
        let timer: NodeJS.Timeout | undefined
        if (until !== undefined) {
          if (until <= now) return done()
          timer = setTimeout(done, until - now)
        }
        res.once('close', done)
      }),
    }
  })
}
