// oclif's autocomplete plugin, bundled with the other commands: the bundle cannot load an ESM plugin at run time.
export { default } from '../../../node_modules/@oclif/plugin-autocomplete/lib/commands/autocomplete/create.js'
