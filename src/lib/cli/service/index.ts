// `service create/update/scale/rollback` below the commands, after docker's
// cli/command/service: flags.ts (the flags, docker's names), opts/ (one
// parser per value kind), spec.ts (create flags → ServiceSpec), update.ts
// (update flags applied to a spec), ops.ts (the manager calls), argv.ts
// (docker's flag habits oclif lacks). Waiting is ../progress.
export { commonFlags, createFlags, updateFlags, rollbackFlags, type CreateFlagValues, type UpdateFlagValues } from './flags.js'
export { specFromFlags, modeFromFlags } from './spec.js'
export { applyUpdateFlags, checkRollbackAlone } from './update.js'
export { normalizeArgv } from './argv.js'
export {
  getService, createService, writeService, updateService, rollbackService, parseScaleArgs, scaleService,
  type ServiceClient, type WriteResult,
} from './ops.js'
