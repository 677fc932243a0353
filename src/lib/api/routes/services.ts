// /services… and /tasks…: create, list, inspect, update (and roll back),
// remove, logs.
import {
  applyRegistryAuth, createService, filterServices, filterTasks, parseVersion, publicService, publicTask,
  REGISTRY_AUTH_HEADER, resolveService, SERVICE_FILTERS, serviceStatus, TASK_FILTERS, updateService, validateServiceSpec,
} from '../../cluster/index.js'
import { InvalidArgumentError, NotFoundError } from '../../errors/index.js'
import { modify, StoreCache } from '../../store/index.js'
import type { Node, Service, Task } from '../../types/index.js'
import { parseFilters } from '../../filters/parse.js'
import { valuesOf } from '../../filters/match.js'
import type { ApiContext, LogOptions } from '../context.js'
import type { ApiRequest } from '../http.js'
import type { Router } from '../router.js'

export function serviceRoutes(router: Router, ctx: ApiContext): void {
  const { store } = ctx
  // The lists read the watch-kept copy (an unstarted cache reads the store).
  const lists = () => (ctx.cache ?? new StoreCache({ store, kinds: [] })).fresh()
  const flag = (req: ApiRequest, name: string) => ['1', 'true'].includes(req.query.get(name) ?? '')
  const registryAuth = (req: ApiRequest) => {
    const h = req.raw.headers[REGISTRY_AUTH_HEADER]
    return (Array.isArray(h) ? h[0] : h) || undefined
  }

  router.add('GET', '/services', async (req) => {
    const filters = parseFilters(req.query.get('filters'), SERVICE_FILTERS)
    const cache = await lists()
    const services = filterServices(await cache.list<Service>('service'), filters).map(publicService)
    if (!flag(req, 'status')) return { body: services }
    const nodes = await cache.list<Node>('node')
    const eligible = nodes.filter((n) => n.Status.State === 'ready' && n.Spec.Availability === 'active').length
    const counted = await Promise.all(services.map(async (s) => ({ ...s, ServiceStatus: serviceStatus(s, await cache.listBy<Task>('task', 'ServiceID', s.ID), eligible) })))
    return { body: counted }
  })

  router.add('POST', '/services/create', async (req) => {
    const spec = validateServiceSpec(req.body)
    applyRegistryAuth(spec, registryAuth(req))
    await ctx.checkImage(spec.TaskTemplate.ContainerSpec.Image, spec.TaskTemplate.ContainerSpec.PullOptions?.RegistryAuth)
    const service = await createService(store, spec)
    return { status: 201, body: { ID: service.ID, Warnings: null } }
  })

  router.add('GET', '/services/:id', async (req) => ({ body: publicService(await resolveService(store, req.params.id)) }))

  router.add('POST', '/services/:id/update', async (req) => {
    const version = parseVersion(req.query.get('version'), 'service')
    const service = await resolveService(store, req.params.id)
    const rollback = req.query.get('rollback') === 'previous'
    const spec = rollback ? service.Spec : validateServiceSpec(req.body)
    if (!rollback) applyRegistryAuth(spec, registryAuth(req), service, req.query.get('registryAuthFrom') ?? '')
    if (!rollback && spec.TaskTemplate.ContainerSpec.Image !== service.Spec.TaskTemplate.ContainerSpec.Image) {
      await ctx.checkImage(spec.TaskTemplate.ContainerSpec.Image, spec.TaskTemplate.ContainerSpec.PullOptions?.RegistryAuth)
    }
    await updateService(store, service, version, spec, rollback)
    return { body: { Warnings: null } }
  })

  router.add('DELETE', '/services/:id', async (req) => {
    const service = await resolveService(store, req.params.id)
    await store.delete('service', service.ID)
    // Its tasks are stopped by the orchestrator and removed once stopped.
    for (const t of (await store.list<Task>('task')).filter((x) => x.ServiceID === service.ID)) {
      await modify<Task>(store, 'task', t.ID, (x) => { x.DesiredState = 'remove' })
    }
    return { status: 200 }
  })

  // The docker CLI pins a service's image to its digest through this before it creates the service.
  router.add('GET', '/distribution/*/json', async (req) => ({ body: await ctx.distribution(req.params['*'], registryAuth(req)) }))

  router.add('GET', '/tasks', async (req) => {
    const filters = parseFilters(req.query.get('filters'), TASK_FILTERS)
    const cache = await lists()
    const [services, nodes] = await Promise.all([cache.list<Service>('service'), cache.list<Node>('node')])
    const nodeIds = (ref: string) => nodes.filter((n) => n.ID === ref || n.Description.Hostname === ref || n.ID.startsWith(ref)).map((n) => n.ID)
    // `service ps X`: only that service's tasks are filtered (the filters still decide).
    const refs = valuesOf(filters, 'service')
    const ids = [...new Set(refs.flatMap((ref) => services.filter((s) => s.ID === ref || s.Spec.Name === ref || s.ID.startsWith(ref)).map((s) => s.ID)))]
    const tasks = refs.length > 0 && ids.length === 1 ? await cache.listBy<Task>('task', 'ServiceID', ids[0]) : await cache.list<Task>('task')
    return { body: filterTasks(tasks, filters, services, nodeIds).map(publicTask) }
  })

  router.add('GET', '/tasks/:id', async (req) => {
    const tasks = await store.list<Task>('task')
    const task = tasks.find((t) => t.ID === req.params.id) ?? single(tasks.filter((t) => t.ID.startsWith(req.params.id)), req.params.id)
    return { body: publicTask(task) }
  })

  const logs = (tasksOf: (req: ApiRequest) => Promise<Task[]>) => async (req: ApiRequest) => {
    if (!flag(req, 'stdout') && !flag(req, 'stderr')) throw new InvalidArgumentError('Bad parameters: you must choose at least one stream')
    const tail = req.query.get('tail')
    const opts: LogOptions = {
      follow: flag(req, 'follow'), timestamps: flag(req, 'timestamps'), details: flag(req, 'details'),
      tail: tail && tail !== 'all' ? Number(tail) : undefined,
      since: req.query.get('since') ? Number(req.query.get('since')) : undefined,
    }
    const tasks = (await tasksOf(req)).filter((t) => t.NodeID && t.Status.ContainerStatus?.ContainerID)
    return {
      stream: async (res: import('node:http').ServerResponse) => {
        const abort = new AbortController()
        res.on('close', () => abort.abort())
        await Promise.allSettled(tasks.map((t) => ctx.taskLogs(t, opts, res, abort.signal)))
      },
    }
  }
  router.add('GET', '/services/:id/logs', logs(async (req) => {
    const service = await resolveService(store, req.params.id)
    return (await store.list<Task>('task')).filter((t) => t.ServiceID === service.ID)
  }))
  router.add('GET', '/tasks/:id/logs', logs(async (req) => {
    const tasks = await store.list<Task>('task')
    return [tasks.find((t) => t.ID === req.params.id) ?? single(tasks.filter((t) => t.ID.startsWith(req.params.id)), req.params.id)]
  }))

}

function single(tasks: Task[], ref: string): Task {
  if (tasks.length === 1) return tasks[0]
  throw new NotFoundError(tasks.length > 1 ? `task ${ref} is ambiguous (${tasks.length} matches found)` : `task ${ref} not found`)
}
