// ServiceSpec fields whose engine form differs from the spec's, converted as
// moby's swarm executor does (daemon/cluster/executor/container/container.go):
// extra hosts, security options, the generic resources' environment. Pure.
import type { ContainerSpec, GenericResource, Privileges } from '../types/index.js'

/** Swarm's "IP_address canonical_hostname [aliases...]" entries → the engine's "hostname:IP" ExtraHosts, one per name. */
export function extraHosts(hosts: string[] | undefined): string[] {
  const out: string[] = []
  for (const entry of hosts ?? []) {
    const [ip, ...names] = entry.trim().split(/\s+/)
    for (const name of names) out.push(`${name}:${ip}`)
  }
  return out
}

/** Privileges → HostConfig.SecurityOpt ("label=…", "seccomp=…", "apparmor=…", "no-new-privileges=true"). */
export function securityOptions(p: Privileges | undefined): string[] {
  const out: string[] = []
  const se = p?.SELinuxContext
  if (se?.Disable) out.push('label=disable')
  else if (se) {
    if (se.User) out.push(`label=user:${se.User}`)
    if (se.Role) out.push(`label=role:${se.Role}`)
    if (se.Type) out.push(`label=type:${se.Type}`)
    if (se.Level) out.push(`label=level:${se.Level}`)
  }
  const seccomp = p?.Seccomp
  if (seccomp?.Mode === 'unconfined') out.push('seccomp=unconfined')
  // The API carries the profile as Go encodes []byte: base64.
  if (seccomp?.Mode === 'custom' && seccomp.Profile) out.push(`seccomp=${Buffer.from(seccomp.Profile, 'base64').toString('utf8')}`)
  if (p?.AppArmor?.Mode === 'disabled') out.push('apparmor=unconfined')
  if (p?.NoNewPrivileges) out.push('no-new-privileges=true')
  return out
}

/** swarmkit's genericresource.EnvFormat: DOCKER_RESOURCE_<KIND>=<values, comma-joined> for the task's assigned resources. */
export function genericResourceEnv(assigned: GenericResource[] | undefined): string[] {
  const byKind = new Map<string, string[]>()
  for (const r of assigned ?? []) {
    const kind = r.NamedResourceSpec?.Kind ?? r.DiscreteResourceSpec?.Kind
    const value = r.NamedResourceSpec ? r.NamedResourceSpec.Value : String(r.DiscreteResourceSpec?.Value ?? '')
    if (!kind) continue
    byKind.set(kind, [...(byKind.get(kind) ?? []), value])
  }
  return [...byKind].map(([kind, values]) => `DOCKER_RESOURCE_${kind}`.toUpperCase() + `=${values.join(',')}`)
}

/** The DNS servers of a task: the swarm's resolvers (overlay tasks) first, then the spec's own. */
export function dnsServers(spec: ContainerSpec, swarmDns: string[] | undefined): string[] {
  return [...new Set([...(swarmDns ?? []), ...(spec.DNSConfig?.Nameservers ?? [])])]
}
