// Classic swarm's part of the Engine API: plain containers, exec instances and
// images, on the swarm's engines (see lib/classic).
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function containerRoutes(router: Router, ctx: ApiContext): void {
  const classic = ctx.classic
  router.add('POST', '/containers/create', (req) => classic.create(req))
  router.add('GET', '/containers/json', (req) => classic.list(req))
  router.add('GET', '/containers/:id/json', (req) => classic.inspect(req))
  router.add('DELETE', '/containers/:id', (req) => classic.forwardContainer(req))
  // start, stop, restart, kill, wait, rename, logs, attach, resize, exec, top, stats, pause…
  for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
    router.add(method, '/containers/:id/*', (req) => classic.forwardContainer(req))
  }
  // exec start (hijacked), resize, json
  for (const method of ['GET', 'POST']) router.add(method, '/exec/:id/*', (req) => classic.forwardExec(req))
  router.add('GET', '/images/json', (req) => classic.images(req))
  router.add('POST', '/images/create', (req) => classic.pull(req))
  router.add('GET', '/images/*/json', (req) => classic.imageInspect(req))
}
