// A service's volumes (and tmpfs paths) → swarm mounts, as docker/cli's
// convert/volume.go: named volumes are the stack's (`STACK_name`, labelled)
// unless external or named; binds are host paths; anonymous volumes have no source.
import { InvalidArgumentError } from '../../errors/index.js'
import type { Mount } from '../../types/index.js'
import { scope, withStackLabel } from '../names.js'
import type { ComposeConfig, ComposeService, VolumeEntry } from '../types.js'
import { bytes } from './values.js'

function volumeMount(v: VolumeEntry, config: ComposeConfig, stack: string, where: string): Mount {
  const m: Mount = { Type: 'volume', Target: v.target, ...(v.read_only ? { ReadOnly: true } : {}) }
  if ((v as { tmpfs?: unknown }).tmpfs) throw new InvalidArgumentError(`${where}: tmpfs options are incompatible with type volume`)
  if ((v as { bind?: unknown }).bind) throw new InvalidArgumentError(`${where}: bind options are incompatible with type volume`)
  if (!v.source) return m
  const top = config.volumes[v.source]
  if (!(v.source in config.volumes)) throw new InvalidArgumentError(`${where}: undefined volume "${v.source}": declare it under the top-level volumes key`)
  m.Source = top?.name || scope(stack, v.source)
  m.VolumeOptions = {}
  if (v.volume?.nocopy !== undefined) m.VolumeOptions.NoCopy = v.volume.nocopy
  if (top?.external) return m
  m.VolumeOptions.Labels = withStackLabel(stack, top?.labels)
  if (top?.driver || top?.driver_opts) m.VolumeOptions.DriverConfig = { Name: top.driver ?? '', Options: top.driver_opts ?? {} }
  return m
}

function oneMount(v: VolumeEntry, config: ComposeConfig, stack: string, where: string): Mount {
  switch (v.type) {
    case 'volume':
      return volumeMount(v, config, stack, where)
    case 'bind':
      if (!v.source) throw new InvalidArgumentError(`${where}: invalid bind source, source cannot be empty`)
      if (v.volume) throw new InvalidArgumentError(`${where}: volume options are incompatible with type bind`)
      if (v.tmpfs) throw new InvalidArgumentError(`${where}: tmpfs options are incompatible with type bind`)
      return {
        Type: 'bind', Source: v.source, Target: v.target, ...(v.read_only ? { ReadOnly: true } : {}),
        ...(v.bind?.propagation ? { BindOptions: { Propagation: v.bind.propagation } } : {}),
      }
    case 'tmpfs': {
      if (v.source) throw new InvalidArgumentError(`${where}: invalid tmpfs source, source must be empty`)
      const size = bytes(v.tmpfs?.size, `${where}.tmpfs.size`)
      const opts = { ...(size !== undefined ? { SizeBytes: size } : {}), ...(v.tmpfs?.mode !== undefined ? { Mode: v.tmpfs.mode } : {}) }
      return { Type: 'tmpfs', Target: v.target, ...(v.read_only ? { ReadOnly: true } : {}), ...(Object.keys(opts).length ? { TmpfsOptions: opts } : {}) }
    }
    default:
      throw new InvalidArgumentError(`${where}: tsw mounts volume, bind and tmpfs only, not ${v.type}`)
  }
}

/** The mounts of a service: its volumes, then its tmpfs paths. Throws InvalidArgumentError naming the volume. */
export function mounts(svc: ComposeService, config: ComposeConfig, stack: string, where: string): Mount[] | undefined {
  const out = (svc.volumes ?? []).map((v, i) => oneMount(v, config, stack, `${where}.volumes.${i}`))
  for (const t of svc.tmpfs ?? []) out.push({ Type: 'tmpfs', Target: t.split(':')[0] })
  return out.length ? out : undefined
}
