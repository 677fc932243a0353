// One compose service → a swarm ServiceSpec, as docker/cli's convert.Service
// builds it: name STACK_service, deploy.labels (plus the stack labels) on the
// service, labels on the container, entrypoint → Command, command → Args.
import { effectiveCaps } from '../../cli/service/opts/caps.js'
import { shlexSplit } from '../../cli/service/opts/shlex.js'
import { InvalidArgumentError } from '../../errors/index.js'
import type { ContainerSpec, EndpointSpec, HealthConfig, PortConfig, ServiceSpec, Ulimit } from '../../types/index.js'
import type { Lookup } from '../interpolate.js'
import { LABEL_IMAGE, scope, withStackLabel } from '../names.js'
import { NOT_HONOURED } from '../properties.js'
import type { ComposeConfig, ComposeService, Dict } from '../types.js'
import { placement, resources, restartPolicy, serviceMode, updateConfig } from './deploy.js'
import { environment } from './environment.js'
import { mounts } from './mounts.js'
import { attachments } from './networks.js'
import { objectRefs, type ObjectRef } from './objects.js'
import { nanos } from './values.js'

/** A secret or config reference as the Engine API takes it (the ID is filled in at deploy, from the name). */
export type SecretRef = { File: ObjectRef['File']; SecretID: string; SecretName: string }
export type ConfigRef = { File: ObjectRef['File']; ConfigID: string; ConfigName: string }

/** A ContainerSpec with the secrets and configs docker's API carries. */
export type StackContainerSpec = Omit<ContainerSpec, 'Secrets' | 'Configs'> & { Secrets?: SecretRef[]; Configs?: ConfigRef[] }

function words(v: unknown, where: string): string[] | undefined {
  if (v === undefined || v === null) return undefined
  if (Array.isArray(v)) return v.map(String)
  try {
    return shlexSplit(String(v))
  } catch (err) {
    throw new InvalidArgumentError(`${where}: ${(err as Error).message}`)
  }
}

function healthcheck(h: Dict | undefined, where: string): HealthConfig | undefined {
  if (!h) return undefined
  if (h.disable) {
    if (h.test !== undefined && (h.test as unknown[]).length !== 0) throw new InvalidArgumentError(`${where}.healthcheck: test and disable can't be set at the same time`)
    return { Test: ['NONE'] }
  }
  const out: HealthConfig = {}
  if (h.test !== undefined) out.Test = typeof h.test === 'string' ? ['CMD-SHELL', h.test] : (h.test as string[])
  const at = (k: string) => nanos(h[k], `${where}.healthcheck.${k}`)
  const interval = at('interval'); const timeout = at('timeout'); const start = at('start_period')
  if (interval !== undefined) out.Interval = interval
  if (timeout !== undefined) out.Timeout = timeout
  if (start !== undefined) out.StartPeriod = start
  if (h.retries !== undefined) out.Retries = h.retries as number
  return out
}

function ulimits(u: Dict | undefined): Ulimit[] | undefined {
  if (!u) return undefined
  return Object.keys(u).sort().map((name) => {
    const v = u[name]
    return typeof v === 'number' ? { Name: name, Soft: v, Hard: v } : { Name: name, Soft: (v as Ulimit & { soft: number }).soft, Hard: (v as { hard: number }).hard }
  })
}

/** extra_hosts ("host:ip" or a mapping) → swarm's "ip host" lines, as docker's convertExtraHosts. */
function extraHosts(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined
  const entries = Array.isArray(v) ? v.map(String) : Object.entries(v as Dict).map(([h, ip]) => `${h}:${String(ip)}`)
  const out = entries.map((e) => e.split(/[:=](.*)/s)).filter((p) => p.length > 1 && p[1] !== undefined).map(([host, ip]) => `${ip} ${host}`)
  return out.length ? out : undefined
}

/** dns, dns_search, dns_opt → DNSConfig (undefined when none). */
function dnsConfig(svc: ComposeService): StackContainerSpec['DNSConfig'] {
  const list = (v: unknown) => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)])
  const [ns, search, opts] = [list(svc.dns), list(svc.dns_search), list(svc.dns_opt)]
  if (!ns.length && !search.length && !opts.length) return undefined
  return { ...(ns.length ? { Nameservers: ns } : {}), ...(search.length ? { Search: search } : {}), ...(opts.length ? { Options: opts } : {}) }
}

