// /secrets… and /configs…: create, list, inspect, update (labels), remove.
import { parseVersion } from '../../cluster/index.js'
import { parseFilters } from '../../filters/parse.js'
import {
  createPayload, filterPayloads, PAYLOAD_FILTERS, payloadView, removePayload, resolvePayload, updatePayload, type PayloadKind,
} from '../../secrets/index.js'
import type { Secret } from '../../types/index.js'
import type { ApiContext } from '../context.js'
import type { Router } from '../router.js'

export function secretRoutes(router: Router, ctx: ApiContext): void {
  const { store } = ctx
  for (const kind of ['secret', 'config'] as PayloadKind[]) {
    const base = `/${kind}s`
    router.add('GET', base, async (req) => {
      const filters = parseFilters(req.query.get('filters'), PAYLOAD_FILTERS)
      return { body: filterPayloads(await store.list<Secret>(kind), filters).map((s) => payloadView(kind, s)) }
    })
    router.add('POST', `${base}/create`, async (req) => {
      const created = await createPayload(store, kind, req.body)
      return { status: 201, body: { ID: created.ID } }
    })
    router.add('GET', `${base}/:id`, async (req) => ({ body: payloadView(kind, await resolvePayload(store, kind, req.params.id)) }))
    router.add('POST', `${base}/:id/update`, async (req) => {
      await updatePayload(store, kind, req.params.id, parseVersion(req.query.get('version'), kind), req.body)
      return { status: 200 }
    })
    router.add('DELETE', `${base}/:id`, async (req) => {
      await removePayload(store, kind, req.params.id)
      return { status: 204 }
    })
  }
}
