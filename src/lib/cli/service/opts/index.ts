// Parsers for the values of `service create/update` flags: small, pure, each
// throwing an Error in docker's words; withFlag() turns it into
// `invalid argument "x" for "--flag" flag: …`.
export { flagError, withFlag } from './errors.js'
export { parseUint, parseInt10, parseInt64, parseFloat64 } from './numbers.js'
export { ramInBytes } from './memory.js'
export { parseCpus } from './cpus.js'
export { csvFields } from './csv.js'
export { parsePublish, portKey } from './publish.js'
export { parseMount } from './mount.js'
export { parseUlimit } from './ulimit.js'
export { parseEnv, parseLabel, parseSysctl, parsePlacementPref, kvMap, kvKey } from './kv.js'
export { shlexSplit } from './shlex.js'
export { normalizeCapability, capabilitySet, effectiveCaps, capsList, ALL_CAPABILITIES, RESET_CAPABILITIES } from './caps.js'
export { parseDevice, deviceSource } from './device.js'
export { durationNs } from './duration.js'
export { parseIPAddress, parseDnsSearch, parseExtraHost, toSwarmHost } from './dns.js'
export { parseGenericResource } from './generic-resource.js'
export { parseEnvFile, readEnvFiles } from './env-file.js'
