// The flags of the container fields docker 28's `service create/update` have
// beside the older ones in flags.ts: DNS, extra hosts, groups, log driver,
// PIDs limit, OOM score, generic resources, env files; create takes the
// lists, update their -add/-rm pairs. Applied to the spec by field-spec.ts.
import { Flags } from '@oclif/core'

const list = (description: string) => Flags.string({ description, multiple: true, multipleNonGreedy: true })
const str = (description: string) => Flags.string({ description })

/** Flags of both create and update. */
export const fieldCommonFlags = {
  'log-driver': str('Logging driver for service'),
  'log-opt': list('Logging driver options'),
  'limit-pids': str('Limit maximum number of processes (default 0 = unlimited)'),
  'oom-score-adj': str("Tune host's OOM preferences (-1000 to 1000)"),
  'health-start-interval': str('Time between running the check during the start period (ms|s|m|h)'),
  isolation: str('Service container isolation mode'),
  'no-resolve-image': Flags.boolean({ description: 'Do not query the registry to resolve image digest and supported platforms' }),
}

/** Flags of `service create` only. */
export const fieldCreateFlags = {
  'env-file': list('Read in a file of environment variables'),
  dns: list('Set custom DNS servers'),
  'dns-option': list('Set DNS options'),
  'dns-search': list('Set custom DNS search domains'),
  host: list('Set one or more custom host-to-IP mappings (host:ip)'),
  group: list('Set one or more supplementary user groups for the container'),
  'generic-resource': list('User defined resources'),
}

/** Flags of `service update` only. */
export const fieldUpdateFlags = {
  'dns-add': list('Add or update a custom DNS server'),
  'dns-rm': list('Remove a custom DNS server'),
  'dns-option-add': list('Add or update a DNS option'),
  'dns-option-rm': list('Remove a DNS option'),
  'dns-search-add': list('Add or update a custom DNS search domain'),
  'dns-search-rm': list('Remove a DNS search domain'),
  'host-add': list('Add a custom host-to-IP mapping ("host:ip")'),
  'host-rm': list('Remove a custom host-to-IP mapping ("host:ip")'),
  'group-add': list('Add an additional supplementary user group to the container'),
  'group-rm': list('Remove a previously added supplementary user group from the container'),
  'generic-resource-add': list('Add a Generic resource'),
  'generic-resource-rm': list('Remove a Generic resource'),
}
