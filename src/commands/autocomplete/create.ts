// oclif's autocomplete plugin, bundled with the other commands: the bundle cannot load an ESM plugin at run time.
// Its bash script gains completion of service, node and network names from the manager (lib/cli/completion-names.ts).
import Create from '../../../node_modules/@oclif/plugin-autocomplete/lib/commands/autocomplete/create.js'
import { withNameCompletion } from '../../lib/cli/completion-names.js'

// The plugin's getter is private in its types; it is wrapped rather than overridden.
const plugin = Object.getOwnPropertyDescriptor(Create.prototype, 'bashCompletionFunction')?.get
if (plugin) {
  Object.defineProperty(Create.prototype, 'bashCompletionFunction', {
    get(this: { cliBin: string }) {
      return withNameCompletion(plugin.call(this) as string, this.cliBin)
    },
  })
}

export default Create
