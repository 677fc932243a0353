// --network / --network-add: `NAME` or docker's long form `name=NAME,alias=A,alias=B,driver-opt=k=v`.
import type { NetworkAttachmentConfig } from '../../../types/index.js'
import { csvFields } from './csv.js'

export function parseNetworkAttachment(value: string): NetworkAttachmentConfig {
  if (!value.includes('=')) return { Target: value }
  const out: NetworkAttachmentConfig = { Target: '' }
  for (const field of csvFields(value)) {
    const eq = field.indexOf('=')
    const key = eq < 0 ? field : field.slice(0, eq)
    const val = eq < 0 ? '' : field.slice(eq + 1)
    switch (key.toLowerCase()) {
      case 'name':
      case 'target':
        out.Target = val
        break
      case 'alias':
        out.Aliases = [...(out.Aliases ?? []), val]
        break
      case 'driver-opt': {
        const k = val.indexOf('=')
        if (k < 0) throw new Error(`invalid driver-opt ${val}: expected key=value`)
        out.DriverOpts = { ...out.DriverOpts, [val.slice(0, k)]: val.slice(k + 1) }
        break
      }
      default:
        throw new Error(`invalid field key ${key}`)
    }
  }
  if (!out.Target) throw new Error(`network name/id is not specified`)
  return out
}
