// --mount as docker reads it (opts/mount.go):
// "type=bind|volume|tmpfs,source=…,target=…[,readonly][,volume-opt=k=v]…".
import { resolve } from 'node:path'
import type { Mount } from '../../../types/index.js'
import { csvFields } from './csv.js'
import { ramInBytes } from './memory.js'

const TYPES = ['bind', 'volume', 'tmpfs']

function parseBool(key: string, val: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(val)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(val)) return false
  throw new Error(`invalid value for ${key}: ${val}`)
}

function setKV(target: Record<string, string>, value: string): void {
  const eq = value.indexOf('=')
  const k = eq < 0 ? value : value.slice(0, eq)
  if (k) target[k] = eq < 0 ? '' : value.slice(eq + 1)
}

/** The mount one --mount value describes. Throws Error with docker's words. */
export function parseMount(value: string): Mount {
  const mount: Mount = { Type: 'volume', Target: '' }
  const volumeOptions = (): NonNullable<Mount['VolumeOptions']> => {
    mount.VolumeOptions ??= { Labels: {}, DriverConfig: {} }
    mount.VolumeOptions.DriverConfig ??= {}
    return mount.VolumeOptions
  }
  const bindOptions = (): NonNullable<Mount['BindOptions']> => (mount.BindOptions ??= {})
  const tmpfsOptions = (): NonNullable<Mount['TmpfsOptions']> => (mount.TmpfsOptions ??= {})

  for (const field of csvFields(value)) {
    const eq = field.indexOf('=')
    const key = (eq < 0 ? field : field.slice(0, eq)).toLowerCase()
    const val = eq < 0 ? '' : field.slice(eq + 1)
    if (eq < 0) {
      if (key === 'readonly' || key === 'ro') { mount.ReadOnly = true; continue }
      if (key === 'volume-nocopy') { volumeOptions().NoCopy = true; continue }
      throw new Error(`invalid field '${field}' must be a key=value pair`)
    }
    switch (key) {
      case 'type': {
        const type = val.toLowerCase()
        if (!TYPES.includes(type)) throw new Error(`invalid mount type '${val}': use bind, volume or tmpfs`)
        mount.Type = type as Mount['Type']
        break
      }
      case 'source': case 'src':
        mount.Source = val === '.' || val.startsWith('./') ? resolve(val) : val
        break
      case 'target': case 'dst': case 'destination':
        mount.Target = val
        break
      case 'readonly': case 'ro':
        mount.ReadOnly = parseBool(key, val)
        break
      case 'bind-propagation':
        bindOptions().Propagation = val.toLowerCase()
        break
      case 'volume-nocopy':
        try { volumeOptions().NoCopy = parseBool(key, val) } catch { throw new Error(`invalid value for volume-nocopy: ${val}`) }
        break
      case 'volume-label':
        setKV(volumeOptions().Labels ??= {}, val)
        break
      case 'volume-driver':
        volumeOptions().DriverConfig!.Name = val
        break
      case 'volume-opt':
        setKV(volumeOptions().DriverConfig!.Options ??= {}, val)
        break
      case 'tmpfs-size':
        try { tmpfsOptions().SizeBytes = ramInBytes(val) } catch { throw new Error(`invalid value for ${key}: ${val}`) }
        break
      case 'tmpfs-mode': {
        if (!/^[0-7]+$/.test(val) || parseInt(val, 8) > 0xffffffff) throw new Error(`invalid value for ${key}: ${val}`)
        tmpfsOptions().Mode = parseInt(val, 8)
        break
      }
      default:
        throw new Error(`unexpected key '${key}' in '${field}'`)
    }
  }
  if (!mount.Target) throw new Error('target is required')
  if (mount.VolumeOptions && mount.Type !== 'volume') throw new Error(`cannot mix 'volume-*' options with mount type '${mount.Type}'`)
  if (mount.BindOptions && mount.Type !== 'bind') throw new Error(`cannot mix 'bind-*' options with mount type '${mount.Type}'`)
  if (mount.TmpfsOptions && mount.Type !== 'tmpfs') throw new Error(`cannot mix 'tmpfs-*' options with mount type '${mount.Type}'`)
  return mount
}
