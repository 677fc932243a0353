// Compose keys docker stack deploy does not deploy: ignored with a warning
// (unsupported, deprecated) or refused (forbidden), as docker/cli's compose
// types list them, plus the keys tsw cannot honour although docker does.

/** Keys docker 28 ignores with "Ignoring unsupported options: …". */
export const UNSUPPORTED = [
  'build', 'cgroupns_mode', 'cgroup_parent', 'devices', 'domainname', 'external_links', 'ipc', 'links',
  'mac_address', 'network_mode', 'pid', 'privileged', 'restart', 'security_opt', 'shm_size', 'userns_mode',
]

/** Keys docker ignores with "Ignoring deprecated options:", and why. */
export const DEPRECATED: Record<string, string> = {
  container_name: 'Setting the container name is not supported.',
  expose: 'Exposing ports is unnecessary - services on the same network can access each other\'s containers on any port.',
}

/** Keys docker refuses ("Compose file contains unsupported options:"), and what to do instead. */
export const FORBIDDEN: Record<string, string> = {
  extends: 'Support for `extends` is not implemented yet.',
  volume_driver: 'Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.',
  volumes_from: 'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
  cpu_quota: 'Set resource limits using deploy.resources',
  cpu_shares: 'Set resource limits using deploy.resources',
  cpuset: 'Set resource limits using deploy.resources',
  mem_limit: 'Set resource limits using deploy.resources',
  memswap_limit: 'Set resource limits using deploy.resources',
}

/** Keys docker deploys but tsw's service spec has no field for: refused, so nothing is silently dropped. */
export const NOT_HONOURED: Record<string, string> = {
  credential_spec: 'credential specs are for Windows containers',
  isolation: 'isolation modes are for Windows containers',
}

/** Which of `keys` the services use, sorted (a services value that is not a mapping uses none). */
export function serviceKeysIn(services: unknown, keys: string[]): string[] {
  const found = new Set<string>()
  if (!services || typeof services !== 'object' || Array.isArray(services)) return []
  for (const svc of Object.values(services)) {
    if (svc && typeof svc === 'object' && !Array.isArray(svc)) for (const k of keys) if (k in svc) found.add(k)
  }
  return [...found].sort()
}
