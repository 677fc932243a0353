// Stacks: compose files loaded, validated and converted to swarm objects
// named and labelled as docker's stacks, and deployed through the Engine API.
export { readSources, loadCompose, type ComposeSource, type Loaded } from './load.js'
export { planStack, type StackPlan } from './plan.js'
export { deployStack, type DeployOptions } from './deploy.js'
export { removeStack } from './remove.js'
export { renderConfig } from './render.js'
export { listStacks, stackServices, stackTasks, type StackClient } from './lookup.js'
export { LABEL_NAMESPACE, LABEL_IMAGE, scope, stackFilter } from './names.js'
