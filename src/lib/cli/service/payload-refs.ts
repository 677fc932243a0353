// --secret/--config (create) and --secret-add/-rm, --config-add/-rm (update) as
// docker's getUpdatedSecrets/getUpdatedConfigs: -rm drops references by source
// name, then -add appends; two references with one target are refused.
import type { ConfigReference, SecretReference } from '../../types/index.js'
import { checkTargets, parseConfig, parseSecret } from './opts/index.js'
import { parsedList } from './values.js'

/** The reference lists after the flags: `add` values parsed (as `flag`), `rm` names dropped from `current`. */
export const payloadRefs = {
  secrets(add: string[] | undefined, current: SecretReference[], rm: string[] | undefined, flag: string): SecretReference[] {
    const drop = new Set(rm ?? [])
    const out = [...current.filter((r) => !drop.has(r.SecretName)), ...parsedList(add, flag, parseSecret)]
    checkTargets(out.map((r) => ({ File: r.File, name: r.SecretName })), 'secret')
    return out
  },
  configs(add: string[] | undefined, current: ConfigReference[], rm: string[] | undefined, flag: string): ConfigReference[] {
    const drop = new Set(rm ?? [])
    const out = [...current.filter((r) => !drop.has(r.ConfigName)), ...parsedList(add, flag, parseConfig)]
    checkTargets(out.map((r) => ({ File: r.File, name: r.ConfigName })), 'config')
    return out
  },
}