/** Ports → EndpointSpec, sorted by published port as docker's convertEndpointSpec. */
function endpoint(svc: ComposeService, deploy: Dict): EndpointSpec {
  const ports: PortConfig[] = (svc.ports ?? []).map((p) => ({
    ...(p.name ? { Name: p.name } : {}), Protocol: p.protocol, TargetPort: p.target,
    ...(p.published ? { PublishedPort: p.published } : {}), PublishMode: p.mode,
  }))
  ports.sort((a, b) => (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0))
  return { Mode: (deploy.endpoint_mode as EndpointSpec['Mode']) ?? 'vip', Ports: ports }
}

/** The ServiceSpec of compose service `name` in stack `stack`. Throws InvalidArgumentError naming the key tsw cannot deploy. */
export function serviceSpec(stack: string, name: string, svc: ComposeService, config: ComposeConfig, lookup: Lookup): ServiceSpec {
  const where = `services.${name}`
  for (const key of Object.keys(NOT_HONOURED)) {
    if (svc[key] !== undefined) throw new InvalidArgumentError(`${where}.${key}: tsw cannot deploy this option: ${NOT_HONOURED[key]}; remove it from the compose file`)
  }
  if (!svc.image) throw new InvalidArgumentError(`${where}: image is required (stacks deploy images; build them and push them first)`)
  const deploy = (svc.deploy ?? {}) as Dict
  const caps = effectiveCaps(svc.cap_add as string[] | undefined, svc.cap_drop as string[] | undefined)
  const secrets = objectRefs(svc, 'secret', config.secrets, stack, where).map((r) => ({ File: r.File, SecretID: '', SecretName: r.Name }))
  const configs = objectRefs(svc, 'config', config.configs, stack, where).map((r) => ({ File: r.File, ConfigID: '', ConfigName: r.Name }))
  const c: StackContainerSpec = { Image: svc.image, Labels: withStackLabel(stack, svc.labels) }
  const set = <K extends keyof StackContainerSpec>(k: K, v: StackContainerSpec[K] | undefined) => { if (v !== undefined) c[k] = v }
  set('Command', words(svc.entrypoint, `${where}.entrypoint`))
  set('Args', words(svc.command, `${where}.command`))
  set('Hostname', svc.hostname as string | undefined)
  set('Env', environment(svc, lookup, where))
  set('Dir', svc.working_dir as string | undefined)
  set('User', svc.user as string | undefined)
  set('Mounts', mounts(svc, config, stack, where))
  set('StopGracePeriod', nanos(svc.stop_grace_period, `${where}.stop_grace_period`))
  set('StopSignal', svc.stop_signal as string | undefined)
  set('Healthcheck', healthcheck(svc.healthcheck as Dict | undefined, where))
  if (svc.tty) c.TTY = true
  if (svc.read_only) c.ReadOnly = true
  set('Init', svc.init as boolean | undefined)
  if (svc.sysctls && Object.keys(svc.sysctls).length) c.Sysctls = { ...svc.sysctls }
  if (caps.add.length) c.CapabilityAdd = caps.add
  if (caps.drop.length) c.CapabilityDrop = caps.drop
  set('Ulimits', ulimits(svc.ulimits as Dict | undefined))
  set('Hosts', extraHosts(svc.extra_hosts))
  set('DNSConfig', dnsConfig(svc))
  if (svc.stdin_open) c.OpenStdin = true
  if (secrets.length) c.Secrets = secrets
  if (configs.length) c.Configs = configs
  const logging = svc.logging as { driver?: string; options?: Record<string, unknown> } | undefined
  const spec: ServiceSpec = {
    Name: scope(stack, name),
    Labels: { ...withStackLabel(stack, deploy.labels as Record<string, string> | undefined), [LABEL_IMAGE]: svc.image },
    TaskTemplate: {
      ContainerSpec: c,
      ...(resources(deploy, where) ? { Resources: resources(deploy, where) } : {}),
      ...(restartPolicy(deploy, svc.restart, where) ? { RestartPolicy: restartPolicy(deploy, svc.restart, where) } : {}),
      ...(placement(deploy) ? { Placement: placement(deploy) } : {}),
      Networks: attachments(svc, name, config, stack, where),
      ...(logging?.driver ? { LogDriver: { Name: logging.driver, Options: Object.fromEntries(Object.entries(logging.options ?? {}).map(([k, v]) => [k, String(v)])) } } : {}),
    },
    Mode: serviceMode(deploy, where),
    EndpointSpec: endpoint(svc, deploy),
  }
  const update = updateConfig(deploy.update_config as Dict | undefined, `${where}.deploy.update_config`)
  const rollback = updateConfig(deploy.rollback_config as Dict | undefined, `${where}.deploy.rollback_config`)
  if (update) spec.UpdateConfig = update
  if (rollback) spec.RollbackConfig = rollback
  return spec
}
