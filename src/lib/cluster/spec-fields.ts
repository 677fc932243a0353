// The ServiceSpec fields tsw cannot honour, refused rather than stored and
// ignored, and the checks of the fields it passes on to the engines. The
// docker CLI always sends some fields zero-valued (Privileges with a null
// CredentialSpec, Isolation ""), so only values that would mean something are
// refused. README.md's table lists every field and whether it is honoured.
import { InvalidArgumentError } from '../errors/index.js'
import type { ContainerSpec, ServiceSpec, TaskSpec } from '../types/index.js'

const unsupported = (field: string, why = '') => new InvalidArgumentError(`${field} is not supported by tsw${why ? `: ${why}` : ''}`)

/** Whether a value means something: not undefined/null/""/false/0, not an empty list or an object of such values. */
export function isGiven(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return false
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).some(isGiven)
  return true
}

/** Throws InvalidArgumentError naming the first field of the spec tsw cannot honour or whose value is wrong. */
export function checkSpecFields(spec: ServiceSpec): void {
  checkTaskSpec(spec.TaskTemplate)
}

function checkTaskSpec(t: TaskSpec): void {
  if (isGiven(t.PluginSpec)) throw unsupported('TaskTemplate.PluginSpec', 'tsw runs containers only')
  if (isGiven(t.NetworkAttachmentSpec)) throw unsupported('TaskTemplate.NetworkAttachmentSpec', 'tsw runs containers only')
  if (t.Runtime && t.Runtime !== 'container') throw unsupported(`TaskTemplate.Runtime "${t.Runtime}"`, 'tsw runs containers only')
  const limits = t.Resources?.Limits
  if (limits?.Pids !== undefined && (!Number.isInteger(limits.Pids) || limits.Pids < 0)) {
    throw new InvalidArgumentError(`Resources.Limits.Pids must be a whole number >= 0 (0 = unlimited), not ${JSON.stringify(limits.Pids)}`)
  }
  if (isGiven(limits?.GenericResources)) throw unsupported('Resources.Limits.GenericResources', 'generic resources are reservations')
  for (const r of t.Resources?.Reservations?.GenericResources ?? []) {
    const d = r.DiscreteResourceSpec
    // swarmkit's genericresource.ValidateTask: a service asks for a count of a kind, never for named ones.
    if (!d || r.NamedResourceSpec || !d.Kind) throw new InvalidArgumentError(`invalid argument for resource ${r.NamedResourceSpec?.Kind ?? d?.Kind ?? ''}`.trim())
    if (!Number.isInteger(d.Value) || d.Value < 1) throw new InvalidArgumentError(`invalid argument for resource ${d.Kind}: ${JSON.stringify(d.Value)} is not a count >= 1`)
  }
  if (t.ContainerSpec) checkContainerSpec(t.ContainerSpec)
}

function checkContainerSpec(c: ContainerSpec): void {
  if (isGiven(c.Privileges?.CredentialSpec)) throw unsupported('ContainerSpec.Privileges.CredentialSpec', 'it is for Windows engines')
  if (c.Isolation && c.Isolation !== 'default') throw unsupported(`ContainerSpec.Isolation "${c.Isolation}"`, 'Linux engines have only "default"')
  if (isGiven(c.Secrets)) throw unsupported('ContainerSpec.Secrets')
  if (isGiven(c.Configs)) throw unsupported('ContainerSpec.Configs')
  for (const m of c.Mounts ?? []) {
    if (m.Type === 'npipe' || m.Type === 'cluster') throw unsupported(`ContainerSpec.Mounts: mount type "${m.Type}"`)
  }
  if (c.OomScoreAdj !== undefined && (!Number.isInteger(c.OomScoreAdj) || c.OomScoreAdj < -1000 || c.OomScoreAdj > 1000)) {
    throw new InvalidArgumentError(`ContainerSpec: invalid value ${JSON.stringify(c.OomScoreAdj)}, range for oom score adj is [-1000, 1000]`)
  }
  for (const h of c.Hosts ?? []) {
    if (typeof h !== 'string' || h.trim().split(/\s+/).length < 2) {
      throw new InvalidArgumentError(`ContainerSpec.Hosts: invalid entry ${JSON.stringify(h)}: use "IP_address hostname [aliases...]"`)
    }
  }
  const seccomp = c.Privileges?.Seccomp
  if (seccomp?.Mode && !['default', 'unconfined', 'custom'].includes(seccomp.Mode)) {
    throw new InvalidArgumentError(`ContainerSpec.Privileges.Seccomp: invalid mode ${JSON.stringify(seccomp.Mode)}: use default, unconfined or custom`)
  }
  if (seccomp?.Mode === 'custom' && !seccomp.Profile) throw new InvalidArgumentError('ContainerSpec.Privileges.Seccomp: mode custom needs a Profile')
  if (seccomp?.Mode !== 'custom' && seccomp?.Profile) throw new InvalidArgumentError('ContainerSpec.Privileges.Seccomp: a Profile needs mode custom')
  const apparmor = c.Privileges?.AppArmor?.Mode
  if (apparmor && apparmor !== 'default' && apparmor !== 'disabled') {
    throw new InvalidArgumentError(`ContainerSpec.Privileges.AppArmor: invalid mode ${JSON.stringify(apparmor)}: use default or disabled`)
  }
}
